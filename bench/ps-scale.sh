#!/usr/bin/env bash
# How `hutch ps` grows with the number of containers: starts N detached `sleep` containers
# (--network none, private roots), times `ps` at 1, N/10 and N containers, removes them all.
#
#   sudo bench/ps-scale.sh [N]      (default 200)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
N="${1:-200}"
work=$(mktemp -d /tmp/hutch-bench-ps-XXXX)
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib"
cleanup() { ./hutch ps -aq --no-trunc 2>/dev/null | xargs -r -n 50 ./hutch rm -f >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median_ps() { # 5 timed runs of `hutch ps`
  local i t0 t=() ; for i in 1 2 3 4 5; do t0=$(now_ms); ./hutch ps >/dev/null; t+=($(( $(now_ms) - t0 ))); done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}
start() { # start containers until there are $1
  local have; have=$(./hutch ps -q | wc -l)
  seq $((have + 1)) "$1" | xargs -P 2 -I{} ./hutch run -d --network none busybox sleep 600 >/dev/null
}
./hutch --version >/dev/null
printf '| running containers | `hutch ps` median ms |\n|---:|---:|\n'
for n in 1 $((N / 10)) "$N"; do
  start "$n"
  printf '| %d | %s |\n' "$(./hutch ps -q | wc -l)" "$(median_ps)"
done
