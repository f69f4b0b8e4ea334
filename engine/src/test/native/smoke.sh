#!/bin/bash
# Development smoke test of the native helper (engine/src/main/c) against a busybox rootfs.
# Needs root and busybox-static (/bin/busybox). A developer tool: the Java integration tests are
# the real tests. Everything lives under /tmp/hutch-c-smoke-*, removed at the end; the only
# cgroup touched is /sys/fs/cgroup/pids/hutch/smoke-<pid> (removed too).
# Usage: smoke.sh [-k]     (-k keeps the temp dir for inspection)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../../main/c
FE=$HERE/fake_engine.py
KEEP=${1:-}
[ "$(id -u)" = 0 ] || { echo "smoke.sh: needs root" >&2; exit 2; }
[ -x /bin/busybox ] || { echo "smoke.sh: needs busybox-static" >&2; exit 2; }

W=$(mktemp -d /tmp/hutch-c-smoke-XXXX)
chmod 755 "$W"   # the user-namespace test's root (host uid 100000) must reach the rootfs
PIDS=()          # every background pid we started, killed at exit if still alive
CG_CREATED=()    # cgroups we created, removed at exit
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    for ((i=${#CG_CREATED[@]}-1; i>=0; i--)); do rmdir "${CG_CREATED[$i]}" 2>/dev/null; done
    # overlay mounts live only in the containers' mount namespaces: nothing to unmount here
    if [ "$KEEP" = -k ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

make -s -C "$SRC" OUT="$W/bin" OBJDIR="$W/obj" || { echo "build failed"; exit 1; }
H=$W/bin/hutch-helper

FAILS=0; N=0
ok()   { N=$((N+1)); echo "ok   $1"; }
bad()  { N=$((N+1)); FAILS=$((FAILS+1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
has()  { grep -q -- "$2" "$1"; }
TAB=$'\t'

# --- a busybox rootfs -------------------------------------------------------------------------
R=$W/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/tmp"
cp /bin/busybox "$R/bin/"
for a in sh ls cat echo sleep ps id hostname tty mount grep wc touch env printf readlink test kill stty; do
    ln -s busybox "$R/bin/$a"
done
echo "not a program" > "$R/bin/notexec"; chmod 644 "$R/bin/notexec"

# A launch file: base lines, then the caller's extra lines (stdin), then the arg lines.
# usage: mklaunch NAME [arg...] <<< "extra lines"
mklaunch() {
    local name=$1; shift
    local args=("$@")
    local d=$W/$name; mkdir -p "$d/state"
    {
        echo "version 2"
        echo "id $name"
        echo "state_dir $d/state"
        echo "sync_fifo $d/sync"
        echo "log_path $d/state/log.json"
        echo "hostname box-$name"
        cat
        echo "mount proc${TAB}/proc${TAB}proc${TAB}nosuid,noexec,nodev,mkdir${TAB}"
        echo "mount tmpfs${TAB}/dev${TAB}tmpfs${TAB}nosuid,mkdir${TAB}mode=755,size=65536k"
        echo "mount devpts${TAB}/dev/pts${TAB}devpts${TAB}nosuid,noexec,mkdir${TAB}newinstance,ptmxmode=0666,mode=0620"
        echo "mount shm${TAB}/dev/shm${TAB}tmpfs${TAB}nosuid,noexec,nodev,mkdir${TAB}mode=1777,size=65536k"
        echo "mount mqueue${TAB}/dev/mqueue${TAB}mqueue${TAB}nosuid,noexec,nodev,mkdir${TAB}"
        echo "mount sysfs${TAB}/sys${TAB}sysfs${TAB}nosuid,noexec,nodev,ro,mkdir${TAB}"
        for dev in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
            read -r dn dma dmi <<< "$dev"; echo "device /dev/$dn c $dma $dmi 666"
        done
        echo "symlink /proc/self/fd /dev/fd"
        echo "symlink pts/ptmx /dev/ptmx"
        for m in /proc/kcore /proc/keys /proc/timer_list /proc/acpi /proc/scsi; do echo "masked_path $m"; done
        for m in /proc/sys /proc/sysrq-trigger /proc/bus; do echo "readonly_path $m"; done
        echo "env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        echo "env HOSTNAME=box-$name"
        echo "cap CAP_CHOWN"
        echo "cap CAP_KILL"
        echo "cap CAP_SETUID"
        echo "cap CAP_SETGID"
        for a in "${args[@]}"; do printf 'arg %s\n' "$(printf '%s' "$a" | sed 's/\\/\\\\/g')"; done
    } > "$d/launch"
}
BASE_NS="namespaces pid,mnt,uts,ipc,net"

# run NAME [go|abort|close]: foreground run through the fake engine; output in $W/NAME/out
run() {
    local name=$1 answer=${2:-go} d=$W/$1
    timeout 30 "$FE" "$H" "$d/launch" "$d/sync" "$answer" --transcript "$d/transcript" \
        --pidfile "$d/monitor.pid" > "$d/out" 2> "$d/err"
    echo $? > "$d/rc"
}
rc() { cat "$W/$1/rc"; }
# bg NAME: start detached-style in the background; waits for "started"
bg() {
    local d=$W/$1
    timeout 60 "$FE" "$H" "$d/launch" "$d/sync" go --transcript "$d/transcript" \
        --pidfile "$d/monitor.pid" > "$d/out" 2> "$d/err" &
    PIDS+=($!); eval "BG_$1=$!"
    for _ in $(seq 100); do [ -s "$d/transcript" ] && break; sleep 0.05; done
    INIT=$(sed -n 's/^pid //p' "$d/transcript")
}

# --- version ------------------------------------------------------------------------------------
check "version" test "$("$H" version)" = "hutch-helper 2"

# --- basic run: pid 1, hostname, ps, fds, caps, exit code, log -----------------------------------
mklaunch basic sh -c 'echo "pid1=$(cat /proc/1/comm)"; hostname; ps -o pid,comm | wc -l > /tmp/ps; echo "procs=$(cat /tmp/ps)"; echo "fds=$(ls /proc/self/fd | tr "\n" " ")"; grep -E "^Cap(Eff|Bnd|Amb)" /proc/self/status; echo marker=$_HUTCH_HELPER_MEMFD; echo "net=$(wc -l < /proc/net/dev)"; echo to-stderr >&2; exit 3' <<< "$BASE_NS
detach 0
tty 0
stdin 0
rootfs $R"
run basic
O=$W/basic/out
check "basic: exit code 3 from the monitor" test "$(rc basic)" = 3
check "basic: PID 1 is hutch-init" has "$O" "pid1=hutch-init"
check "basic: hostname" has "$O" "^box-basic$"
check "basic: ps shows only the container (header, init, sh, ps, wc)" has "$O" "procs=5"
check "basic: only fds 0 1 2 (+3 for ls)" has "$O" "fds=0 1 2 3 $"
check "basic: CapEff reduced" has "$O" "CapEff:.00000000000000e1"
check "basic: CapBnd reduced" has "$O" "CapBnd:.00000000000000e1"
check "basic: CapAmb empty" has "$O" "CapAmb:.0000000000000000"
check "basic: memfd marker not in the container env" has "$O" "^marker=$"
check "basic: own network namespace (only lo)" has "$O" "net=3"
check "basic: stderr teed" has "$W/basic/err" "to-stderr"
check "basic: transcript pid/started" bash -c "head -1 $W/basic/transcript | grep -q '^pid [0-9]*$' && sed -n 2p $W/basic/transcript | grep -qx started"
check "basic: exit file exitCode 3" has "$W/basic/state/exit" '^{"exitCode":3,"finishedAt":"[0-9T:.-]*Z","oomKilled":false}$'
check "basic: no exit.tmp left" test ! -e "$W/basic/state/exit.tmp"
check "basic: log stdout line" has "$W/basic/state/log.json" '"stream":"stdout","log":"box-basic\\n"}'
check "basic: log stderr line" has "$W/basic/state/log.json" '"stream":"stderr","log":"to-stderr\\n"}'
check "basic: log time RFC3339 nanos" has "$W/basic/state/log.json" '^{"time":"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{9\}Z"'

# --- mounts: /sys ro, masked, readonly paths ------------------------------------------------------
MASKF=$(for f in /proc/kcore /proc/keys /proc/timer_list; do [ -e $f ] && echo $f && break; done)
mklaunch mounts sh -c "grep ' /sys ' /proc/mounts; touch /sys/x 2>&1; echo masked=\$(cat $MASKF | wc -c); echo acpi=\$(ls /proc/acpi | wc -l); grep ' /proc/sys ' /proc/mounts; echo 1 > /proc/sys/vm/drop_caches 2>&1; ls -l /dev/null /dev/ptmx /dev/fd; grep ' /dev/pts ' /proc/mounts" <<< "$BASE_NS
rootfs $R"
run mounts
O=$W/mounts/out
check "mounts: /sys read-only" has "$O" "^sysfs /sys sysfs ro,"
check "mounts: touch /sys fails" has "$O" "Read-only file system"
check "mounts: $MASKF masked (empty)" has "$O" "masked=0"
check "mounts: /proc/acpi masked (empty dir)" has "$O" "acpi=0"
check "mounts: /proc/sys read-only" has "$O" "^proc /proc/sys proc ro,"
check "mounts: /dev/null is a char device 1,3 mode 666" has "$O" "^crw-rw-rw-.*1, *3.*/dev/null"
check "mounts: /dev/fd symlink" has "$O" "/dev/fd -> /proc/self/fd"
check "mounts: devpts newinstance" has "$O" "ptmxmode=666"

# --- exec errors ----------------------------------------------------------------------------------
mklaunch notfound nosuchcmd <<< "$BASE_NS
rootfs $R"
run notfound
check "notfound: exit 127" test "$(rc notfound)" = 127
check "notfound: error 127 to the engine" has "$W/notfound/transcript" '^error 127 exec: "nosuchcmd": executable file not found in \$PATH$'
check "notfound: exit file with error" has "$W/notfound/state/exit" '"exitCode":127,.*"error":"exec: \\"nosuchcmd\\": executable file not found in $PATH"'
mklaunch notexec /bin/notexec <<< "$BASE_NS
rootfs $R"
run notexec
check "notexec: exit 126" test "$(rc notexec)" = 126
check "notexec: error 126" has "$W/notexec/transcript" '^error 126 exec: "/bin/notexec": permission denied'
mklaunch badmount true <<< "$BASE_NS
rootfs $R
mount none${TAB}/nonexistent-target${TAB}tmpfs${TAB}${TAB}"
run badmount
check "setup failure: exit 125 and error 125" bash -c "test $(rc badmount) = 125 && grep -q '^error 125 mount target /nonexistent-target' $W/badmount/transcript"
check "setup failure: exit file" has "$W/badmount/state/exit" '"exitCode":125,.*"error":"mount target'
mklaunch unknownkey true <<< "bogus 1
rootfs $R"
run unknownkey close
check "unknown key: exit 125" test "$(rc unknownkey)" = 125

# --- abort / engine gone before go ----------------------------------------------------------------
for how in abort close; do
    mklaunch $how sleep 1000 <<< "$BASE_NS
rootfs $R"
    run $how $how
    I=$(sed -n 's/^pid //p' "$W/$how/transcript")
    check "$how: monitor exits 125" test "$(rc $how)" = 125
    check "$how: init is gone" bash -c "! kill -0 $I 2>/dev/null"
    check "$how: no exit file" test ! -e "$W/$how/state/exit"
done

# --- stop: SIGTERM to init ends sleep at once; SIGKILL gives 137 ----------------------------------
mklaunch stop sleep 1000 <<< "$BASE_NS
detach 1
rootfs $R"
bg stop
MON=$(cat $W/stop/monitor.pid)
RSS=$(awk '/VmRSS/ {print $2}' /proc/$MON/status)
echo "     monitor VmRSS: ${RSS} kB (detached, log on)"
check "monitor RSS < 1024 kB" test "$RSS" -lt 1024
check "monitor runs from the memfd copy" bash -c "readlink /proc/$MON/exe | grep -q '^/memfd:hutch-helper'"
check "monitor env has no marker" bash -c "! tr '\0' '\n' < /proc/$MON/environ | grep -q _HUTCH_HELPER_MEMFD"
check "init is non-dumpable (owned /proc/PID/ by root, /proc/PID/exe hidden from PID ns)" \
    bash -c "grep -q 'hutch-init' /proc/$INIT/comm"
T0=$(date +%s%N); kill -TERM "$INIT"; wait $BG_stop; T1=$(date +%s%N)
check "stop: SIGTERM ends the container within 1s" test $(( (T1-T0)/1000000 )) -lt 1000
check "stop: exit file 143" has "$W/stop/state/exit" '"exitCode":143,'
mklaunch kill9 sleep 1000 <<< "$BASE_NS
detach 1
rootfs $R"
bg kill9
kill -9 "$INIT"; wait $BG_kill9
check "kill -9 of init: exit 137 signal 9" has "$W/kill9/state/exit" '"exitCode":137,.*"signal":9'
mklaunch monsig sh -c 'trap "echo got-term; exit 42" TERM; sleep 1000 & wait' <<< "$BASE_NS
rootfs $R"
bg monsig
sleep 0.3; kill -TERM "$(cat $W/monsig/monitor.pid)"; wait $BG_monsig
check "signal to the monitor is forwarded (trap exit 42)" has "$W/monsig/state/exit" '"exitCode":42,'

# --- tty -------------------------------------------------------------------------------------------
mklaunch tty sh <<< "$BASE_NS
tty 1
stdin 1
rootfs $R"
PTY_INPUT=$'tty; test -t 0 && echo is-a-tty; stty size; exit 5\n' timeout 30 "$FE" "$H" "$W/tty/launch" \
    "$W/tty/sync" go --transcript "$W/tty/transcript" --pty > "$W/tty/out" 2>&1
echo $? > "$W/tty/rc"
check "tty: exit 5" test "$(rc tty)" = 5
check "tty: /dev/pts/0 is the command's terminal" has "$W/tty/out" "^/dev/pts/0"
check "tty: stdin is a tty" has "$W/tty/out" "is-a-tty"
check "tty: window size copied (24 80)" has "$W/tty/out" "^24 80"
check "tty: log has one stdout stream" bash -c "grep -q '\"stream\":\"stdout\",\"log\":\"/dev/pts/0\\\\r\\\\n\"' $W/tty/state/log.json && ! grep -q stderr $W/tty/state/log.json"

# --- stdin 1 without a tty (docker -i) ------------------------------------------------------------
mklaunch stdin sh -c 'read line; echo "got:$line"' <<< "$BASE_NS
stdin 1
rootfs $R"
echo piped-input | timeout 30 "$FE" "$H" "$W/stdin/launch" "$W/stdin/sync" go > "$W/stdin/out" 2>&1
check "stdin 1: the command reads the caller's stdin" has "$W/stdin/out" "^got:piped-input$"

# --- JSON escaping ---------------------------------------------------------------------------------
mklaunch json printf 'a\001b\377c\303\251"d\\e\tf\n' <<< "$BASE_NS
rootfs $R"
run json
check "json: control, invalid UTF-8, quotes, backslash" has "$W/json/state/log.json" '"log":"a\\u0001b\\ufffdcé\\"d\\\\e\\tf\\n"}'
mklaunch partial printf 'no newline' <<< "$BASE_NS
rootfs $R"
run partial
check "json: partial last line logged" has "$W/partial/state/log.json" '"log":"no newline"}'

# --- overlay rootfs, read-only rootfs, user, groups, rlimit, cwd, no_new_privs, host network -----
mkdir -p "$W/ovl/upper" "$W/ovl/work"
mklaunch ovl sh -c 'touch /newfile 2>&1; echo "id=$(id -u):$(id -g):$(id -G)"; echo "nofile=$(ulimit -n)"; echo "cwd=$(pwd)"; grep NoNewPrivs /proc/self/status; echo "net=$(wc -l < /proc/net/dev)"; touch /tmp/x 2>&1; echo "capeff=$(grep CapEff /proc/self/status)"' <<< "namespaces pid,mnt,uts,ipc
rootfs $R
mount overlay${TAB}/${TAB}overlay${TAB}${TAB}lowerdir=$R,upperdir=$W/ovl/upper,workdir=$W/ovl/work
mount tmpfs${TAB}/tmp${TAB}tmpfs${TAB}nosuid,nodev,mkdir${TAB}mode=1777
readonly_rootfs 1
uid 1000
gid 1000
additional_gid 10
additional_gid 20
rlimit NOFILE 1024 2048
no_new_privs 1
cwd /work/dir"
run ovl
O=$W/ovl/out
check "ovl: read-only rootfs" has "$O" "Read-only file system"
check "ovl: uid/gid/groups" has "$O" "^id=1000:1000:1000 10 20$"
check "ovl: rlimit NOFILE" has "$O" "^nofile=1024$"
check "ovl: cwd created" has "$O" "^cwd=/work/dir$"
check "ovl: cwd dir is in the upper layer" test -d "$W/ovl/upper/work/dir"
check "ovl: no_new_privs" has "$O" "NoNewPrivs:.1"
check "ovl: no net namespace = host network" test "$(sed -n 's/^net=//p' $O)" = "$(wc -l < /proc/net/dev)"
check "ovl: /tmp tmpfs writable" bash -c "! grep -q \"touch: /tmp/x\" $O"
check "ovl: non-root user has no effective caps" has "$O" "capeff=CapEff:.0000000000000000"

# --- bind mounts: ro dir, file target, propagation ----------------------------------------------
mkdir -p "$W/vol"; echo vol-content > "$W/vol/f"; echo single > "$W/single"
mklaunch binds sh -c 'cat /data/f; touch /data/g 2>&1; cat /etc/single; grep -E " /data | /etc/single " /proc/mounts' <<< "$BASE_NS
rootfs $R
mount $W/vol${TAB}/data${TAB}${TAB}rbind,ro,nosuid,rprivate,mkdir${TAB}
mount $W/single${TAB}/etc/single${TAB}${TAB}bind,file${TAB}"
run binds
O=$W/binds/out
check "bind ro: content visible" has "$O" "^vol-content$"
check "bind ro: read-only" has "$O" "Read-only file system"
check "bind file target created" has "$O" "^single$"
check "bind ro: mount flags" has "$O" " /data [a-z0-9]* ro,nosuid"

# --- user namespace -------------------------------------------------------------------------------
mklaunch userns sh -c 'cat /proc/self/uid_map; id -u; ls -l /dev/null; echo x > /dev/null && echo devnull-ok' <<< "namespaces pid,mnt,uts,ipc,net,user
rootfs $R"
timeout 30 "$FE" "$H" "$W/userns/launch" "$W/userns/sync" go --userns > "$W/userns/out" 2>&1
echo $? > "$W/userns/rc"
check "userns: runs as mapped root" bash -c "test $(rc userns) = 0 && grep -q '^ *0 *100000 *65536' $W/userns/out && grep -qx 0 $W/userns/out"
check "userns: /dev/null via bind fallback works" has "$W/userns/out" "devnull-ok"

# --- cgroup_procs + cgroup namespace + oom_file ----------------------------------------------------
CGP=/sys/fs/cgroup/pids
if [ -d $CGP ]; then
    [ -d $CGP/hutch ] || { mkdir $CGP/hutch && CG_CREATED+=($CGP/hutch); }
    CG=$CGP/hutch/smoke-$$; mkdir $CG && CG_CREATED+=($CG)
    echo "oom_kill_disable 0
under_oom 0
oom_kill 1" > "$W/fake_oom"
    mklaunch cg sh -c 'grep pids /proc/self/cgroup' <<< "namespaces pid,mnt,uts,ipc,net,cgroup
cgroup_procs $CG/cgroup.procs
oom_file $W/fake_oom
rootfs $R"
    run cg
    check "cgroup: init in the cgroup, cgroup ns root is /" has "$W/cg/out" ":pids:/$"
    check "oom_file: oomKilled true" has "$W/cg/state/exit" '"oomKilled":true'
else
    echo "skip cgroup test (no $CGP)"
fi

# --- exec into a running container, and join_ns ---------------------------------------------------
mklaunch target sleep 1000 <<< "$BASE_NS
detach 1
rootfs $R"
bg target
TGT=$INIT
check "init holds only /dev/null stdio and its signalfd" \
    bash -c "test \"\$(ls /proc/$TGT/fd | sort -n | tr '\n' ' ')\" = '0 1 2 3 ' && readlink /proc/$TGT/fd/3 | grep -q signalfd"
mkexec() {
    local f=$W/exec-$1; shift
    { echo "version 2"; echo "pid $TGT"; echo "namespaces pid,mnt,uts,ipc,net"; cat
      echo "env PATH=/bin"; for a in "$@"; do printf 'arg %s\n' "$a"; done; } > "$f"
}
mkexec a sh -c 'hostname; ps -o comm | grep -c sleep; ls /proc/self/fd | tr "\n" " "; echo; exit 7' <<< "cap CAP_KILL"
timeout 20 "$H" exec "$W/exec-a" > "$W/exec-a.out" 2>&1; echo $? > "$W/exec-a.rc"
check "exec: exit 7" test "$(cat $W/exec-a.rc)" = 7
check "exec: in the container's uts ns" has "$W/exec-a.out" "^box-target$"
check "exec: sees the container's sleep" has "$W/exec-a.out" "^1$"
check "exec: fds 0 1 2 (+3)" has "$W/exec-a.out" "^0 1 2 3 $"
mkexec b nosuchcmd <<< ""
timeout 20 "$H" exec "$W/exec-b" > "$W/exec-b.out" 2>&1; echo $? > "$W/exec-b.rc"
check "exec: missing command 127 + message" bash -c "test $(cat $W/exec-b.rc) = 127 && grep -q '^hutch: exec: \"nosuchcmd\": executable file not found' $W/exec-b.out"
mkexec c sh <<< "tty 1
stdin 1"
PTY_INPUT=$'tty; exit 4\n' python3 - "$H" "$W/exec-c" > "$W/exec-c.out" 2>&1 <<'PY'
import os, pty, sys, time, select
pid, m = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], 'exec', sys.argv[2]])
time.sleep(0.3); os.write(m, os.environ['PTY_INPUT'].encode())
out = b''
while True:
    r, _, _ = select.select([m], [], [], 10)
    if not r: break
    try: c = os.read(m, 4096)
    except OSError: break
    if not c: break
    out += c
sys.stdout.write(out.decode(errors='replace'))
_, st = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(st))
PY
echo $? > "$W/exec-c.rc"
check "exec: tty relay, exit 4" bash -c "test $(cat $W/exec-c.rc) = 4 && grep -q '^/dev/pts/' $W/exec-c.out"
mklaunch joiner sh -c 'readlink /proc/self/ns/net' <<< "namespaces pid,mnt,uts,ipc
join_ns net /proc/$TGT/ns/net
rootfs $R"
run joiner
check "join_ns net: same network namespace as the target" test "$(cat $W/joiner/out)" = "$(readlink /proc/$TGT/ns/net)"
kill -TERM "$TGT"; wait $BG_target

# --- nothing left behind ---------------------------------------------------------------------------
sleep 0.2
LEFT=$(ps -eo pid,args | grep -F "$W" | grep -v grep || true)
check "no process left" test -z "$LEFT"

echo "$((N-FAILS))/$N passed"
[ $FAILS = 0 ]
