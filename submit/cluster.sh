#!/usr/bin/env bash
# Submits glow-spark to a real cluster: Spark standalone, YARN or Kubernetes. See --help.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: submit/cluster.sh --master URL [options] [key=value ...]

Submits the application jar with spark-submit. Trailing key=value pairs override the configuration file,
e.g. glowspark.train.epochs=20. Uses the spark-submit of SPARK_HOME or PATH if there is one (see spark-home.sh).

  --master URL            spark://host:7077 (standalone), yarn, or k8s://https://host:6443 (required)
  --deploy-mode MODE      client: the driver runs here; cluster: on the cluster (default: $deploy_mode)
  --conf-file FILE        application configuration, shipped with --files (default: conf/cluster.conf)
  --executor-memory MEM   JVM heap per executor (default: $executor_memory)
  --executor-cores N      cores per executor = parallel training workers in it (default: $executor_cores)
  --memory-overhead MEM   off-heap allowance per executor, spark.executor.memoryOverhead
                          (default: 2 x executor memory, see below)
  --num-executors N       executors to start (default: $num_executors; on standalone, x executor-cores =
                          spark.cores.max)
  --driver-memory MEM     driver heap (default: $driver_memory)
  --image IMAGE           container image, required on Kubernetes (spark.kubernetes.container.image)
  --jar PATH_OR_URL       application jar (default: target/glow-spark-*-app.jar, built if stale)
  --name NAME             application name (default: $name)
  --spark-conf K=V        an extra Spark property, repeatable (queues, namespaces, service accounts, ...)
  --dry-run               print the spark-submit command and exit
  --help                  this text

Memory: ND4J keeps its arrays off the JVM heap, and Spark does not count that memory. The cluster manager kills
an executor whose resident memory exceeds heap + memoryOverhead, so the default overhead reserves about twice
the heap for ND4J (2g heap -> 4g overhead -> a 6g container). The driver gets the same rule in cluster mode.
MALLOC_ARENA_MAX=2 is set for driver and executors; the Java 17 flags of submit/jvm.properties go into
spark.driver.extraJavaOptions and spark.executor.extraJavaOptions.

Workers: one training worker per executor core (spark.workers=0). Executors register over seconds after the
driver starts: it waits for the ones asked for (num-executors x executor-cores) at most
spark.scheduler.maxRegisteredResourcesWaitingTime (30 s) and logs how many workers it found. Dynamic allocation
is turned off (spark.dynamicAllocation.enabled=false): the job refuses it, as its worker count is fixed per run.

Masters differ only in the URL and a few properties:
  standalone  spark.cores.max = num-executors x executor-cores caps the application. In cluster mode the driver
              runs on a worker: --jar must then be a URL every worker can read (hdfs://...).
  YARN        HADOOP_CONF_DIR or YARN_CONF_DIR must point at the cluster's configuration. The configuration
              file is uploaded for you, and so is a local jar, on every run: put the jar on HDFS once and pass
              --jar hdfs://... . In cluster mode spark-submit exits with 0 or 1; the job's own exit code is in
              YARN's diagnostics ("User application exited with status N"), and YARN starts a failed
              application once more (spark.yarn.maxAppAttempts), which resumes from the last checkpoint.
  Kubernetes  --image is required: an image with Spark 3.5 / Scala 2.12 and Java 17. In cluster mode a local jar is
              uploaded through spark.kubernetes.file.upload.path (pass it with --spark-conf), or use a local:///
              path inside the image.

The configuration file reaches the driver as --conf FILE: its local path in client mode, its file name in
cluster mode. YARN and Kubernetes place --files in the driver's working directory; a standalone cluster-mode
driver does not get it there: on standalone, use client mode or give the settings as key=value overrides.

Examples:
  submit/cluster.sh --master spark://head:7077 --num-executors 4 --executor-cores 2
  submit/cluster.sh --master yarn --deploy-mode cluster --spark-conf spark.yarn.queue=ml glowspark.train.epochs=20
  submit/cluster.sh --master k8s://https://api:6443 --deploy-mode cluster --image glow-spark:0.1 \\
      --spark-conf spark.kubernetes.namespace=ml --jar local:///opt/glow-spark/glow-spark-app.jar --dry-run
EOF
}

