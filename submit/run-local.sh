#!/usr/bin/env bash
# The embedded default: trains with conf/local.conf in Spark local mode on this machine.
#
#   submit/run-local.sh [--conf FILE] [key=value ...]   e.g. submit/run-local.sh glowspark.train.epochs=1
#
# --conf FILE trains with another configuration file instead of conf/local.conf (e.g. conf/fashion-mnist.conf).
# Builds the application jar if it is missing or older than the sources, finds or assembles a Spark
# (submit/spark-home.sh), and runs spark-submit from the repository root, so relative paths in the
# configuration (runs/local) land there. Trailing key=value pairs override the configuration.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

conf="$repo/conf/local.conf"
if [[ "${1:-}" == "--conf" ]]; then
  [[ -f "${2:-}" ]] || die "--conf needs an existing configuration file, got '${2:-}'"
  conf="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  shift 2
fi
jar=$(app_jar)
submit=$(spark_submit)
cd "$repo"
# Fewer glibc malloc arenas keep ND4J's off-heap churn from inflating resident memory.
export MALLOC_ARENA_MAX=2
exec "$submit" \
  --master 'local[*]' \
  --class "$main_class" \
  --driver-memory 2g \
  --conf "spark.driver.extraJavaOptions=$jvm_flags" \
  "$jar" \
  --conf "$conf" \
  "$@"
