#!/usr/bin/env bash
# Runs a command inside a pure cgroup v2 Debian guest under qemu software emulation (TCG), so
# hutch's root integration tests can run on a pure-v2 kernel from a hybrid-cgroup host.
#
#   v2-guest.sh build
#       Builds the guest image into /var/cache/hutch-guest/<recipe hash>/ unless it is there.
#   v2-guest.sh run [-e NAME=VALUE]... PAYLOAD_DIR OUT_DIR -- CMD [ARGS...]
#       Boots a pristine guest, runs CMD as root in /payload (a copy of PAYLOAD_DIR), streams the
#       console to stdout and OUT_DIR/console.log, copies the guest's /out into OUT_DIR, writes
#       OUT_DIR/status, and exits with CMD's status. 125 if the guest never reported one.
#   v2-guest.sh shell [PAYLOAD_DIR [OUT_DIR]]
#       The same guest with an interactive bash on the console (quit: exit, or Ctrl-A x).
#
# Environment: HUTCH_GUEST_TIMEOUT (s, default 4200: qemu is killed after it),
# HUTCH_GUEST_KEEP=1 (keep the run's temp dir: disk images, for debugging),
# HUTCH_GUEST_VERBOSE=1 (kernel boot messages on the console), HUTCH_GUEST_MEM (MiB, 3072),
# HUTCH_GUEST_CPUS (2), HUTCH_GUEST_OUT_SIZE (the /out disk, 2G), HUTCH_GUEST_MIRROR,
# HUTCH_GUEST_CACHE (/var/cache/hutch-guest).
# See README.md next to this script for timings and debugging.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
RECIPE="$HERE/recipe.sh"
INIT="$HERE/init.sh"
# shellcheck source-path=SCRIPTDIR source=recipe.sh
. "$RECIPE"