# Sizes like 512m, 2g, 2G, 1536 (MiB) to MiB.
to_mib() {
  local n=${1%[kKmMgGtT]} unit=${1##*[0-9]}
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a memory size: $1"
  case "${unit,,}" in
    k) echo $((n / 1024)) ;; m | "") echo "$n" ;; g) echo $((n * 1024)) ;; t) echo $((n * 1024 * 1024)) ;;
  esac
}

master="" deploy_mode=client conf_file="$repo/conf/cluster.conf" executor_memory=2g executor_cores=2
memory_overhead="" num_executors=2 driver_memory=2g image="" jar="" name=glow-spark dry_run=false
extra_confs=() overrides=()
while (($#)); do
  case "$1" in
    --master) master=$2; shift 2 ;;
    --deploy-mode) deploy_mode=$2; shift 2 ;;
    --conf-file) conf_file=$2; shift 2 ;;
    --executor-memory) executor_memory=$2; shift 2 ;;
    --executor-cores) executor_cores=$2; shift 2 ;;
    --memory-overhead) memory_overhead=$2; shift 2 ;;
    --num-executors) num_executors=$2; shift 2 ;;
    --driver-memory) driver_memory=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --spark-conf) extra_confs+=(--conf "$2"); shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --help | -h) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *=*) overrides+=("$1"); shift ;;
    *) die "not an option nor a key=value override: $1" ;;
  esac
done

[[ -n "$master" ]] || die "--master is required (see --help)"
[[ "$deploy_mode" == client || "$deploy_mode" == cluster ]] || die "--deploy-mode is client or cluster"
[[ -f "$conf_file" ]] || die "no configuration file $conf_file"
conf_file=$(realpath "$conf_file")
executor_mib=$(to_mib "$executor_memory")
driver_mib=$(to_mib "$driver_memory")
memory_overhead=${memory_overhead:-$((2 * executor_mib))m}
driver_overhead=$((2 * driver_mib))m

# What differs between cluster managers.
case "$master" in
  spark://*) manager_confs=(--conf "spark.cores.max=$((num_executors * executor_cores))") ;;
  yarn) manager_confs=(--num-executors "$num_executors" --conf spark.yarn.appMasterEnv.MALLOC_ARENA_MAX=2) ;;
  k8s://*)
    [[ -n "$image" ]] || die "Kubernetes needs --image"
    manager_confs=(--num-executors "$num_executors" --conf "spark.kubernetes.container.image=$image"
      --conf spark.kubernetes.driverEnv.MALLOC_ARENA_MAX=2) ;;
  *) die "unsupported master $master: use spark://, yarn or k8s://" ;;
esac
[[ "$deploy_mode" == cluster ]] && app_conf=$(basename "$conf_file") || app_conf=$conf_file

if [[ -z "$jar" ]]; then jar=$(app_jar); fi
if $dry_run; then submit=spark-submit; else submit=$(spark_submit); fi

cmd=("$submit"
  --master "$master"
  --deploy-mode "$deploy_mode"
  --name "$name"
  --class "$main_class"
  --driver-memory "$driver_memory"
  --executor-memory "$executor_memory"
  --executor-cores "$executor_cores"
  --conf "spark.executor.memoryOverhead=$memory_overhead"
  --conf "spark.driver.memoryOverhead=$driver_overhead"
  --conf "spark.driver.extraJavaOptions=$jvm_flags"
  --conf "spark.executor.extraJavaOptions=$jvm_flags"
  --conf spark.executorEnv.MALLOC_ARENA_MAX=2
  --conf spark.dynamicAllocation.enabled=false
  "${manager_confs[@]}"
  "${extra_confs[@]}"
  --files "$conf_file"
  "$jar"
  --conf "$app_conf"
  "${overrides[@]}")

if $dry_run; then
  line=MALLOC_ARENA_MAX=2
  for arg in "${cmd[@]}"; do   # one option and its value per line
    if [[ "$arg" == --* || "$arg" == "$jar" ]]; then echo "$line \\"; line=" "; fi
    line+=" $(printf '%q' "$arg")"
  done
  echo "$line"
  exit 0
fi
export MALLOC_ARENA_MAX=2   # the driver, in client mode
exec "${cmd[@]}"
