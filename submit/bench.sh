#!/usr/bin/env bash
# Benchmarks that print their figures (they assert nothing). Run each alone: the machine's load skews them.
#
#   submit/bench.sh single [iterations levels steps hidden batch threads conditioner]
#       single-JVM training of config A (default 1000 iterations, 2 levels x 8 steps, hidden 128, batch 64,
#       1 OpenMP thread, Glow's conditioner; conditioner plain is the model without it): images/s, GFLOP/s,
#       resident memory every 10% of the run, the CPU the JVM used, and the Java heap the training thread allocated
#       per iteration (load does not change it).
#       One OpenMP thread is not one core: the garbage collector, the JIT and ND4J's deallocators run beside it.
#       `taskset -c 0 submit/bench.sh single` gives the one-core figure to compare a local[2] run with.
#   submit/bench.sh compare <commit> [pairs iterations single-args...]
#       the single benchmark of <commit> and of the working tree, interleaved (commit, tree, commit, tree, ...;
#       default 3 pairs of 300 iterations), each build with its own JVM flags; prints each pair's ratio. The host's
#       speed drifts by 20% within minutes here, so only ratios of neighbouring runs mean something. <commit> is
#       built once into target/bench-base/<sha>; its own benchmark ignores arguments it does not know.
#   submit/bench.sh local2 [key=value ...]
#       one epoch of config A on all 60,000 training images in Spark local[2] (the embedded default job with
#       config A's settings), test bits/dim of the 10,000 test images; throughput in the driver log
#   submit/bench.sh time-to-bpd <run-dir> [threshold [curve.png]]
#       time to quality of a run: each checkpoint's test bits/dim (Polyak average, the run's test set) with the
#       training images and training seconds before it, the first checkpoint at or below threshold (default 2.0), and
#       with curve.png those points drawn against training seconds.
#       Only checkpoints are measured: set checkpoint.every-iterations in the run for a finer answer
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$repo"
export MALLOC_ARENA_MAX=2
bench_java() {
  mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
  # shellcheck disable=SC2086
  exec java -Xmx1g $jvm_flags -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" "$@"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
case "${1:-}" in
  single)
    shift
    bench_java io.glowspark.bench.SingleJvmTrainingBenchmark "$@"
    ;;
  time-to-bpd)
    shift
    [[ $# -ge 1 ]] || die "usage: submit/bench.sh time-to-bpd <run-dir> [threshold]"
    bench_java io.glowspark.bench.TimeToBpd "$@"
    ;;
  compare)
    shift
    [[ $# -ge 1 ]] || die "usage: submit/bench.sh compare <commit> [pairs iterations single-args...]"
    sha=$(git rev-parse --verify --quiet "$1^{commit}") || die "not a commit: $1"
    pairs=${2:-3}
    iterations=${3:-300}
    shift $(( $# < 3 ? $# : 3 ))
    base="$repo/target/bench-base/$sha"
    if [[ ! -f "$base/.built" ]]; then
      echo "Building $sha into $base ..." >&2
      rm -rf "$base" && mkdir -p "$base"
      git archive "$sha" | tar -x -C "$base"
      (cd "$base" && mvn -q -B test-compile >&2) || die "build of $sha failed"
      touch "$base/.built"
    fi
    run() {
      local tree=$1
      shift
      "$tree/submit/bench.sh" single "$iterations" "$@" 2>/dev/null | sed -n 's/^RESULT //p'
    }
    rate() { sed -E 's/.*: ([0-9.]+) images\/s.*/\1/' <<<"$1"; }
    for ((i = 1; i <= pairs; i++)); do
      old=$(run "$base" "$@")
      new=$(run "$repo" "$@")
      echo "pair $i  $sha: $old"
      echo "pair $i  working tree: $new"
      awk -v o="$(rate "$old")" -v n="$(rate "$new")" \
        'BEGIN { printf "pair %d ratio (working tree / commit): %.3f\n", '"$i"', n / o }'
    done
    ;;
  local2)
    shift
    exec "$repo/submit/run-local.sh" "run.dir=runs/bench-config-a-$(date +%Y%m%d-%H%M%S)" \
      model.levels=2 model.steps-per-level=8 model.hidden-channels=128 \
      data.train-limit=0 data.test-limit=0 train.epochs=1 train.batch-size-per-worker=64 \
      train.init-batch-size=512 checkpoint.every-minutes=0 "$@"
    ;;
  *) die "usage: submit/bench.sh single|compare|local2|time-to-bpd [...]" ;;
esac
