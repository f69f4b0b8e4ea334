#!/usr/bin/env bash
# The layer path, hutch next to podman in the same run, interleaved: `commit` of a container that
# wrote SIZE_MB (half random bytes, half text), `save` of the image to a docker archive, `load` of
# that archive into an empty store, and `import` of the same content as a flat tar. podman gets the
# same content by `podman import` of hutch's export, and runs with private storage (--root and
# --runroot under the work dir, overlay driver), never the host's. hutch runs in process
# (HUTCH_ENGINE=off: a JVM per command, as the issue measured), with private roots.
# Writes the section between the LAYERS markers of docs/benchmarks.md.
#
#   sudo bench/layers.sh [RUNS] [SIZE_MB]      (default 3 runs, 700 MB)
#   HUTCH=/other/checkout/hutch bench/layers.sh   measures another build instead of this one
#   HUTCH_BEFORE=/other/checkout/hutch bench/layers.sh   adds that build's column (e.g. the one before a change), in turns
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
RUNS="${1:-3}"
SIZE_MB="${2:-700}"
HUTCH="${HUTCH:-$PWD/hutch}"
HUTCH_BEFORE="${HUTCH_BEFORE:-}"
work=$(mktemp -d /tmp/hutch-bench-layers-XXXX)
export HUTCH_ENGINE=off HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib"
# podman with storage, run dir and tmp dir (its events log) all under DIR
podman_in() { local d=$1; shift; podman --root "$d/root" --runroot "$d/run" --tmpdir "$d/tmp" --storage-driver overlay \
  --cgroup-manager cgroupfs --events-backend file "$@"; }
# podman's overlay driver bind-mounts its layer dir onto itself: unmount what lies under DIR, then remove it
drop_dir() {
  [ -d "$1" ] || return 0
  [ -d "$1/root" ] && podman_in "$1" rmi -a -f >/dev/null 2>&1 || true
  grep -F " $1/" /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount 2>/dev/null || true
  rm -rf "$1"
}
cleanup() {
  "$HUTCH" rm -f bench-layers >/dev/null 2>&1 || true
  for d in "$work"/podman*; do drop_dir "$d"; done
  rm -rf "$work"
}
trap cleanup EXIT

half=$((SIZE_MB / 2))
parts=$((half * 1000000 / 8 / 400000)) # seq's lines average about 8 bytes here
"$HUTCH" run --name bench-layers --network none busybox sh -c \
  "head -c ${half}000000 /dev/urandom > /random && mkdir /text && for n in \$(seq 0 $((parts - 1))); do seq \$((n * 400000 + 1)) \$((n * 400000 + 400000)) > /text/part-\$n; done" >/dev/null
# built (if it had to be) by the run above: no rebuild inside a timed command if a source changes meanwhile
export HUTCH_NO_BUILD=1
"$HUTCH" export -o "$work/flat.tar" bench-layers
podman_in "$work/podman" import "$work/flat.tar" bench-layers:1 >/dev/null
flat_mb=$(( $(stat -c %s "$work/flat.tar") / 1000000 ))

