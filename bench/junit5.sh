#!/usr/bin/env bash
# The cost of one throwaway container per JUnit 5 test: the time surefire gives each test case
# (the test with its beforeEach and afterEach: the container started on the default bridge network,
# found running, removed) over RUNS tests in one JVM, after the image is made.
#
# Row 1: hutch's own extension (junit5/src/test/.../ThrowawayContainerBench.java), the engine in
# process, private roots.
# Row 2: Testcontainers through hutch's Docker API, when the test class TC_CLASS exists in the
# tree (it comes with the Testcontainers work, issue 14 part 3): the same workload, one
# GenericContainer("busybox") running `sleep 600` per test, reading -Dhutch.bench.runs=N; its module
# brings the engine service and DOCKER_HOST as its tests do. Without it the row says so.
# Writes the section between the JUNIT5 markers of docs/benchmarks.md.
#
#   sudo bench/junit5.sh [RUNS]          (default 20)
#   TC_CLASS=OtherName bench/junit5.sh   the Testcontainers workload under another class name
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-20}"
TC_CLASS="${TC_CLASS:-ThrowawayContainerTestcontainersBench}"
[ "$(id -u)" = 0 ] || { echo "bench/junit5.sh: needs root (hutch makes namespaces, cgroups and mounts); run it with sudo" >&2; exit 1; }

# Runs one bench class with surefire in MODULE and prints its test cases' times in ms, one a line.
times_of() {
  local module=$1 class=$2
  mvn -o -q -pl "$module" -am -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false -Dhutch.bench.runs="$RUNS" \
      -Djunit.jupiter.execution.parallel.enabled=false verify >&2
  local report
  report=$(ls "$module"/target/surefire-reports/TEST-*."$class".xml | head -1)
  python3 - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
for c in cases:
    if c.find("skipped") is None and c.find("failure") is None and c.find("error") is None:
        print(round(float(c.get("time")) * 1000))
PY
}

# "median p90 mean n" of ms values on stdin
stats() {
  python3 -c '
import sys, statistics
v = sorted(int(x) for x in sys.stdin.read().split())
if not v: print("– – – 0"); sys.exit()
p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
print(int(statistics.median(v)), p90, int(statistics.mean(v)), len(v))'
}

echo "hutch extension: $RUNS tests" >&2
read -r h_med h_p90 h_mean h_n < <(times_of junit5 ThrowawayContainerBench | stats)
rows="| hutch's JUnit 5 extension (engine in process) | $h_n | $h_med | $h_p90 | $h_mean |"

tc_file=$(find . -path '*/src/test/java/*' -name "$TC_CLASS.java" -not -path './.git/*' | head -1)
if [ -n "$tc_file" ]; then
  tc_module=$(echo "$tc_file" | cut -d/ -f2)
  echo "Testcontainers through hutch's Docker API ($tc_file): $RUNS tests" >&2
  read -r t_med t_p90 t_mean t_n < <(times_of "$tc_module" "$TC_CLASS" | stats)
  rows="$rows
| Testcontainers through hutch's Docker API | $t_n | $t_med | $t_p90 | $t_mean |"
  ratio=$(python3 -c "print(f'{$t_med / max($h_med, 1):.1f}')")
  note="Testcontainers takes ${ratio}× the extension's median per test."
else
  rows="$rows
| Testcontainers through hutch's Docker API | – | – | – | – |"
  note="The Testcontainers row needs the test class \`$TC_CLASS\` (issue 14 part 3), which this tree does not have yet."
fi
echo "$rows"
echo "$note"

if [ "${JUNIT5_WRITE_DOC:-1}" = 1 ]; then
  section="<!-- JUNIT5:BEGIN -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg) at the end, by
\`bench/junit5.sh $RUNS\`: the time surefire gives each test (container started on the default bridge network, found running,
removed, with the test's beforeEach and afterEach), $RUNS tests in one JVM after the image was made, private roots.

| per-test container | tests | median ms | p90 ms | mean ms |
|---|---:|---:|---:|---:|
$rows

$note
<!-- JUNIT5:END -->"
  doc=docs/benchmarks.md
  grep -q '<!-- JUNIT5:BEGIN -->' "$doc" || printf '\n## One throwaway container per JUnit 5 test\n\n<!-- JUNIT5:BEGIN -->\n<!-- JUNIT5:END -->\n' >> "$doc"
  python3 - "$doc" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"<!-- JUNIT5:BEGIN -->.*?<!-- JUNIT5:END -->", lambda m: section, text, flags=re.S)
open(path, "w").write(text)
PY
  echo "written to $doc" >&2
fi
