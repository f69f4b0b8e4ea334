#!/usr/bin/env bash
# Times `run` of /bin/true, side by side with the peers that are installed: hutch with
# --network none and with its default bridge network, runc, crun, podman. Writes the medians and
# ratios to docs/benchmarks.md between the RUN-LATENCY markers.
#
#   sudo bench/run-latency.sh [RUNS]        (default 30 runs each, after 3 warm-up runs)
#
# Peers are measured only if installed (apt-get install runc crun podman); nothing is downloaded:
# runc and crun get an OCI bundle made from hutch's own busybox layer, podman imports that layer.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-30}"
work=$(mktemp -d /tmp/hutch-bench-XXXX)
# Private roots and a bridge of the benchmark's own, taken off the host again at the end.
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib" HUTCH_BRIDGE="hutchb$$" HUTCH_BRIDGE_SUBNET="10.232.0.0/24"
cleanup() {
  ./hutch engine stop >/dev/null 2>&1 || true
  ./hutch network rm bridge >/dev/null 2>&1 || true
  if command -v podman >/dev/null; then
    podman --runtime runc --cgroup-manager cgroupfs rm -f hutch-bench-fin >/dev/null 2>&1 || true
    podman rmi -f localhost/hutch-bench-busybox >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The clock is bash's own ($EPOCHREALTIME, microseconds): `$(date +%s%N)` around a command
# counted date's exit and the next date's fork and exec too, several ms per sample on this host.

# time_cmd NAME CMD... : runs the command RUNS times after warm-ups, prints the median in ms
time_cmd() {
  local name=$1; shift
  local i t0 t1 times=()
  for i in 1 2 3; do "$@" >/dev/null 2>&1 || { echo "  $name: failed: $*" >&2; return 1; }; done
  for ((i = 0; i < RUNS; i++)); do
    t0=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
    times+=($(( t1 - t0 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %.1f\n", n, m/1000}'
}

# What the default walls cost (docs/security.md, budget 2 ms): a default run, one without the
# seccomp filter, and a --privileged one (no filter, no device program, no masked paths, but the
# host's /dev nodes made), taken in turns within each round (the order rotating), so a machine
# whose load drifts (other builds on the same 2 cores) shifts all three alike. Prints the three
# medians, then the medians of the per-round differences, which the drift cancels out of.
sec_default() { ./hutch run --rm --network none busybox true; }
sec_unconfined() { ./hutch run --rm --network none --security-opt seccomp=unconfined busybox true; }
sec_privileged() { ./hutch run --rm --network none --privileged busybox true; }
time_security_walls() {
  local i k t0 t1 order variants=(sec_default sec_unconfined sec_privileged) d=() u=() p=()
  for v in "${variants[@]}"; do for i in 1 2; do "$v" >/dev/null 2>&1 || { echo "  $v: failed" >&2; return 1; }; done; done
  for ((i = 0; i < RUNS; i++)); do
    for ((k = 0; k < 3; k++)); do
      order=${variants[$(( (i + k) % 3 ))]}
      t0=${EPOCHREALTIME/./}; "$order" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
      case $order in
        sec_default) d+=($(( t1 - t0 ))) ;;
        sec_unconfined) u+=($(( t1 - t0 ))) ;;
        sec_privileged) p+=($(( t1 - t0 ))) ;;
      esac
    done
  done
  median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }
  echo "hutch default, in turns with the two below $(printf '%s\n' "${d[@]}" | median)"
  echo "hutch seccomp=unconfined, in turns $(printf '%s\n' "${u[@]}" | median)"
  echo "hutch --privileged, in turns $(printf '%s\n' "${p[@]}" | median)"
  # paired: default minus the other in the same round (µs; may be negative)
  echo "paired: default − unconfined $(for ((i = 0; i < RUNS; i++)); do echo $(( d[i] - u[i] )); done | median)"
  echo "paired: default − privileged $(for ((i = 0; i < RUNS; i++)); do echo $(( d[i] - p[i] )); done | median)"
}

