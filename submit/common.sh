# Sourced by the scripts in submit/. Provides:
#   repo          the repository root
#   jvm_flags     jvm.modules and jvm.training of submit/jvm.properties (the one list; surefire reads jvm.modules)
#   main_class    the application's entry point (GLOWSPARK_MAIN_CLASS overrides)
#   app_jar       prints the application jar, building it first if missing or older than the sources
#                 (GLOWSPARK_APP_JAR names a jar to use as is)
#   spark_home    prints the Spark home to use (installed Spark, else the assembled one: see spark-home.sh)
#   spark_submit  prints its spark-submit
#   die           prints a message to stderr and exits
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# One key of a Java properties file (key=value on one line; the forms this project uses).
jvm_property() {
  local value
  value=$(sed -n "s/^[[:space:]]*$1[[:space:]]*[=:][[:space:]]*//p" "$repo/submit/jvm.properties")
  [[ -n "$value" ]] || die "no $1 in submit/jvm.properties"
  echo "$value"
}
jvm_flags="$(jvm_property jvm.modules) $(jvm_property jvm.training)"

main_class=${GLOWSPARK_MAIN_CLASS:-io.glowspark.cli.GlowSparkMain}

app_jar() {
  if [[ -n "${GLOWSPARK_APP_JAR:-}" ]]; then
    [[ -f "$GLOWSPARK_APP_JAR" ]] || die "GLOWSPARK_APP_JAR=$GLOWSPARK_APP_JAR does not exist"
    echo "$GLOWSPARK_APP_JAR"; return
  fi
  local jar
  jar=$(ls -t "$repo"/target/glow-spark-*-app.jar 2>/dev/null | head -n 1 || true)
  if [[ -z "$jar" || -n "$(find "$repo/pom.xml" "$repo/src/main" -newer "$jar" -print -quit)" ]]; then
    echo "Building the application jar (mvn -q package -DskipTests) ..." >&2
    local output   # shown only if the build fails: a good quiet build prints nothing but terminal resets
    if ! output=$(cd "$repo" && mvn -q -B package -DskipTests 2>&1); then
      printf '%s\n' "$output" >&2
      die "build failed: see the Maven output above"
    fi
    jar=$(ls -t "$repo"/target/glow-spark-*-app.jar | head -n 1)
  fi
  echo "$jar"
}

spark_home() {
  "$repo/submit/spark-home.sh" || die "no Spark home"
}

spark_submit() {
  local home
  home=$(spark_home)
  echo "$home/bin/spark-submit"
}
