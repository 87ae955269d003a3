#!/usr/bin/env bash
# Statistical efficiency of parameter averaging: the same job with W replicas (W partitions in Spark local[2]: slower
# than W executors, the same algorithm) averaging every f steps, at a fixed per-worker batch, scored at checkpoints.
#
#   submit/scale-out-grid.sh <out-dir> [W:f:epochs[:learning-rate] ...] [-- key=value ...]
#
# Each point W:f:epochs trains run directory <out-dir>/w<W>-f<f> to that many epochs of all 60,000 training images
# (a point with more epochs than an earlier one of the same W and f extends that run); W:f:epochs:rate trains
# <out-dir>/w<W>-f<f>-lr<rate> with train.learning-rate=<rate> instead of the default. Each point then scores every new
# checkpoint on the run's test set and appends to <out-dir>/curve.csv (one line per checkpoint) and <out-dir>/runs.csv
# (one line per point, with the load average before and after). Points already recorded are skipped, so the command
# can be started again after an interruption. Checkpoints come every ~5,000 training images (rounded up to whole
# averaging rounds). Default points, most informative first: f=20 for W=1,2,4,8,16, then f=5 and f=10 from the
# largest W down, where the averaging frequency matters most (W=1 averages nothing, so it is run at f=20 only), then
# 3 epochs at f=20 for W=1,4,16.
# Defaults: the small model (2 levels x 4 steps, hidden 64), 2,000 test images; key=value pairs after -- override.
# The application and its test classes are copied to <out-dir>/code when the grid starts: a rebuild of the working
# tree does not change a grid in progress. Run it under `nice -n 19` on a shared machine.
# submit/bench.sh scale-out-report turns the CSV files into tables and plots.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[[ $# -ge 1 ]] || die "usage: submit/scale-out-grid.sh <out-dir> [W:f:epochs[:learning-rate] ...] [-- key=value ...]"
out=$(realpath -m "$1")
shift
points=()
while [[ $# -gt 0 && "$1" != -- ]]; do
  [[ "$1" =~ ^[0-9]+:[0-9]+:[0-9]+(:[0-9.eE-]+)?$ ]] || die "not a point W:f:epochs[:learning-rate]: $1"
  points+=("$1")
  shift
done
[[ "${1:-}" == -- ]] && shift
overrides=("$@")
if [[ ${#points[@]} -eq 0 ]]; then
  points=(1:20:1 2:20:1 4:20:1 8:20:1 16:20:1 16:5:1 16:10:1 8:5:1 8:10:1 4:5:1 4:10:1 2:5:1 2:10:1
    1:20:3 4:20:3 16:20:3)
fi
batch=16
images_per_checkpoint=5000

mkdir -p "$out/done"
code="$out/code"
if [[ ! -f "$code/app.jar" ]]; then
  echo "Copying the application and its test classes to $code ..." >&2
  jar=$(app_jar)
  (cd "$repo" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >&2)
  rm -rf "$code.tmp" && mkdir -p "$code.tmp"
  cp -r "$repo/target/classes" "$repo/target/test-classes" "$repo/target/bench.classpath" "$code.tmp/"
  cp "$jar" "$code.tmp/app.jar"
  mv "$code.tmp" "$code"
fi
export GLOWSPARK_APP_JAR="$code/app.jar" MALLOC_ARENA_MAX=2
classpath="$code/classes:$code/test-classes:$(cat "$code/bench.classpath")"

load() { cut -d' ' -f1 /proc/loadavg; }

for point in "${points[@]}"; do
  IFS=: read -r workers frequency epochs rate <<<"$point"
  name="w$workers-f$frequency${rate:+-lr$rate}"
  rate_override=(${rate:+"train.learning-rate=$rate"})
  if [[ -f "$out/done/$name-e$epochs" ]]; then
    echo "$name, $epochs epochs: recorded, skipped" >&2
    continue
  fi
  every=$(( (images_per_checkpoint + workers * batch - 1) / (workers * batch) ))
  before=$(load)
  echo "$(date -u +%H:%M:%S) $name, $epochs epochs: training (load $before)" >&2
  "$repo/submit/run-local.sh" "run.dir=$out/$name" spark.master='local[2]' "spark.workers=$workers" \
    "spark.averaging-frequency=$frequency" "train.batch-size-per-worker=$batch" "train.epochs=$epochs" \
    model.levels=2 model.steps-per-level=4 model.hidden-channels=64 data.train-limit=0 data.test-limit=2000 \
    "checkpoint.every-iterations=$every" checkpoint.every-minutes=0 checkpoint.keep-last=1000 \
    "${rate_override[@]}" "${overrides[@]}" >"$out/$name-e$epochs.log" 2>&1 \
    || die "$name: training failed, see $out/$name-e$epochs.log"
  echo "$(date -u +%H:%M:%S) $name, $epochs epochs: scoring checkpoints" >&2
  # shellcheck disable=SC2086
  java -Xmx1g $jvm_flags -cp "$classpath" io.glowspark.bench.ScaleOutCurve "$out/$name" "$out/curve.csv" \
    "$out/runs.csv" "$before" >>"$out/$name-e$epochs.log" 2>&1 || die "$name: scoring failed, see $out/$name-e$epochs.log"
  touch "$out/done/$name-e$epochs"
done
echo "$(date -u +%H:%M:%S) grid done: $out/curve.csv, $out/runs.csv" >&2