CACHE_ROOT=${HUTCH_GUEST_CACHE:-/var/cache/hutch-guest}
MIRROR=${HUTCH_GUEST_MIRROR:-http://deb.debian.org/debian}

msg() { echo "v2-guest: $*" >&2; }
fail() { msg "$*"; exit 125; }
usage() {
  sed -n '/^#   v2-guest.sh/,/^# Environment/p' "$SELF" | sed '$d; s/^# \{0,1\}//' >&2
  exit 125
}
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

need_root() {
  [ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, and the image cache in $CACHE_ROOT); run with sudo"
}

# Host tools: package -> why (and the command that shows it is there), installed only if missing.
declare -A HOST_PACKAGES=(
  [qemu-system-x86]="qemu-system-x86_64: boots the guest (software emulation; KVM is not used)"
  [debootstrap]="debootstrap: builds the guest's Debian root once (then cached)"
  [e2fsprogs]="debugfs: makes the guest's disks from directories and reads /out back without a host mount"
)
ensure_host_tools() {
  local missing=() p
  for p in "${!HOST_PACKAGES[@]}"; do
    command -v "${HOST_PACKAGES[$p]%%:*}" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  msg "installing Debian packages:"
  for p in "${missing[@]}"; do msg "  - $p (${HOST_PACKAGES[$p]})"; done
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
    || fail "could not install: ${missing[*]} (install them by hand and retry)"
}

recipe_hash() { cat "$RECIPE" "$INIT" | sha256sum | cut -c1-16; }

# ---------------------------------------------------------------------------------------------
# build

# Sets GUEST_DIR to the cache dir of the current recipe, building it first if needed.
# The lock serializes builds (and the removal of stale dirs) between concurrent callers; it is
# released before any guest boots, so runs themselves never wait for each other.
build() {
  need_root
  ensure_host_tools
  local hash
  hash=$(recipe_hash)
  GUEST_DIR="$CACHE_ROOT/$hash"
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.lock"
  if ! flock -n 9; then
    msg "waiting for another build of the guest image to finish"
    flock 9
  fi
  if [ -f "$GUEST_DIR/root.img" ] && [ -f "$GUEST_DIR/vmlinuz" ] && [ -f "$GUEST_DIR/initrd.img" ]; then
    msg "reusing the guest image $GUEST_DIR ($(cat "$GUEST_DIR/info" 2>/dev/null || echo '?'))"
  else
    build_locked "$hash"
  fi
  remove_stale "$hash"
  exec 9>&-
}

remove_stale() { # keep only the current hash; stale .build-* dirs are from killed builds (we hold the lock)
  local d
  for d in "$CACHE_ROOT"/* "$CACHE_ROOT"/.build-*; do
    [ -d "$d" ] || continue
    [ "$d" = "$CACHE_ROOT/$1" ] && continue
    msg "removing stale guest cache $d"
    rm -rf --one-file-system "$d"
  done
}

BUILD_PGID="" BUILD_TMP=""
build_locked() {
  local hash=$1 t0=$EPOCHREALTIME tmp
  BUILD_TMP="$CACHE_ROOT/.build-$hash.$$"; tmp=$BUILD_TMP
  # An interrupted build leaves nothing: its processes are stopped, the temp dir goes, and the
  # final dir only ever appears by rename.
  trap 'stop_build; rm -rf --one-file-system "$BUILD_TMP"' EXIT
  trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP
  rm -rf --one-file-system "$tmp"
  mkdir -p "$tmp/rootfs"
  msg "building the guest image (Debian $GUEST_SUITE, recipe $hash) in $tmp; log: $tmp/build.log"
  # debootstrap and the chroot steps mount /proc, /sys, /dev inside the tree: do it in a private
  # mount namespace, so no mount ever shows on the host and all vanish with the namespace.
  # setsid: its own process group (the pid of this background job), so an interrupted build
  # can stop exactly the processes it started (debootstrap, dpkg, maintainer scripts).
  setsid unshare --mount --propagation private bash "$SELF" __build-rootfs "$tmp/rootfs" "$tmp/build.log" \
    </dev/null >/dev/null 2>&1 &
  BUILD_PGID=$!
  local rc=0
  wait "$BUILD_PGID" || rc=$?
  while kill -0 -- "-$BUILD_PGID" 2>/dev/null; do sleep 0.1; done   # (the log writer's last lines)
  BUILD_PGID=""
  if [ "$rc" != 0 ]; then
    tail -n 30 "$tmp/build.log" >&2
    fail "building the guest root failed (last lines of the log above)"
  fi
  sed -n 's/^[0-9:]* == /v2-guest:   /p' "$tmp/build.log" >&2   # the phases, with their start times
  local t1=$EPOCHREALTIME kver="" d
  for d in "$tmp"/rootfs/lib/modules/*; do kver=${d##*/}; done   # (the image has one kernel)
  cp "$tmp/rootfs/boot/vmlinuz-$kver" "$tmp/vmlinuz"
  cp "$tmp/rootfs/boot/initrd.img-$kver" "$tmp/initrd.img"
  truncate -s "$GUEST_ROOT_SIZE" "$tmp/root.img"
  # mkfs -d copies the tree (owners, modes, links, xattrs) into the image: no loop mount needed.
  if ! mkfs.ext4 -q -F -L HUTCHROOT -d "$tmp/rootfs" "$tmp/root.img" >>"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" >&2
    fail "mkfs.ext4 of the guest root failed (last lines of the log above)"
  fi
  rm -rf --one-file-system "$tmp/rootfs"
  cp "$RECIPE" "$tmp/recipe.sh"
  cp "$INIT" "$tmp/init.sh"
  echo "Debian $GUEST_SUITE, kernel $kver, built $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$tmp/info"
  mv -T "$tmp" "$CACHE_ROOT/$hash"
  trap - EXIT INT TERM HUP
  msg "built $CACHE_ROOT/$hash in $(secs_since "$t0") s (debootstrap + configure $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, image $(secs_since "$t1") s; $(du -sh --apparent-size "$CACHE_ROOT/$hash/root.img" | cut -f1) sparse, $(du -sh "$CACHE_ROOT/$hash" | cut -f1) on disk)"
}

