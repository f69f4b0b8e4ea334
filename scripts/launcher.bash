#!/bin/bash
# The hutch launcher's second half (./hutch is the first): installs what the host lacks (first run
# only), builds what is missing or stale, records the class-data archive and unpacks JNA's stub,
# then hands back to ./hutch, which starts the command. ./hutch comes here only when it cannot
# start the command on its own: `--rebuild`, no build yet, a stamp or client from an older build.
set -euo pipefail
self="${BASH_SOURCE[0]}"
if [ -L "$self" ]; then self="$(readlink -f "$self")"; fi
case "$self" in */*) HUTCH_HOME="${self%/*}/.." ;; *) HUTCH_HOME=.. ;; esac
case "$HUTCH_HOME" in /*) ;; *) HUTCH_HOME="$PWD/$HUTCH_HOME" ;; esac
HUTCH_HOME="${HUTCH_HOME%/scripts/..}"

stamp="$HUTCH_HOME/cli/target/.hutch-built"
# The native client (docs/engine-service.md), built with the helper.
client="$HUTCH_HOME/engine/target/classes/dev/hutch/native/hutch-client"
lib="$HUTCH_HOME/cli/target/lib"
# The freshly built helper, rather than the copy the engine would extract from its jar.
export HUTCH_HELPER="${HUTCH_HELPER:-$HUTCH_HOME/engine/target/classes/dev/hutch/native/hutch-helper}"

sources=("$HUTCH_HOME"/pom.xml "$HUTCH_HOME"/engine "$HUTCH_HOME"/rootfs-builder "$HUTCH_HOME"/dsl "$HUTCH_HOME"/cli)

needs_build() {
  [ -f "$stamp" ] || return 0
  # Any source, resource or pom newer than the last build means stale. The client answers that
  # with a walk of its own (find's start-up alone costs more than the walk, on every command);
  # find answers when there is no client yet or it cannot tell.
  # Only its 0 (stale) and 1 (fresh) are answers: a client built before it knew the question
  # says something else, and must not stop the rebuild that would replace it.
  if [ -x "$client" ]; then
    local rc=0
    "$client" --newer-than "$stamp" "${sources[@]}" 2>/dev/null || rc=$?
    case "$rc" in 0 | 1) return "$rc" ;; esac
  fi
  [ -n "$(find "${sources[@]}" -path '*/target' -prune -o -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}

build() {
  # shellcheck source=scripts/setup.sh
  source "$HUTCH_HOME/scripts/setup.sh"
  hutch_setup
  echo "hutch: building (mvn package; first time takes a minute)..." >&2
  local log="$HUTCH_HOME/cli/target/build.log"
  mkdir -p "$HUTCH_HOME/cli/target"
  # The stamp's time is the build's start: a file edited while Maven runs stays newer than it.
  # Its content says this build's client checks staleness itself (see below); an older stamp is empty.
  echo client-checks-staleness > "$stamp.next"
  # Only the modules the runtime needs, and no test is compiled or packaged.
  (cd "$HUTCH_HOME" && mvn -B -ntp -Dmaven.test.skip=true -pl cli -am package </dev/null >"$log" 2>&1) || {
    tail -n 40 "$log" >&2; echo "hutch: the build failed (full log: $log)" >&2; exit 125; }
  rm -f "$HUTCH_HOME/cli/target/hutch.jsa"
  mv "$stamp.next" "$stamp"
  train_cds
}

# Class-data sharing: record the classes a real `run` loads into an archive that later runs map
# (start-up is most of a short `hutch run`). Needs root for the container; skipped otherwise.
train_cds() {
  [ "$(id -u)" = 0 ] || return 0
  echo "hutch: recording a class-data archive from one run of busybox true..." >&2
  set_classpath
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:ArchiveClassesAtExit="$HUTCH_HOME/cli/target/hutch.jsa" \
    -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$cp" dev.hutch.cli.Main run --rm --network none busybox true \
    >/dev/null 2>&1 || rm -f "$HUTCH_HOME/cli/target/hutch.jsa"
}

# Jars only: class-data sharing archives classes from jars, not from directories. Sets cp.
set_classpath() { local jars=("$HUTCH_HOME"/cli/target/hutch-cli-*.jar); cp="${jars[0]}:$lib/*"; }

# HUTCH_NO_BUILD=1 runs what is built, even if sources changed since (for work on a live tree).
if [ "${1:-}" = "--rebuild" ]; then shift; build
elif [ "${HUTCH_NO_BUILD:-}" = 1 ]; then :
elif [ ! -f "$stamp" ]; then build
elif needs_build; then build
fi

set_classpath

# JNA's native stub, unpacked once next to the build: by default JNA unpacks it from its jar into
# a temp file on every start, which costs a bridged `run` tens of milliseconds.
jnadir="$HUTCH_HOME/cli/target/jna"
if [ ! -f "$jnadir/libjnidispatch.so" ]; then
  case "$(uname -m)" in x86_64) arch=x86-64 ;; aarch64) arch=aarch64 ;; *) arch="" ;; esac
  jnajar=$(ls "$lib"/jna-[0-9]*.jar 2>/dev/null | head -n 1)
  if [ -n "$arch" ] && [ -n "$jnajar" ]; then
    mkdir -p "$jnadir"
    (cd "$jnadir" && jar xf "$jnajar" "com/sun/jna/linux-$arch/libjnidispatch.so" 2>/dev/null \
      && mv "com/sun/jna/linux-$arch/libjnidispatch.so" . && rm -rf com) || true
  fi
fi
# Back to ./hutch, which starts the command: the build is current now (or HUTCH_NO_BUILD=1 says
# to run what is built), so it does not ask again.
export HUTCH_LAUNCHED=1
exec "$HUTCH_HOME/hutch" "$@"