./hutch --version >/dev/null   # builds if needed
# The first rows time the cold path (a JVM per call), as before the engine service existed; the
# warm-engine table below times the service next to it.
export HUTCH_ENGINE=off
results=()
results+=("$(time_cmd "hutch --network none" ./hutch run --rm --network none busybox true)")
while read -r line; do results+=("$line"); done < <(time_security_walls || true)
results+=("$(time_cmd "unshare, 5 namespaces (kernel floor)" unshare -p -m -u -i -n -f /bin/true || true)")
results+=("$(time_cmd "hutch (bridge network)" ./hutch run --rm busybox true || true)")

layer=$(find "$work/lib/layers" -mindepth 2 -maxdepth 3 -type d -name fs 2>/dev/null | head -n 1)
if [ -n "$layer" ]; then
  bundle="$work/bundle"; mkdir -p "$bundle/rootfs"; cp -a "$layer/." "$bundle/rootfs/"
  (cd "$bundle" && runc spec 2>/dev/null || crun spec)
  sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' "$bundle/config.json"
  if command -v runc >/dev/null; then
    results+=("$(time_cmd "runc" runc run -b "$bundle" "hutch-bench-runc-$$" || true)")
  fi
  # The OCI command line as containerd's shim drives it: create, start, delete --force (it
  # waits for `true` to be gone), one process each; hutch's through hutch-runc (three cold JVMs).
  oci_cycle() {
    local id="hutch-bench-oci-$$"
    "$@" create -b "$bundle" "$id" && "$@" start "$id" && "$@" delete --force "$id"
  }
  if command -v runc >/dev/null; then
    results+=("$(time_cmd "runc create+start+delete" oci_cycle runc --root "$work/runc-root" || true)")
  fi
  results+=("$(time_cmd "hutch oci create+start+delete (hutch-runc)" oci_cycle ./hutch-runc --root "$work/oci-root" || true)")
  if command -v crun >/dev/null; then
    # crun refuses this kind of hybrid cgroup host outright; without cgroups it still shows its
    # start-up floor (marked in the table, as it is then doing less than the others).
    if crun run -b "$bundle" "hutch-bench-crun-$$" >/dev/null 2>&1; then
      results+=("$(time_cmd "crun" crun run -b "$bundle" "hutch-bench-crun-$$")")
    elif crun --cgroup-manager=disabled run -b "$bundle" "hutch-bench-crun-$$" >/dev/null 2>&1; then
      results+=("$(time_cmd "crun (cgroups disabled)" crun --cgroup-manager=disabled run -b "$bundle" "hutch-bench-crun-$$")")
    else
      results+=("crun (refuses this hybrid cgroup host) -")
    fi
  fi
  if command -v podman >/dev/null; then
    tar -C "$layer" -c . | podman import -q - localhost/hutch-bench-busybox >/dev/null
    # podman's default runtime here (crun) refuses this hybrid cgroup host; runc with cgroupfs
    # runs, with ulimits it is allowed to set (this sandbox cannot raise RLIMIT_NOFILE).
    pod=(podman --runtime runc --cgroup-manager cgroupfs)
    popts=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
    results+=("$(time_cmd "podman --network none (runc)" "${pod[@]}" run --rm --network none "${popts[@]}" localhost/hutch-bench-busybox true || true)")
    results+=("$(time_cmd "podman, default network (runc)" "${pod[@]}" run --rm "${popts[@]}" localhost/hutch-bench-busybox true || true)")
    # The peer's walls, next to hutch's: podman's default (docker's profile, loaded by runc
    # through libseccomp) against seccomp=unconfined, in turns, the order alternating per round.
    pdef() { "${pod[@]}" run --rm --network none "${popts[@]}" localhost/hutch-bench-busybox true; }
    punc() { "${pod[@]}" run --rm --network none "${popts[@]}" --security-opt seccomp=unconfined localhost/hutch-bench-busybox true; }
    if pdef >/dev/null 2>&1 && punc >/dev/null 2>&1; then
      pd=() pu=()
      for ((i = 0; i < RUNS; i++)); do
        for v in $( ((i % 2)) && echo "punc pdef" || echo "pdef punc"); do
          t0=${EPOCHREALTIME/./}; "$v" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
          if [ "$v" = pdef ]; then pd+=($(( t1 - t0 ))); else pu+=($(( t1 - t0 ))); fi
        done
      done
      results+=("paired: podman default − unconfined $(for ((i = 0; i < RUNS; i++)); do echo $(( pd[i] - pu[i] )); done \
        | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}')")
    fi
  fi