stop_build() {
  [ -n "$BUILD_PGID" ] || return 0
  kill -TERM -- "-$BUILD_PGID" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- "-$BUILD_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$BUILD_PGID" 2>/dev/null || true
  wait "$BUILD_PGID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$BUILD_PGID" 2>/dev/null || break; sleep 0.1; done
}

# In the build's private mount namespace: builds the root tree $1, logging with timestamps to $2
# (to see where a slow build spends its time).
build_rootfs() {
  exec > >(while IFS= read -r line; do printf '%(%T)T %s\n' -1 "$line"; done >"$2") 2>&1
  guest_build_rootfs "$1" "$MIRROR" "$INIT"
}

# ---------------------------------------------------------------------------------------------
# run / shell

TMP=""
QPID=""
cleanup() {
  local rc=$?
  kill_qemu
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then
    if [ "${HUTCH_GUEST_KEEP:-}" = 1 ]; then
      msg "kept the run's temp dir (HUTCH_GUEST_KEEP=1): $TMP — remove it when done"
    else
      rm -rf --one-file-system "$TMP"
    fi
  fi
  exit "$rc"
}
# Only the qemu this script started, by the pid it recorded (and only if that pid still is qemu).
kill_qemu() {
  [ -n "$QPID" ] || return 0
  if kill -0 "$QPID" 2>/dev/null && [[ "$(readlink "/proc/$QPID/exe" 2>/dev/null)" == *qemu-system* ]]; then
    kill -TERM "$QPID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$QPID" 2>/dev/null || true
  fi
  wait "$QPID" 2>/dev/null || true
  QPID=""
}

# Makes an ext4 image $1 with label $2 holding the contents of dir $3, with $4 bytes of free space.
make_disk() {
  local img=$1 label=$2 dir=$3 free=$4 used files size
  used=$(du -s --block-size=1 "$dir" | cut -f1)
  files=$(find "$dir" | wc -l)
  size=$(( used + used / 4 + files * 512 + free ))
  size=$(( (size / 1048576 + 1) * 1048576 ))
  truncate -s "$size" "$img"
  mkfs.ext4 -q -F -L "$label" -N $(( files * 2 + 16384 )) -E root_owner=0:0 -d "$dir" "$img" \
    || fail "mkfs.ext4 of the $label disk from $dir failed"
}

to_bytes() { numfmt --from=iec "$1"; }

