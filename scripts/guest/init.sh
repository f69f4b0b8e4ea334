#!/bin/sh
# PID 1 of the pure cgroup v2 guest (installed into the image by recipe.sh; part of the cache key).
# Sets up a host the way hutch expects one on a pure v2 machine, runs the command that
# v2-guest.sh put on the control disk, reports its exit status, and powers off.
# No systemd: nothing else runs in the guest, so every cgroup and mount is the test's own.
#
# Disks (virtio, found by ext4 label; the order is the fallback):
#   vda  /               the cached root image, under a qemu snapshot (pristine every run)
#   vdb  HUTCHCTL        control: cmd (bash script), env; init writes status, times, dmesg.log
#   vdc  HUTCHPAYLOAD    a copy of the host's payload dir, mounted at /payload
#   vdd  HUTCHOUT        empty, mounted at /out; the host copies it out after poweroff
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

say() { echo "hutch-guest: $*"; }

# Ends the guest. sysrq 'o' powers off even if something is stuck; if it somehow returns,
# PID 1 exiting panics the kernel, and panic=-1 with qemu -no-reboot ends qemu either way.
power_off() {
  sync
  echo o >/proc/sysrq-trigger
  sleep 30
  exit 1
}

# A fatal setup error: say what, make the host see no status (it reports a boot failure).
die() {
  say "FATAL: $*"
  power_off
}

mount -t proc proc /proc 2>/dev/null || true   # the initramfs moved its /proc here already
[ -r /proc/uptime ] || die "cannot mount /proc"
up=$(cut -d' ' -f1 /proc/uptime)
echo "HUTCH-GUEST-INIT uptime=${up}s"

mountpoint -q /sys || mount -t sysfs sysfs /sys || die "cannot mount /sys"
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev || die "cannot mount /dev"
mkdir -p /dev/pts /dev/shm /dev/mqueue
mountpoint -q /dev/pts || mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null || true
mountpoint -q /run || mount -t tmpfs -o mode=755,nosuid,nodev,size=20% tmpfs /run
mkdir -p /run/lock /run/netns /var/run
# /tmp and /var/lib stay on the root disk (ext4: overlayfs upper dirs work, and RAM is 3 GiB).
chmod 1777 /tmp

# cgroup v2, mounted the way systemd does it (nsdelegate, memory_recursiveprot where known).
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup 2>/dev/null \
  || mount -t cgroup2 cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2"
# Every available controller for the children of the root (the root may hold processes).
# shellcheck disable=SC2013  # (one line of space-separated names)
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
  echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || say "could not enable controller $c"
done
# Where a systemd host would have them too; harmless otherwise.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true

echo hutch-v2 >/proc/sys/kernel/hostname
ip link set lo up || say "could not bring up lo"

# Swap, so memory.swap.* limits have something to account (a file made per run on the snapshot;
# fallocate is instant, and ext4 accepts fallocated swap files).
if ! { fallocate -l 512M /swapfile && chmod 600 /swapfile && mkswap /swapfile >/dev/null \
    && swapon /swapfile; }; then
  say "no swap (could not set up /swapfile)"; rm -f /swapfile
fi

by_label() { # label fallback-device
  d=$(blkid -c /dev/null -L "$1" 2>/dev/null) || d=$2
  echo "$d"
}
mkdir -p /run/hutch-ctl /payload /out
mount -t ext4 "$(by_label HUTCHCTL /dev/vdb)" /run/hutch-ctl || die "cannot mount the control disk"
mount -t ext4 "$(by_label HUTCHPAYLOAD /dev/vdc)" /payload || die "cannot mount the payload disk"
mount -t ext4 "$(by_label HUTCHOUT /dev/vdd)" /out || die "cannot mount the out disk"
rmdir /out/lost+found 2>/dev/null || true
[ -r /run/hutch-ctl/cmd ] || die "no command on the control disk"

echo "hutch-guest: kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo) RAM, swap $(awk '/SwapTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo)"
echo "hutch-guest: cgroup.controllers:     $(cat /sys/fs/cgroup/cgroup.controllers)"
echo "hutch-guest: cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
echo "hutch-guest: cgroup mounts:"
grep cgroup /proc/mounts | sed 's/^/hutch-guest:   /'
if grep -q '^cgroup ' /proc/mounts; then die "a cgroup v1 hierarchy is mounted"; fi

# The command's environment: a login-like root environment, then the host's -e values.
JAVA_HOME=$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")
export JAVA_HOME HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb
export TMPDIR=/tmp
cd /payload || die "cannot cd /payload"

# Quieter kernel while the command runs (the full log is saved as dmesg.log afterwards);
# errors, e.g. an OOM kill, still show.
printk=$(cut -f1 /proc/sys/kernel/printk)
echo 3 >/proc/sys/kernel/printk
echo "HUTCH-GUEST-CMD-START uptime=$(cut -d' ' -f1 /proc/uptime)s"
start=$(date +%s.%N)
# bash: cmd and env were written with bash's printf %q quoting. Not exec'd: PID 1 must survive.
# stdin: the console for `v2-guest.sh shell`, /dev/null otherwise (the host says which).
if [ -e /run/hutch-ctl/interactive ]; then
  setsid -c bash -c '. /run/hutch-ctl/env; . /run/hutch-ctl/cmd' </dev/ttyS0 >/dev/ttyS0 2>&1
else
  bash -c '. /run/hutch-ctl/env; . /run/hutch-ctl/cmd' </dev/null
fi
rc=$?
end=$(date +%s.%N)
cmd_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
echo "$printk" >/proc/sys/kernel/printk

# Stop whatever the command left running (it could hold /out busy), then flush /out cleanly:
# the host reads the image with debugfs, which does not replay an ext4 journal.
kill -TERM -1 2>/dev/null; sleep 1; kill -KILL -1 2>/dev/null
sync
umount /out 2>/dev/null || mount -o remount,ro /out || say "could not unmount /out cleanly"
umount /payload 2>/dev/null || true
swapoff -a 2>/dev/null || true

echo "$rc" >/run/hutch-ctl/status
printf 'cmd_seconds=%s\nuptime_end=%s\n' "$cmd_s" "$(cut -d' ' -f1 /proc/uptime)" >/run/hutch-ctl/times
dmesg >/run/hutch-ctl/dmesg.log 2>/dev/null || true
umount /run/hutch-ctl 2>/dev/null || mount -o remount,ro /run/hutch-ctl
echo "HUTCH-GUEST-CMD-SECONDS=$cmd_s"
echo "HUTCH-GUEST-STATUS=$rc"
power_off
