#!/usr/bin/env bash
# The cost of --userns=auto: `run --rm busybox true` with --userns=host and with --userns=auto,
# interleaved (so a busy machine slows both alike), with --network none and with the default
# bridge. Prints the medians in ms and the difference.
#
#   sudo bench/userns.sh [RUNS]        (default 20 runs each, after 2 warm-up runs)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-20}"
work=$(mktemp -d /tmp/hutch-bench-userns-XXXX)
chmod 711 "$work" # the mapped container's root must be able to reach its rootfs under it
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib" HUTCH_BRIDGE="hutchu$$" HUTCH_BRIDGE_SUBNET="10.233.0.0/24"
trap './hutch network rm bridge >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }

for net in none bridge; do
  for mode in host auto; do ./hutch run --rm --network "$net" --userns=$mode busybox true; ./hutch run --rm --network "$net" --userns=$mode busybox true; done
  : >"$work/host" ; : >"$work/auto"
  for ((i = 0; i < RUNS; i++)); do
    for mode in host auto; do
      t0=$(date +%s%N); ./hutch run --rm --network "$net" --userns=$mode busybox true; t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 )) >>"$work/$mode"
    done
  done
  h=$(median <"$work/host"); a=$(median <"$work/auto")
  printf 'network %-6s  --userns=host %7s ms   --userns=auto %7s ms   difference %6.1f ms\n' "$net" "$h" "$a" "$(echo "$a - $h" | bc)"
done
