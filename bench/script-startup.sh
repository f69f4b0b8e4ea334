#!/usr/bin/env bash
# Start-up of `hutch script` for a one-container script, next to the same container by `hutch run`:
# what loading Groovy and compiling the script cost on top of the run itself.
#
#   sudo bench/script-startup.sh [RUNS]      (default 10 runs each, after 2 warm-up runs)
#
# Prints the medians in ms. Uses private run/lib roots, so it never touches the real ones.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-10}"
work=$(mktemp -d /tmp/hutch-bench-script-XXXX)
trap 'rm -rf "$work"' EXIT
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib"

cat > "$work/one.groovy" <<'GROOVY'
def r = container('one') { image 'busybox'; network 'none'; command 'true' }.run()
assert r.exitCode == 0
GROOVY
cat > "$work/empty.groovy" <<'GROOVY'
assert 1 + 1 == 2
GROOVY

median_ms() { # CMD... : RUNS timed runs after 2 warm-ups
  local i t0 t1 times=()
  for i in 1 2; do "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }; done
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m/1000}'
}

./hutch --version >/dev/null   # builds if needed, outside the timings
run_ms=$(median_ms ./hutch run --rm --network none busybox true)
empty_ms=$(median_ms ./hutch script "$work/empty.groovy")
one_ms=$(median_ms ./hutch script "$work/one.groovy")
printf '%-52s %6s ms\n' "hutch run --rm --network none busybox true" "$run_ms" \
  "hutch script (no container: JVM + Groovy + compile)" "$empty_ms" \
  "hutch script (one container, run to its end)" "$one_ms"