ms() { echo $(( ($2 - $1) / 1000000 )); }
now() { date +%s%N; }
declare -A t
add() { t[$1]="${t[$1]:-} $2"; }
# Each timed command starts with no dirty pages of the one before waiting to be written back
# (a command's own writes still count only as far as it waits for them, for hutch and podman alike).
timed() { local key=$1; shift; sync; local a b; a=$(now); "$@" >/dev/null; b=$(now); add "$key" "$(ms "$a" "$b")"; }
for ((i = 0; i < RUNS; i++)); do
  timed hutch-commit "$HUTCH" commit bench-layers "bench-layers:c$i"
  timed hutch-save "$HUTCH" save -o "$work/h.tar" "bench-layers:c$i"
  timed podman-save podman_in "$work/podman" save -o "$work/p.tar" bench-layers:1
  timed hutch-load env HUTCH_LIB_ROOT="$work/load-$i" "$HUTCH" load -i "$work/h.tar"
  timed podman-load podman_in "$work/podman-load-$i" load -i "$work/p.tar"
  timed hutch-import env HUTCH_LIB_ROOT="$work/import-$i" "$HUTCH" import "$work/flat.tar" bench-imported:1
  timed podman-import podman_in "$work/podman-load-$i" import "$work/flat.tar" bench-imported:1
  if [ -n "$HUTCH_BEFORE" ]; then
    timed before-commit "$HUTCH_BEFORE" commit bench-layers "bench-layers:b$i"
    timed before-save "$HUTCH_BEFORE" save -o "$work/b.tar" "bench-layers:b$i"
    timed before-load env HUTCH_LIB_ROOT="$work/bload-$i" "$HUTCH_BEFORE" load -i "$work/b.tar"
    timed before-import env HUTCH_LIB_ROOT="$work/bimport-$i" "$HUTCH_BEFORE" import "$work/flat.tar" bench-imported:1
    "$HUTCH" rmi "bench-layers:b$i" >/dev/null
    rm -rf "$work/bload-$i" "$work/bimport-$i" "$work/b.tar"
  fi
  drop_dir "$work/podman-load-$i"
  rm -rf "$work/load-$i" "$work/import-$i" "$work/h.tar" "$work/p.tar"
  if ((i > 0)); then "$HUTCH" rmi "bench-layers:c$i" >/dev/null; fi
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
row() { # verb, hutch key, podman key
  local h p b=""
  h=$(echo "${t[$2]}" | median)
  [ -n "$HUTCH_BEFORE" ] && b=" $(echo "${t[before-${2#hutch-}]}" | median) |"
  if [ -n "$3" ]; then
    p=$(echo "${t[$3]}" | median)
    echo "| \`$1\` | $h |$b $p | $(awk -v a="$h" -v b="$p" 'BEGIN{printf "%.2f×", a/b}') |"
  else
    echo "| \`$1\` | $h |$b – | – |"
  fi
}
if [ -n "$HUTCH_BEFORE" ]; then head="| verb | hutch ms | hutch before ms | podman ms | hutch / podman |
|---|---:|---:|---:|---:|"
else head="| verb | hutch ms | podman ms | hutch / podman |
|---|---:|---:|---:|"; fi
table="$head
$(row commit hutch-commit "")
$(row save hutch-save podman-save)
$(row load hutch-load podman-load)
$(row import hutch-import podman-import)"
echo "$table"
echo "all runs (ms):"; for k in "${!t[@]}"; do echo "  $k:${t[$k]}"; done | sort

if [ "${LAYERS_WRITE_DOC:-1}" = 1 ]; then
  section="<!-- LAYERS:BEGIN -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg) at the end, $RUNS runs each, interleaved, medians, by
\`bench/layers.sh $RUNS $SIZE_MB\`: one layer of $flat_mb MB (half random bytes, half text in 400 000-line files), \`sync\` before each command; hutch in process
(\`HUTCH_ENGINE=off\`)${HUTCH_BEFORE:+, \"before\" is ${HUTCH_BEFORE_LABEL:-$HUTCH_BEFORE}}, podman $(podman --version | cut -d' ' -f3) with private overlay storage. \`load\` and \`import\` into an empty store each run.

$table
<!-- LAYERS:END -->"
  doc=docs/benchmarks.md
  grep -q '<!-- LAYERS:BEGIN -->' "$doc" || printf '\n## The layer path: commit, save, load, import\n\n<!-- LAYERS:BEGIN -->\n<!-- LAYERS:END -->\n' >> "$doc"
  python3 - "$doc" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"<!-- LAYERS:BEGIN -->.*?<!-- LAYERS:END -->", lambda m: section, text, flags=re.S)
open(path, "w").write(text)
PY
  echo "written to $doc"
fi