fi

# The warm engine (docs/engine-service.md): the same commands through the engine service, in
# process (HUTCH_ENGINE=off, the cold JVM), and by podman where it has the verb.
source bench/lib/warm-engine.sh
warm_table=$(warm_engine_table)
echo "$warm_table"

# The same walls by parts, with the helper's own code (bench/security-walls/): the filter's
# install, a process living under it, and the device program's load + attach to a cgroup made
# (and removed) under hutch's parent on the v2 hierarchy. Resolves what a loaded machine's
# end-to-end medians cannot.
parts=""
v2=$(awk '{for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break }}' /proc/self/mountinfo)
if [ -n "$v2" ] && cc -O2 -std=c11 -Iengine/src/main/c -o "$work/walls" bench/security-walls/walls.c \
     engine/target/native-obj/security.o engine/target/native-obj/util.o 2>/dev/null; then
  made_parent=""
  [ -d "$v2/hutch" ] || { mkdir "$v2/hutch" && made_parent=1; }
  hex=()
  mapfile -t hex < <(java -cp engine/target/classes bench/security-walls/SecurityWallsHex.java || true)
  if [ "${#hex[@]}" -ge 2 ] && out=$("$work/walls" 200 "${hex[0]}" "${hex[1]}" "$v2/hutch"); then
    parts="the filter's install $(awk '/install/{print $NF}' <<<"$out") µs ($(( ${#hex[0]} / 16 )) instructions), a process under it"
    parts+=" (fork, install, exec \`true\`) $(awk '/paired/{print $NF}' <<<"$out") µs more than one without,"
    parts+=" the device program's load and attach $(awk '/device/{print $NF}' <<<"$out") µs (medians of 200 rounds)"
  fi
  [ -z "$made_parent" ] || rmdir "$v2/hutch"
fi

base=$(printf '%s\n' "${results[@]}" | awk '/^hutch --network none /{print $NF}')
table="| runtime | median ms | vs hutch --network none |"$'\n'"|---|---:|---:|"
paired=""
for r in "${results[@]}"; do
  [ -n "$r" ] || continue
  ms=${r##* }; name=${r% *}
  if [[ $name == paired:* ]]; then paired+="${paired:+; }${name#paired: } = $ms ms"; continue; fi
  if [ "$ms" = "-" ]; then table+=$'\n'"| $name | – | – |"; continue; fi
  table+=$'\n'"| $name | $ms | $(awk -v a="$ms" -v b="$base" 'BEGIN{printf "%.2f×", a/b}') |"
done
echo "$table"
echo "paired (security walls): ${paired:-not measured}"
echo "by parts: ${parts:-not measured}"

section="<!-- RUN-LATENCY:BEGIN -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg) at the end, $RUNS runs each after 3 warm-ups, \`run\` of \`true\` on busybox:

$table

What the security walls cost, median of the per-round differences ($RUNS rounds): ${paired:-not measured}.
By parts, with the helper's own code (\`bench/security-walls/\`): ${parts:-not measured}.

The warm engine, same run: medians in ms (CPU: ms per call, the client's and the service's
together, the containers' own included; podman's conmon detaches and is not counted):

$warm_table
<!-- RUN-LATENCY:END -->"
doc=docs/benchmarks.md
[ -f "$doc" ] || printf '# Benchmarks\n\n<!-- RUN-LATENCY:BEGIN -->\n<!-- RUN-LATENCY:END -->\n' > "$doc"
python3 - "$doc" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"<!-- RUN-LATENCY:BEGIN -->.*?<!-- RUN-LATENCY:END -->", lambda m: section, text, flags=re.S)
open(path, "w").write(text)
PY
echo "written to $doc"
