#!/usr/bin/env bash
# Ticketing on one machine, one command: builds what is missing or stale (tests skipped), then starts NATS,
# a MongoDB-compatible server, the four services and an edge on http://localhost:${PORT:-8080} that routes
# like the Kubernetes Ingress. Each service starts with a JDK AOT cache made on the first run (AOT_CACHE=off: without).
# Ctrl-C stops everything. Settings and troubleshooting: local-stack/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() { printf '[run-local] %s\n' "$*" >&2; exit 1; }
say() { printf '[run-local] %s\n' "$*"; }

# A relative DATA_DIR means relative to where the command was typed, not to the repository.
if [ -n "${DATA_DIR:-}" ]; then
  case "$DATA_DIR" in
    /*) ;;
    *) DATA_DIR="$PWD/$DATA_DIR" ;;
  esac
  export DATA_DIR
fi

java_major() { # the major version of the java binary $1, or 0
  local version
  version=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  version=${version%%.*}
  echo "${version:-0}"
}

select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate" best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1 && [ "$(java_major "$(command -v java)")" -ge 21 ]; then
    best="$(cd "$(dirname "$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)")/.." && pwd)"
  fi
  if [ -z "$best" ]; then
    fail "No JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm, java on the PATH).
  Install one, e.g. 'sudo apt-get install -y openjdk-21-jdk' (Debian/Ubuntu) or 'brew install openjdk@21' (macOS),
  or set JAVA_HOME to a JDK 21+."
  fi
  export JAVA_HOME="$best"
}

# The version the jars are named with: the root POM's own <version>, right after <artifactId>ticketing.
project_version() {
  sed -n '/<artifactId>ticketing<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q;}' "$ROOT/pom.xml"
}

# Stale: the jar is missing, or a source or POM it is built from is newer than it.
is_stale() { # $1 = jar, $2.. = modules it is built from
  local jar="$1" module
  shift
  [ -f "$jar" ] || return 0
  [ "$ROOT/pom.xml" -nt "$jar" ] && return 0
  for module in "$@"; do
    [ -d "$ROOT/$module" ] || continue
    [ "$ROOT/$module/pom.xml" -nt "$jar" ] && return 0
    if [ -d "$ROOT/$module/src/main" ] && [ -n "$(find "$ROOT/$module/src/main" -newer "$jar" -print -quit)" ]; then
      return 0
    fi
  done
  return 1
}

build_if_needed() {
  local version modules=() module stale=()
  version="$(project_version)"
  [ -n "$version" ] || fail "Cannot read the project version from $ROOT/pom.xml"
  LAUNCHER_JAR="$ROOT/local-stack/target/local-stack-$version-exec.jar"
  for module in auth-service tickets-service orders-service payments-service client; do
    [ -f "$ROOT/$module/pom.xml" ] || continue
    modules+=("$module")
    if is_stale "$ROOT/$module/target/$module-$version.jar" "$module" common-events web-support; then
      stale+=("$module")
    fi
  done
  modules+=(local-stack)
  if is_stale "$LAUNCHER_JAR" local-stack test-support; then
    stale+=(local-stack)
  fi
  if [ "${#stale[@]}" -eq 0 ]; then
    say "Jars are up to date"
    return
  fi
  local list
  list=$(IFS=,; echo "${modules[*]}")
  say "Building ${stale[*]} (tests skipped; the first build downloads Maven and dependencies)..."
  # Maven's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every run; the warning is noise here.
  if [ -z "${MAVEN_OPTS:-}" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
  fi
  # -Daot.cache.skip: the images' AOT cache is not used here (the launcher makes its own, for this JDK).
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -Daot.cache.skip package -pl "$list" -am) || fail "The build failed (see above)."
  # Maven leaves a jar whose contents did not change untouched, so a POM edit that changed nothing would
  # make it look stale forever: the build just vouched for it, so mark it current.
  for module in "${modules[@]}"; do
    if [ "$module" = local-stack ]; then
      touch "$LAUNCHER_JAR"
    else
      touch "$ROOT/$module/target/$module-$version.jar"
    fi
  done
}

select_jdk
say "JDK: $JAVA_HOME (Java $(java_major "$JAVA_HOME/bin/java"))"
build_if_needed

cd "$ROOT"
# exec: Ctrl-C and SIGTERM reach the launcher itself, which stops every component before it exits.
exec "$JAVA_HOME/bin/java" ${LAUNCHER_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -jar "$LAUNCHER_JAR"
