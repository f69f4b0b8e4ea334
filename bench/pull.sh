#!/usr/bin/env bash
# Pull speed: `hutch pull` of a multi-layer image from Docker's registry server on 127.0.0.1 (TLS,
# htpasswd auth, as the tests run it) next to `skopeo copy docker://… dir:…` of the same image, in
# the same run, interleaved. Each run starts from an empty store (hutch) or an empty dir (skopeo).
# hutch also verifies and unpacks every layer into its store; skopeo's dir: keeps the blobs as they
# come. Writes the section between the PULL markers of docs/benchmarks.md.
#
#   sudo bench/pull.sh [RUNS]     (default 5; needs docker-registry, skopeo, htpasswd: scripts/registry-peers.sh)
#   HUTCH_BEFORE=/other/checkout/hutch bench/pull.sh   adds that build's pull (e.g. the one before a change), in turns
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-5}"
scripts/registry-peers.sh
work=$(mktemp -d /tmp/hutch-bench-pull-XXXX)
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib"
reg_pid=""
cleanup() {
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null && wait "$reg_pid" 2>/dev/null || true
  ./hutch rm -f bench-l1 bench-l2 bench-l3 >/dev/null 2>&1 || true
  ./hutch engine stop >/dev/null 2>&1 || true
  if [ -n "${HUTCH_BEFORE:-}" ]; then HUTCH_RUN_ROOT="$work/run-before" HUTCH_NO_BUILD=1 "$HUTCH_BEFORE" engine stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

source bench/lib/registry.sh
start_bench_registry

make_bench_image bench-pull bench-l
./hutch save -o "$work/image.tar" bench-pull:3
skopeo copy --quiet --dest-creds bench:bench-pass --dest-cert-dir "$work/certs.d/$host" \
  "docker-archive:$work/image.tar" "docker://$host/bench/pull:1"
compressed=$(skopeo inspect --raw --creds bench:bench-pass --cert-dir "$work/certs.d/$host" "docker://$host/bench/pull:1" \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m["layers"]), sum(l["size"] for l in m["layers"]))')
layers=${compressed% *}; bytes=${compressed#* }

# Three ways to run `hutch pull`, in turns within each round: through the engine service (what
# `./hutch` does by default: a warm JVM), in process (HUTCH_ENGINE=off: a cold JVM per pull), and
# optionally another build's. Each build has its own run root, so its own engine service: two
# builds on one socket would replace each other's service at every call and time cold starts.
./hutch engine start >/dev/null
HUTCH_LIB_ROOT="$work/warm-up" ./hutch pull -q "$host/bench/pull:1" >/dev/null   # the service's first pull, untimed
rm -rf "$work/warm-up"
if [ -n "${HUTCH_BEFORE:-}" ]; then
  HUTCH_RUN_ROOT="$work/run-before" HUTCH_NO_BUILD=1 "$HUTCH_BEFORE" engine start >/dev/null
  HUTCH_RUN_ROOT="$work/run-before" HUTCH_LIB_ROOT="$work/warm-up" HUTCH_NO_BUILD=1 "$HUTCH_BEFORE" pull -q "$host/bench/pull:1" >/dev/null
  rm -rf "$work/warm-up"
fi
: >"$work/t-hutch"; : >"$work/t-cold"; : >"$work/t-skopeo"
for ((i = 0; i < RUNS; i++)); do
  t0=${EPOCHREALTIME/./}
  HUTCH_LIB_ROOT="$work/pull-$i" ./hutch pull -q "$host/bench/pull:1" >/dev/null
  t1=${EPOCHREALTIME/./}
  HUTCH_ENGINE=off HUTCH_LIB_ROOT="$work/cold-$i" ./hutch pull -q "$host/bench/pull:1" >/dev/null
  t2=${EPOCHREALTIME/./}
  skopeo copy --quiet --src-creds bench:bench-pass --src-cert-dir "$work/certs.d/$host" "docker://$host/bench/pull:1" "dir:$work/skopeo-$i"
  t3=${EPOCHREALTIME/./}
  echo $(( t1 - t0 )) >>"$work/t-hutch"; echo $(( t2 - t1 )) >>"$work/t-cold"; echo $(( t3 - t2 )) >>"$work/t-skopeo"
  rm -rf "$work/skopeo-$i" "$work/pull-$i" "$work/cold-$i"
  if [ -n "${HUTCH_BEFORE:-}" ]; then
    t0=${EPOCHREALTIME/./}
    HUTCH_RUN_ROOT="$work/run-before" HUTCH_LIB_ROOT="$work/bpull-$i" HUTCH_NO_BUILD=1 "$HUTCH_BEFORE" pull -q "$host/bench/pull:1" >/dev/null
    t1=${EPOCHREALTIME/./}
    echo $(( t1 - t0 )) >>"$work/t-before"
    rm -rf "$work/bpull-$i"
  fi
done
h=$(median <"$work/t-hutch"); c=$(median <"$work/t-cold"); s=$(median <"$work/t-skopeo")
table="| tool | median ms | vs skopeo |
|---|---:|---:|
| \`hutch pull\` through the engine service (the default; verify, unpack into the store) | $h | $(awk -v a="$h" -v b="$s" 'BEGIN{printf "%.2f×", a/b}') |
| \`hutch pull\` in process (\`HUTCH_ENGINE=off\`: a cold JVM) | $c | $(awk -v a="$c" -v b="$s" 'BEGIN{printf "%.2f×", a/b}') |
| \`skopeo copy docker://… dir:…\` (blobs as they come) | $s | 1.00× |"
if [ -n "${HUTCH_BEFORE:-}" ]; then
  b=$(median <"$work/t-before")
  table="$table
| \`hutch pull\`, ${HUTCH_BEFORE_LABEL:-$HUTCH_BEFORE}, its own engine service | $b | $(awk -v a="$b" -v b="$s" 'BEGIN{printf "%.2f×", a/b}') |"
fi
echo "$table"

section="<!-- PULL:BEGIN -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg) at the end, $RUNS runs each, interleaved, by \`bench/pull.sh\`: an image of
$layers layers ($((bytes / 1000000)) MB compressed: busybox, 40 MB random, 40 MB text, 20 MB random) from Docker's registry
server on 127.0.0.1 with TLS and htpasswd auth, into an empty store or dir each run.

$table
<!-- PULL:END -->"
write_bench_section PULL "Pull from a registry" "$section"
