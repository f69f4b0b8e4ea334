#!/usr/bin/env bash
# Runs the root integration tests listed in scripts/guest/suite.txt on a pure cgroup v2 guest
# (scripts/guest/v2-guest.sh: Debian's own kernel under qemu, cgroup_no_v1=all), built from this
# tree (Maven's package without running tests). Exit 0 only if every listed test ran and
# passed: on the guest a skip is a failure, since the guest is there to have what the tests need.
#
#   test-in-guest.sh            the test classes of suite.txt
#   test-in-guest.sh --bench    `hutch bench limits` on the guest; results to docs/bench/v2/
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
mode=${1:-tests}

work=$(mktemp -d /tmp/hutch-guest-suite.XXXXXX)
trap 'rm -rf "$work"' EXIT
payload=$work/payload out=$work/out
mkdir -p "$payload/lib" "$payload/repo" "$out"

# The test classpath: each module's classes and test classes, every dependency jar of test scope,
# and JUnit's console launcher to run them (one JVM for the whole list: the JVM starts slowly
# under emulation).
echo "test-in-guest: staging the build into the guest's payload" >&2
# (package again, not only copy-dependencies: the modules' own artifacts must come from this
# reactor, since nothing of hutch is ever installed into the local Maven repository.)
junit_platform=$(grep -oP '<junit.version>\K[^<]+' pom.xml | sed 's/^5/1/')
mvn -B -ntp -q -pl cli -am -DskipTests package dependency:copy-dependencies -DincludeScope=test \
  -DexcludeGroupIds=dev.hutch,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DoutputDirectory="$payload/lib" >&2
mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
  -DoutputDirectory="$payload/lib" >&2
cp=""
for m in engine rootfs-builder dsl cli; do
  mkdir -p "$payload/$m"
  cp -a "$m/target/classes" "$m/target/test-classes" "$payload/$m/"
  cp="$cp:/payload/$m/classes:/payload/$m/test-classes"
done
cp="${cp#:}:/payload/lib/*"
# What tests read from the repository (hutch.repo.root): scripts and docs.
cp -a scripts docs README.md "$payload/repo/"
# The escape suite's static probe, built here: the guest has no compiler.
mkdir -p "$payload/probe"
gcc -static -O -o "$payload/probe/escape-probe" cli/src/test/resources/probe/escape-probe.c

classes=$(grep -v '^#' scripts/guest/suite.txt | awk 'NF {print $2}')
selectors=""
for c in $classes; do selectors="$selectors --select-class $c"; done

java_opts="-Dhutch.repo.root=/payload/repo -Dhutch.escape.probe=/payload/probe/escape-probe -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
case "$mode" in
  tests)
    cat >"$payload/run.sh" <<SCRIPT
#!/bin/sh
# Runs inside the guest as root, cwd /payload.
set -e
# The tests make containers from the busybox image they build from the guest's /bin/busybox.
java $java_opts -cp '$cp' org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii --reports-dir=/out/reports $selectors
SCRIPT
    ;;
  --bench)
    cat >"$payload/run.sh" <<SCRIPT
#!/bin/sh
set -e
java $java_opts -cp '$cp' dev.hutch.cli.Main bench limits --out /out/bench
SCRIPT
    ;;
  *) echo "test-in-guest: unknown argument '$mode' (use --bench or nothing)" >&2; exit 2 ;;
esac
chmod +x "$payload/run.sh"

status=0
bash scripts/guest/v2-guest.sh run "$payload" "$out" -- sh /payload/run.sh || status=$?

if [ "$mode" = --bench ]; then
  if [ "$status" = 0 ]; then
    rm -rf docs/bench/v2 && mkdir -p docs/bench/v2 && cp -a "$out/bench/." docs/bench/v2/
    echo "test-in-guest: the guest's benchmark results are in docs/bench/v2/"
  fi
  exit "$status"
fi

# The verdict from JUnit's XML report, counted here so a skip cannot pass unnoticed.
report=$(ls "$out"/reports/*.xml 2>/dev/null | head -n 1 || true)
if [ -z "$report" ]; then
  echo "test-in-guest: the guest wrote no test report (exit $status): see the console above" >&2
  exit 1
fi
count() { grep -o "$1=\"[0-9]*\"" "$report" | head -n 1 | grep -o '[0-9]*'; }
tests=$(count tests) failures=$(count failures) errors=$(count errors) skipped=$(count skipped)
failed=$((failures + errors))
echo "guest (pure cgroup v2): $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
if [ "$skipped" != 0 ]; then
  echo "test-in-guest: $skipped test(s) skipped on the guest, which must have everything they need:" >&2
  grep -B1 '<skipped' "$report" | grep -o 'name="[^"]*"' | sed 's/^/    /' >&2 || true
  status=1
fi
[ "$failed" = 0 ] || status=1
exit "$status"
