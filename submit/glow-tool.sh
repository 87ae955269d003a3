#!/usr/bin/env bash
# Inspects a training run without Spark: test bits/dim, sample grids, reconstructions, latent interpolations, and the
# checkpoints and metrics as text. `submit/glow-tool.sh --help` lists the commands; for example
#
#   submit/glow-tool.sh inspect runs/local
#   submit/glow-tool.sh sample runs/local --out samples.png --temperatures 0,0.7,1
#   submit/glow-tool.sh interpolate hdfs://nn:8020/runs/a --from 0 --to 1 --out hdfs://nn:8020/tmp/path.png
#
# The application jar leaves Hadoop (and Spark) to the cluster, so the Spark home's jars supply them here, before the
# application jar as under spark-submit.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jar=$(app_jar)
home=$(spark_home)
# Fewer glibc malloc arenas keep ND4J's off-heap churn from inflating resident memory.
export MALLOC_ARENA_MAX=2
# shellcheck disable=SC2086  # jvm_flags is a list of flags
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" $jvm_flags -cp "$home/jars/*:$jar" io.glowspark.cli.GlowTool "$@"
