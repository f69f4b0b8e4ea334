#!/usr/bin/env bash
# Soak: N cycles (default 1000) of `run --rm` rotating through --network none, the default
# bridge, and the bridge with a published port, in private roots, a private cgroup parent and a
# private bridge. Reports what is left afterwards (state dirs, names, leases, cgroups, veths,
# NAT rules, netns files, mounts, processes under the roots) and whether anything grew: the
# roots' size, and the time per cycle at the start and at the end.
#
#   sudo bench/soak.sh [N]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
N="${1:-1000}"
tag=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d /tmp/hutch-bench-soak-XXXX)
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib" HUTCH_CGROUP_PARENT="hutch/soak-$tag"
export HUTCH_BRIDGE="hutchs$tag" HUTCH_BRIDGE_SUBNET="10.234.$((16#${tag:0:2})).0/24"
cleanup() {
  ./hutch ps -aq --no-trunc 2>/dev/null | xargs -r ./hutch rm -f >/dev/null 2>&1 || true
  ./hutch network rm bridge >/dev/null 2>&1 || true
  for d in /sys/fs/cgroup/*/"$HUTCH_CGROUP_PARENT" /sys/fs/cgroup/"$HUTCH_CGROUP_PARENT"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
count() { [ -d "$1" ] && find "$1" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l || echo 0; }
leftovers() {
  echo "| state dirs | $(count "$work/run/containers") |"
  echo "| name files | $(count "$work/run/names") |"
  echo "| data dirs | $(count "$work/lib/containers") |"
  echo "| address leases | $(find "$work/lib/networks" -path '*/leases/*' ! -name '.*' 2>/dev/null | wc -l) |"
  echo "| cgroups under the parent | $(find /sys/fs/cgroup -mindepth 2 -maxdepth 4 -path "*/$HUTCH_CGROUP_PARENT/*" -type d 2>/dev/null | wc -l) |"
  echo "| veths of its containers (hv…, on its bridge) | $( (ls "/sys/class/net/$HUTCH_BRIDGE/brif" 2>/dev/null || true) | wc -l) |"
  echo "| DNAT rules to its subnet (published ports) | $(iptables-save -t nat 2>/dev/null | grep -c -- "--to-destination ${HUTCH_BRIDGE_SUBNET%.0/24}." || true) |"
  echo "| mounts under its roots | $(grep -c "$work" /proc/mounts || true) |"
  local f n=0
  for f in /proc/[0-9]*/cmdline; do [[ "$( { tr '\0' ' ' < "$f"; } 2>/dev/null)" == *"$work"* ]] && n=$((n + 1)); done
  echo "| processes with its roots on their command line | $n |"
}

./hutch run --rm --network none busybox true >/dev/null # build, image, class-data archive
du0=$(du -sk "$work" | cut -f1)
declare -a t
fail=0
for i in $(seq 1 "$N"); do
  t0=$(now_ms)
  case $((i % 3)) in
    0) ./hutch run --rm --network none busybox true >/dev/null 2>>"$work/errors" || fail=$((fail + 1)) ;;
    1) ./hutch run --rm busybox true >/dev/null 2>>"$work/errors" || fail=$((fail + 1)) ;;
    2) ./hutch run --rm -p 127.0.0.1:0:80 busybox true >/dev/null 2>>"$work/errors" || fail=$((fail + 1)) ;;
  esac
  t[$i]=$(( $(now_ms) - t0 ))
done
du1=$(du -sk "$work" | cut -f1)
first=$(printf '%s\n' "${t[@]:1:100}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
last=$(printf '%s\n' "${t[@]: -100}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

echo "Soak of $N cycles (none / bridge / -p rotating), $(date -u +%F), $(nproc) cores, $(uname -r): $fail failed."
echo
echo '| left after the soak | count |'
echo '|---|---:|'
leftovers
echo
echo "| growth | first 100 cycles | last 100 cycles |"
echo "|---|---:|---:|"
echo "| median ms per cycle | $first | $last |"
echo "| roots' size (kB, before / after) | $du0 | $du1 |"
[ -s "$work/errors" ] && { echo; echo "First errors:"; head -5 "$work/errors"; }
exit 0