run() {
  local mode=$1; shift
  local envs=() payload="" out="" cmd=()
  while [ $# -gt 0 ]; do
    case $1 in
      -e) [ $# -ge 2 ] || usage; envs+=("$2"); shift 2 ;;
      -e*) envs+=("${1#-e}"); shift ;;
      --) shift; cmd=("$@"); break ;;
      -h|--help) usage ;;
      -*) msg "unknown option $1"; usage ;;
      *) if [ -z "$payload" ]; then payload=$1; elif [ -z "$out" ]; then out=$1; else usage; fi; shift ;;
    esac
  done
  if [ "$mode" = run ]; then
    if [ -z "$payload" ] || [ -z "$out" ] || [ ${#cmd[@]} -eq 0 ]; then usage; fi
  else
    [ ${#cmd[@]} -eq 0 ] || usage
  fi
  [ -z "$payload" ] || [ -d "$payload" ] || fail "payload dir $payload does not exist"
  local e
  for e in "${envs[@]+"${envs[@]}"}"; do
    [[ "$e" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || fail "-e wants NAME=VALUE, got: $e"
  done

  build
  local timeout=${HUTCH_GUEST_TIMEOUT:-4200}
  if ! [[ "$timeout" =~ ^[0-9]+$ ]] || [ "$timeout" -eq 0 ]; then
    fail "HUTCH_GUEST_TIMEOUT must be a positive number of seconds, got: $timeout"
  fi

  trap cleanup EXIT
  trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/hutch-guest.XXXXXX")
  if [ -n "$out" ]; then mkdir -p "$out"; out=$(cd "$out" && pwd); fi
  local t0=$EPOCHREALTIME

  # The control disk: the command and environment as bash source (printf %q quoting, so any
  # argument survives), read by init.sh; init writes status, times and dmesg.log back to it.
  mkdir -p "$TMP/ctl" "$TMP/empty"
  {
    echo "# the host's -e NAME=VALUE options"
    for e in "${envs[@]+"${envs[@]}"}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
  } >"$TMP/ctl/env"
  if [ "$mode" = run ]; then
    { printf '%q ' "${cmd[@]}"; echo; } >"$TMP/ctl/cmd"
  else
    echo 'cd /payload; echo "hutch-guest: interactive shell; exit (or Ctrl-A x) powers off"; bash -l' >"$TMP/ctl/cmd"
    touch "$TMP/ctl/interactive"
  fi
  make_disk "$TMP/ctl.img" HUTCHCTL "$TMP/ctl" $((32 << 20))
  # The payload is a copy: the guest may write into /payload, nothing goes back to the host.
  make_disk "$TMP/payload.img" HUTCHPAYLOAD "${payload:-$TMP/empty}" $((1 << 30))
  make_disk "$TMP/out.img" HUTCHOUT "$TMP/empty" "$(to_bytes "${HUTCH_GUEST_OUT_SIZE:-2G}")"
  local t_disks
  t_disks=$(secs_since "$t0")

  local append=$GUEST_CMDLINE
  [ "${HUTCH_GUEST_VERBOSE:-}" = 1 ] || append="$append quiet"
  # shellcheck disable=SC2054  # (qemu's options are comma-separated on purpose)
  local qemu=(
    qemu-system-x86_64
    # Never KVM: /dev/kvm opens here, but guests hang at kernel entry. One TCG thread for both
    # vCPUs: with thread=multi, JVMs in the guest died now and then (SIGSEGV/SIGILL at the start of
    # C1-compiled methods, about 1 JVM in 30), the mark of JIT-written code run stale on another
    # vCPU; single-threaded TCG has no such race.
    -accel "tcg,thread=${HUTCH_GUEST_TCG_THREAD:-single}"
    # Nehalem: SSE4.2, no AVX. With `max`, TCG's AVX/AVX2 emulation (new in Debian's qemu 7.2)
    # once crashed a JVM's C1 code in the guest (SIGSEGV in VarHandleGuards); the JVM then uses
    # SSE only, and under emulation that is no slower.
    -cpu "${HUTCH_GUEST_CPU_MODEL:-Nehalem}"
    -smp "${HUTCH_GUEST_CPUS:-2}" -m "${HUTCH_GUEST_MEM:-3072}"
    -nodefaults -display none -nic none -no-reboot
    -kernel "$GUEST_DIR/vmlinuz" -initrd "$GUEST_DIR/initrd.img" -append "$append"
    # the root image under a snapshot: the run's writes go to a temp file in $TMP (TMPDIR below)
    -drive "file=$GUEST_DIR/root.img,format=raw,if=virtio,snapshot=on,cache=unsafe"
    -drive "file=$TMP/ctl.img,format=raw,if=virtio,cache=unsafe"
    -drive "file=$TMP/payload.img,format=raw,if=virtio,cache=unsafe"
    -drive "file=$TMP/out.img,format=raw,if=virtio,cache=unsafe"
  )
  local t_qemu=$EPOCHREALTIME rc_qemu=0
  if [ "$mode" = shell ]; then
    msg "booting the guest (Ctrl-A x quits qemu, Ctrl-A h for help)"
    # (<&0: bash would give a background job /dev/null; without job control it stays in the
    # terminal's foreground process group, so it can read the terminal)
    TMPDIR=$TMP "${qemu[@]}" -serial mon:stdio <&0 &
    QPID=$!
    wait "$QPID" || rc_qemu=$?
    QPID=""
  else
    local log="$out/console.log"
    : >"$log"
    msg "booting the guest (timeout ${timeout} s); console follows, also in $log"
    # The console goes straight to stdout and to the log (qemu's own logfile, no pipe: the pid
    # of the background job is qemu's, which is what the timeout kills).
    TMPDIR=$TMP "${qemu[@]}" -chardev "stdio,id=con,signal=off,logfile=$log" -serial chardev:con </dev/null &
    QPID=$!
    echo "$QPID" >"$TMP/qemu.pid"
    local deadline=$(( SECONDS + timeout ))
    while kill -0 "$QPID" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        kill_qemu
        echo >&2
        fail "the guest did not finish within HUTCH_GUEST_TIMEOUT=${timeout} s: killed qemu (pid $(cat "$TMP/qemu.pid")); console in $log"
      fi
      sleep 0.25
    done
    wait "$QPID" || rc_qemu=$?
    QPID=""
  fi
  local wall
  wall=$(secs_since "$t_qemu")

  # Read back what the guest left, without mounting: its /out into OUT_DIR, then status etc.
  local t_copy=$EPOCHREALTIME status="" times=""
  status=$(debugfs -R 'cat /status' "$TMP/ctl.img" 2>/dev/null | tr -dc '0-9') || true
  times=$(debugfs -R 'cat /times' "$TMP/ctl.img" 2>/dev/null) || true
  if [ -n "$out" ]; then
    debugfs -R "rdump / $out" "$TMP/out.img" >/dev/null 2>"$TMP/rdump.err" \
      || { cat "$TMP/rdump.err" >&2; fail "could not copy the guest's /out into $out"; }
    grep -v '^debugfs ' "$TMP/rdump.err" >&2 || true
    rmdir "$out/lost+found" 2>/dev/null || true   # there if the guest never mounted /out
    debugfs -R "dump /dmesg.log $out/guest-dmesg.log" "$TMP/ctl.img" >/dev/null 2>&1 || true
    if [ -z "$status" ] && [ -f "$out/console.log" ]; then  # fall back to the console marker
      status=$(tr -d '\r' <"$out/console.log" | sed -n 's/^HUTCH-GUEST-STATUS=\([0-9]*\)$/\1/p' | tail -n1)
    fi
  fi
  [ "$mode" = shell ] && { msg "guest powered off"; exit 0; }

  # Where time went. Guest uptimes come from its own clock; qemu start to init = firmware,
  # kernel and initramfs (the guest's uptime at init plus the time before the kernel ran).
  local up_init up_cmd up_end cmd_s boot
  up_init=$(tr -d '\r' <"$out/console.log" | sed -n 's/^HUTCH-GUEST-INIT uptime=\([0-9.]*\)s$/\1/p' | head -n1)
  up_cmd=$(tr -d '\r' <"$out/console.log" | sed -n 's/^HUTCH-GUEST-CMD-START uptime=\([0-9.]*\)s$/\1/p' | head -n1)
  cmd_s=$(sed -n 's/^cmd_seconds=//p' <<<"$times")
  up_end=$(sed -n 's/^uptime_end=//p' <<<"$times")
  # qemu start -> init = (qemu's whole life - the kernel's uptime at poweroff) + uptime at init
  boot=$(awk -v w="$wall" -v e="${up_end:-0}" -v i="${up_init:-0}" 'BEGIN { printf "%.1f", w - e + i }')
  if [ -z "$status" ]; then
    if [ -z "$up_init" ]; then
      fail "the guest failed to boot (init never ran; qemu exit $rc_qemu after $wall s): see $out/console.log"
    fi
    fail "the guest never reported the command's exit status (qemu exit $rc_qemu after $wall s): see $out/console.log"
  fi
  echo "$status" >"$out/status"
  msg "timings: disks ${t_disks} s, boot (qemu start to init) $boot s (of which kernel+initramfs ${up_init:-?} s), init to command $(awk -v a="${up_init:-0}" -v b="${up_cmd:-0}" 'BEGIN { printf "%.1f", b - a }') s, command ${cmd_s:-?} s, qemu total $wall s, copy-out $(secs_since "$t_copy") s, whole run $(secs_since "$t0") s"
  msg "command exited $status; guest /out copied to $out"
  exit "$status"
}

case ${1:-} in
  build) [ $# -eq 1 ] || usage; build ;;
  run) shift; run run "$@" ;;
  shell) shift; run shell "$@" ;;
  __build-rootfs) build_rootfs "$2" "$3" ;;   # internal: see build_locked
  *) usage ;;
esac
