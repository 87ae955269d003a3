#!/usr/bin/env bash
# Prints a SPARK_HOME for Spark 3.5 / Scala 2.12, creating one if needed.
#
#   submit/spark-home.sh              an installed Spark if there is one, else the assembled one
#   submit/spark-home.sh --assembled  always the assembled one (tests: its jars match this build exactly)
#
# Order: $SPARK_HOME if it holds bin/spark-submit and jars/; else the Spark whose spark-submit is on PATH; else
# ${GLOWSPARK_SPARK_HOME:-<repo>/.spark-home}, assembled from Maven jars (there is no Spark distribution here):
#   jars/   mvn dependency:copy-dependencies of submit/spark-home/pom.xml (from the local Maven repository if it
#           holds them all, else downloaded)
#   conf/   log4j2.properties (a copy of submit/spark-home/log4j2.properties: the application at INFO, the rest at
#           WARN or above), spark-env.sh (SPARK_LOCAL_IP=127.0.0.1: this one is local only)
#   bin/    spark-class and spark-submit, which ask org.apache.spark.launcher.Main for the java command like Spark's own
# Assembly happens in a temporary sibling directory renamed into place with a marker file written last, under a lock,
# so an interrupted or concurrent assembly is never taken as complete. It is redone when the recipe changes.
# Progress goes to stderr; stdout is only the path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

is_spark_home() { [[ -x "$1/bin/spark-submit" && -d "$1/jars" ]]; }

if [[ "${1:-}" != --assembled ]]; then
  if [[ -n "${SPARK_HOME:-}" ]] && is_spark_home "$SPARK_HOME"; then
    echo "$SPARK_HOME"; exit 0
  fi
  if submit=$(command -v spark-submit); then
    installed=$(dirname "$(dirname "$(realpath "$submit")")")
    if is_spark_home "$installed"; then echo "$installed"; exit 0; fi
  fi
fi

home=${GLOWSPARK_SPARK_HOME:-$repo/.spark-home}
home=$(realpath -m "$home")
marker=.assembled
# The marker holds a digest of the recipe: a changed pom, logging configuration or script means a re-assembly.
recipe=$(cat "$here/spark-home/pom.xml" "$here/spark-home/log4j2.properties" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)

complete() { [[ -f "$home/$marker" && "$(cat "$home/$marker")" == "$recipe" ]]; }

if complete; then echo "$home"; exit 0; fi

# Never delete a directory we did not assemble (an older assembly has the marker; an empty one is fine too).
if [[ -e "$home" && ! -f "$home/$marker" && -n "$(ls -A "$home")" ]]; then
  echo "$home exists and is not an assembled Spark home; set GLOWSPARK_SPARK_HOME elsewhere." >&2; exit 1
fi
mkdir -p "$(dirname "$home")"
exec 9>"$home.lock"
flock 9
if complete; then echo "$home"; exit 0; fi   # another process assembled it while we waited

echo "Assembling a Spark home in $home ..." >&2
rm -rf "$home".tmp.*   # left by interrupted assemblies; safe: we hold the lock, which their children inherited
tmp=$(mktemp -d "$home.tmp.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/jars" "$tmp/conf" "$tmp/bin"

copy_jars() {
  mvn "$@" -q -B -Dstyle.color=never -f "$here/spark-home/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/jars" 2>&1
}
# From the local Maven repository if it holds every jar. Maven reports the missing ones as errors, so its output is
# shown only if downloading them fails too.
if ! offline=$(copy_jars -o); then
  echo "Downloading the Spark jars missing from the local Maven repository ..." >&2
  if ! online=$(copy_jars); then
    printf 'Resolving the Spark jars failed.\nFrom the local repository:\n%s\nDownloading:\n%s\n' "$offline" "$online" >&2
    exit 1
  fi
fi

cat >"$tmp/RELEASE" <<'EOF'
Spark 3.5.9 (Scala 2.12) built for Hadoop 3.3.4, assembled from Maven jars by glow-spark submit/spark-home.sh
EOF

cp "$here/spark-home/log4j2.properties" "$tmp/conf/"

cat >"$tmp/conf/spark-env.sh" <<'EOF'
# Sourced by bin/spark-class. This Spark home is for this machine only: keep Spark on loopback.
SPARK_LOCAL_IP=127.0.0.1
EOF

cat >"$tmp/bin/spark-class" <<'EOF'
#!/usr/bin/env bash
# Like Spark's bin/spark-class: org.apache.spark.launcher.Main prints the java command NUL-separated, then we run it.
set -euo pipefail
export SPARK_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SPARK_SCALA_VERSION=2.12   # the launcher needs it without build directories
export SPARK_CONF_DIR=${SPARK_CONF_DIR:-$SPARK_HOME/conf}
if [[ -f "$SPARK_CONF_DIR/spark-env.sh" ]]; then set -a; . "$SPARK_CONF_DIR/spark-env.sh"; set +a; fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Output: any messages line by line, a line holding only NUL, then the command NUL-separated; we append the exit code.
cmd=() delim=$'\n' started=false
while IFS= read -r -d "$delim" arg; do
  if $started; then cmd+=("$arg")
  elif [[ -z "$arg" ]]; then started=true delim=''
  else echo "$arg"
  fi
done < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
status=${cmd[-1]:-1}
[[ "$status" == 0 ]] || exit "$status"
unset 'cmd[-1]'
exec "${cmd[@]}"
EOF

cat >"$tmp/bin/spark-submit" <<'EOF'
#!/usr/bin/env bash
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
EOF
chmod +x "$tmp/bin/spark-class" "$tmp/bin/spark-submit"

echo "$recipe" >"$tmp/$marker"
rm -rf "$home"
mv -T "$tmp" "$home"
trap - EXIT
echo "Spark home ready: $(ls "$home/jars" | wc -l) jars." >&2
echo "$home"
