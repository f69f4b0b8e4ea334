#!/usr/bin/env bash
# How `hutch logs` copes with a large log: writes a synthetic json-file log of SIZE_MB (default
# 1024) in the monitor's own layout into a stopped container's log (private roots), then times
#   logs --tail 10, logs --since (last 1%), and the whole log to /dev/null under -Xmx64m,
# next to `cat` of the same (cached) file. Prints a Markdown table for docs/benchmarks.md.
#
#   sudo bench/logs.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
SIZE_MB="${1:-1024}"
work=$(mktemp -d /tmp/hutch-bench-logs-XXXX)
export HUTCH_RUN_ROOT="$work/run" HUTCH_LIB_ROOT="$work/lib" HUTCH_CGROUP_PARENT="hutch/bench-logs-${work##*-}"
cleanup() {
  ./hutch rm -f big >/dev/null 2>&1 || true
  for d in /sys/fs/cgroup/*/"$HUTCH_CGROUP_PARENT" /sys/fs/cgroup/"$HUTCH_CGROUP_PARENT"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # median wall ms of 3 runs of the command, output discarded
  local i t0; for i in 1 2 3; do t0=$(now_ms); "$@" >/dev/null 2>&1; echo $(( $(now_ms) - t0 )); done | median
}

./hutch run -d --network none --name big --log-opt max-size=-1 busybox true >/dev/null
./hutch wait big >/dev/null
log=$(./hutch inspect -f '{{.LogPath}}' big)
python3 - "$log" "$SIZE_MB" <<'PY'
import sys, datetime
path, mb = sys.argv[1], int(sys.argv[2])
t = datetime.datetime(2026, 11, 22, 6, 0, 0)
step = datetime.timedelta(microseconds=1000)
target, n = mb * 1024 * 1024, 0
with open(path, "w", buffering=1 << 20) as f:
    written = 0
    while written < target:
        line = '{"time":"%sZ","stream":"%s","log":"line %d of a chatty container, with some text to make it longer\\n"}\n' % (
            (t + n * step).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000", "stderr" if n % 10 == 0 else "stdout", n)
        f.write(line); written += len(line); n += 1
print(n, file=open(path + ".lines", "w"))
PY
lines=$(cat "$log.lines"); rm -f "$log.lines"
last_pct=$(python3 -c "import datetime;t=datetime.datetime(2026,11,22,6,0,0)+datetime.timedelta(microseconds=1000*int($lines*0.99));print(t.strftime('%Y-%m-%dT%H:%M:%SZ'))")
cat "$log" >/dev/null # into the page cache, for every row alike

cat_ms=$(timed cat "$log")
t0=$(now_ms); dd if="$log" of=/dev/null bs=1M iflag=direct status=none; disk_ms=$(( $(now_ms) - t0 ))
cat "$log" >/dev/null # back into the page cache
jvm_ms=$(timed ./hutch inspect -f '{{.State.Status}}' big)
tail_ms=$(timed ./hutch logs --tail 10 big)
since_ms=$(timed ./hutch logs --since "$last_pct" big)
export JDK_JAVA_OPTIONS="-Xmx64m"
all_ms=$(timed ./hutch logs big)
/usr/bin/time -f '%M' -o "$work/rss" ./hutch logs big >/dev/null 2>&1 || true
rss_kb=$(tail -1 "$work/rss" 2>/dev/null || echo "?")
unset JDK_JAVA_OPTIONS
printed=$(./hutch logs big 2>&1 >/dev/null | wc -l)
out_lines=$(./hutch logs big 2>/dev/null | wc -l)

size=$(du -m "$log" | cut -f1)
echo "Measured $(date -u +%F) on $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1 /proc/loadavg); a ${size} MB log of ${lines} entries (page cache warm), median of 3:"
echo
echo '| what | ms |'
echo '|---|---:|'
echo "| reading the file from the disk (\`dd iflag=direct\`) | $disk_ms |"
echo "| \`cat\` of the file (page cache) | $cat_ms |"
echo "| \`hutch inspect\` of the container (JVM and engine start-up alone) | $jvm_ms |"
echo "| \`logs --tail 10\` | $tail_ms |"
echo "| \`logs --since\` (the last 1%) | $since_ms |"
echo "| \`logs\`, all of it, under \`-Xmx64m\` (max RSS ${rss_kb} kB) | $all_ms |"
echo
echo "(\`logs\` printed $out_lines stdout lines and $printed stderr lines of $lines entries.)"
