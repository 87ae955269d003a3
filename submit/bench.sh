#!/usr/bin/env bash
# Benchmarks that print their figures (they assert nothing). Run each alone: the machine's load skews them.
#
#   submit/bench.sh single [iterations levels steps hidden batch threads]
#       single-JVM training of config A (default 1000 iterations, 2 levels x 8 steps, hidden 128, batch 64,
#       1 OpenMP thread): images/s, GFLOP/s, resident memory every 10% of the run, the CPU the JVM used, and the
#       Java heap the training thread allocated per iteration (ND4J allocates per op; load does not change it).
#       One OpenMP thread is not one core: the garbage collector, the JIT and ND4J's deallocators run beside it.
#       `taskset -c 0 submit/bench.sh single` gives the one-core figure to compare a local[2] run with.
#   submit/bench.sh local2 [key=value ...]
#       one epoch of config A on all 60,000 training images in Spark local[2] (the embedded default job with
#       config A's settings), test bits/dim of the 10,000 test images; throughput in the driver log
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$repo"
export MALLOC_ARENA_MAX=2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
case "${1:-}" in
  single)
    shift
    mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
    # shellcheck disable=SC2086
    exec java -Xmx1g $jvm_flags -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
      io.glowspark.bench.SingleJvmTrainingBenchmark "$@"
    ;;
  local2)
    shift
    exec "$repo/submit/run-local.sh" "run.dir=runs/bench-config-a-$(date +%Y%m%d-%H%M%S)" \
      model.levels=2 model.steps-per-level=8 model.hidden-channels=128 \
      data.train-limit=0 data.test-limit=0 train.epochs=1 train.batch-size-per-worker=64 \
      train.init-batch-size=512 checkpoint.every-minutes=0 "$@"
    ;;
  *) die "usage: submit/bench.sh single|local2 [...]" ;;
esac
