#!/usr/bin/env bash
# Push speed: `hutch push` of a multi-layer image to Docker's registry server on 127.0.0.1 (TLS,
# htpasswd auth, as the tests run it) next to `podman push` of the same image (loaded into a
# podman store of its own from `hutch save`), in the same run, interleaved. Every run pushes to a
# new repository with what each tool knows about the registry forgotten (hutch's
# images/distribution, podman's blob-info cache: see podman_push), so both compress and upload every layer; a last
# row shows hutch's push of the same image to yet another repository when it may mount the blobs.
# Writes the section between the PUSH markers of docs/benchmarks.md.
#
#   sudo bench/push.sh [RUNS]     (default 5; needs docker-registry, podman, htpasswd: scripts/registry-peers.sh)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-5}"
scripts/registry-peers.sh
command -v podman >/dev/null || { echo "bench/push.sh: podman is not installed (apt-get install podman)" >&2; exit 1; }
work=$(mktemp -d /tmp/hutch-bench-push-XXXX)
# HUTCH_ENGINE=off: a cold JVM per command, except the row that asks for the engine service (its
# socket is under this run's own HUTCH_RUN_ROOT, never another checkout's)
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib" HUTCH_ENGINE=off
proot="$work/podman"
pod=(podman --runtime runc --cgroup-manager cgroupfs --storage-driver vfs --events-backend none
  --root "$proot/root" --runroot "$proot/runroot" --tmpdir "$proot/tmp")
reg_pid=""
cleanup() {
  HUTCH_ENGINE=on ./hutch engine stop >/dev/null 2>&1 || true
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null && wait "$reg_pid" 2>/dev/null || true
  ./hutch rm -f bench-p1 bench-p2 bench-p3 >/dev/null 2>&1 || true
  "${pod[@]}" rmi -a -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

source bench/lib/registry.sh
start_bench_registry

make_bench_image bench-push bench-p
./hutch save -o "$work/image.tar" bench-push:3
"${pod[@]}" load -q -i "$work/image.tar" >/dev/null
rm -f "$work/image.tar"
certs="$work/certs.d/$host"
echo '{"auths": {}}' > "$work/podman-auth.json" # podman would read DOCKER_CONFIG's (absent) file otherwise
# podman keeps its blob-info cache in /var/lib/containers/cache whatever --root says, and would
# mount every run's blobs from the previous run's repository: each of its pushes runs in a mount
# namespace of its own with an empty tmpfs there (the host's cache is neither used nor changed)
podman_push() {
  if [ -d /var/lib/containers/cache ]; then
    unshare -m sh -c 'mount -t tmpfs hutch-bench /var/lib/containers/cache && exec "$@"' sh "${pod[@]}" push "$@"
  else
    "${pod[@]}" push "$@"
  fi
}

: >"$work/t-hutch"; : >"$work/t-podman"; : >"$work/t-service"
: >"$work/c-hutch"; : >"$work/c-podman"; : >"$work/c-service"
HUTCH_ENGINE=on ./hutch engine start >/dev/null
# CPU time (user + system, in microseconds) next to the wall time: on a shared machine the wall time
# swings with the load, the CPU each tool spends on the same push much less. The service's is read
# from its /proc/PID/stat around each push; the others' from bash's `time` of the command.
service_pid=$(cut -d' ' -f1 "$HUTCH_RUN_ROOT/engine.sock.pid")
tick=$(getconf CLK_TCK)
service_cpu_us() { awk -v t="$tick" '{print ($14 + $15) * 1000000 / t}' "/proc/$service_pid/stat"; }
TIMEFORMAT='%U %S'
cpu_us() { awk '{printf "%.0f\n", ($1 + $2) * 1000000}'; }
for ((i = 0; i < RUNS; i++)); do
  ./hutch tag bench-push:3 "$host/bench/hutch-$i:1"
  ./hutch tag bench-push:3 "$host/bench/service-$i:1"
  rm -rf "$HUTCH_LIB_ROOT/images/distribution"
  t0=$(date +%s%N)
  { time ./hutch push -q "$host/bench/hutch-$i:1" >/dev/null 2>>"$work/errors"; } 2>"$work/time"
  cpu_us <"$work/time" >>"$work/c-hutch"
  t1=$(date +%s%N)
  rm -rf "$HUTCH_LIB_ROOT/images/distribution"
  c0=$(service_cpu_us)
  HUTCH_ENGINE=on ./hutch push -q "$host/bench/service-$i:1" >/dev/null
  echo $(( ($(date +%s%N) - t1) / 1000 )) >>"$work/t-service"
  echo "$(service_cpu_us) $c0" | awk '{printf "%.0f\n", $1 - $2}' >>"$work/c-service"
  t1=$(date +%s%N)
  { time podman_push -q --authfile "$work/podman-auth.json" --creds "$BENCH_USER:$BENCH_PASS" --cert-dir "$certs" \
      localhost/bench-push:3 "docker://$host/bench/podman-$i:1" >/dev/null 2>>"$work/errors"; } 2>"$work/time"
  t2=$(date +%s%N)
  cpu_us <"$work/time" >>"$work/c-podman"
  echo $(( (t1 - t0) / 1000 )) >>"$work/t-hutch"; echo $(( (t2 - t1) / 1000 )) >>"$work/t-podman"
  ./hutch rmi "$host/bench/hutch-$i:1" "$host/bench/service-$i:1" >/dev/null
done
# the same image to another repository, hutch knowing where its blobs are: HEADs and mounts only
./hutch tag bench-push:3 "$host/bench/mounted:1"
t0=$(date +%s%N)
./hutch push -q "$host/bench/mounted:1" >/dev/null
mounted=$(( ($(date +%s%N) - t0) / 1000000 ))
compressed=$(skopeo inspect --raw --creds "$BENCH_USER:$BENCH_PASS" --cert-dir "$certs" "docker://$host/bench/hutch-0:1" \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m["layers"]), sum(l["size"] for l in m["layers"]))')
layers=${compressed% *}; bytes=${compressed#* }

h=$(median <"$work/t-hutch"); p=$(median <"$work/t-podman"); w=$(median <"$work/t-service")
ch=$(median <"$work/c-hutch"); cp=$(median <"$work/c-podman"); cw=$(median <"$work/c-service")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f×", a/b}'; }
table="| tool | median ms | vs podman | CPU ms (user+sys) | CPU vs podman |
|---|---:|---:|---:|---:|
| \`hutch push\`, a cold JVM (compress each layer as it is sent, 3 at a time) | $h | $(ratio "$h" "$p") | $ch | $(ratio "$ch" "$cp") |
| \`hutch push\` through the warm engine service (same work, a JVM already compiled) | $w | $(ratio "$w" "$p") | $cw | $(ratio "$cw" "$cp") |
| \`podman push\` (vfs store, runc) | $p | 1.00× | $cp | 1.00× |
| \`hutch push\` to another repository, blobs mounted (one run) | $mounted | $(ratio "$mounted" "$p") | – | – |"
echo "$table"

section="<!-- PUSH:BEGIN -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg) at the end, $RUNS runs each, interleaved, by \`bench/push.sh\`: an image of
$layers layers ($((bytes / 1000000)) MB compressed by hutch: busybox, 40 MB random, 40 MB text, 20 MB random) to Docker's registry
server on 127.0.0.1 with TLS and htpasswd auth, a new repository each run, with neither tool remembering the registry's blobs.

$table
<!-- PUSH:END -->"
write_bench_section PUSH "Push to a registry" "$section"
