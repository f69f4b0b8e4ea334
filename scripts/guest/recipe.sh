# shellcheck shell=bash disable=SC2034  # (the GUEST_* settings are used by v2-guest.sh)
# The recipe of the pure cgroup v2 guest image: sourced by v2-guest.sh. Everything that decides
# what ends up in the cached image lives here (and in init.sh), because the cache key is the
# sha256 of these two files: edit either and the next `v2-guest.sh build`/`run` rebuilds.
# (The mirror is deliberately not part of the key: it only says where packages come from.)

# Bump to force a rebuild without another change (e.g. to pick up Debian security updates).
GUEST_RECIPE_VERSION=1

GUEST_SUITE=bookworm
GUEST_ARCH=amd64

# What the guest needs: a kernel + initramfs to boot, what hutch's root tests use on a host
# (a JRE, busybox for the built-in image, iptables/iproute2 for networking, ps/mount/unshare/
# nsenter, modprobe for overlay/veth/bridge/nf_tables autoloading).
GUEST_PACKAGES=(
  linux-image-amd64     # bookworm's 6.1 kernel: cgroup v2 with every controller
  initramfs-tools       # (named, so debootstrap does not pick another initramfs generator)
  zstd                  # initramfs compression
  kmod                  # modprobe: the kernel autoloads overlay, veth, bridge, nf_tables via it
  openjdk-17-jre-headless
  busybox-static
  iptables
  iproute2
  procps
  util-linux
  mount
  e2fsprogs             # mkswap is util-linux, but tests may want mkfs/tune2fs; small
)

# The root disk's (sparse) size. Runs write into a throwaway qemu snapshot, so free space here
# costs nothing on the host until a run uses it (container images, layers, upper dirs).
GUEST_ROOT_SIZE=8G

# Where init.sh is installed in the image, and how the kernel is started.
# - cgroup_no_v1=all + systemd.unified_cgroup_hierarchy=1: no v1 hierarchy can be mounted at all.
# - root=/dev/vda: the root image is the first virtio disk, a whole-disk ext4 (no partitions).
# - fsck.mode=skip: the image is pristine every run; fsck under TCG only costs time.
# - panic=-1 (with qemu -no-reboot): a panic, e.g. init dying, ends qemu at once.
GUEST_INIT_PATH=/usr/sbin/hutch-guest-init
GUEST_CMDLINE="console=ttyS0 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 panic=-1 root=/dev/vda rw rootfstype=ext4 fsck.mode=skip init=$GUEST_INIT_PATH"

# Builds the guest's root tree in the empty dir $1 from mirror $2, with init.sh $3. Runs on the
# host as root inside a private mount namespace (v2-guest.sh sees to it), so the /proc, /sys and
# /dev that debootstrap and the chroot steps mount never appear on the host.
guest_build_rootfs() {
  local root=$1 mirror=$2 init=$3 pkgs
  pkgs=$(IFS=,; echo "${GUEST_PACKAGES[*]}")
  export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
  echo "== $(date +%T) debootstrap first stage (download, unpack)"
  debootstrap --foreign --variant=minbase --arch="$GUEST_ARCH" --include="$pkgs" "$GUEST_SUITE" "$root" "$mirror"
  # dpkg fsyncs every file it writes; for a tree that is thrown away if the build fails, that is
  # most of the build's time. (Removed again below: the guest's own dpkg behaves normally.)
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/hutch-build-unsafe-io"
  guest_initramfs_config "$root"
  echo "== $(date +%T) debootstrap second stage (configure)"
  chroot "$root" /debootstrap/debootstrap --second-stage
  echo "== $(date +%T) configure"
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --bind /dev "$root/dev"
  guest_configure_rootfs "$root" "$init"
  umount "$root/dev" "$root/sys" "$root/proc"
  rm -f "$root/etc/dpkg/dpkg.cfg.d/hutch-build-unsafe-io"
  echo "== $(date +%T) rootfs done"
}

# The initramfs only has to find an ext4 root on a virtio disk: exactly those modules
# (MODULES=list keeps it small, which matters when TCG decompresses it and udev coldplugs).
# Written before the kernel is configured, so its postinst makes the right initramfs at once;
# a hook and a conf.d file, because the modules file is a conffile dpkg would ask about.
guest_initramfs_config() {
  local root=$1
  mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
  printf 'MODULES=list\nCOMPRESS=zstd\n' >"$root/etc/initramfs-tools/conf.d/hutch-guest.conf"
  cat >"$root/etc/initramfs-tools/hooks/hutch-guest" <<'EOF'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk virtio_scsi ext4 crc32c_generic
EOF
  chmod 755 "$root/etc/initramfs-tools/hooks/hutch-guest"
}

guest_configure_rootfs() {
  local root=$1 init=$2
  install -m 0755 "$init" "$root$GUEST_INIT_PATH"

  # The kernel's postinst made the initramfs with the config above; make sure it can boot us.
  local initrd kver listing m
  initrd=$(ls "$root"/boot/initrd.img-*)
  kver=${initrd##*/initrd.img-}
  listing=$(chroot "$root" lsinitramfs "/boot/initrd.img-$kver")
  for m in virtio_pci virtio_blk ext4; do
    grep -q "/$m\.ko" <<<"$listing" || grep -q "/$m\.ko" "$root/lib/modules/$kver/modules.builtin" \
      || { echo "the initramfs lacks $m" >&2; return 1; }
  done

  # Class data sharing: java starts much faster with the archive, and under TCG startup is slow.
  local java
  # shellcheck disable=SC2016  # (expanded by the chroot's sh)
  java=$(chroot "$root" sh -c 'readlink -f "$(command -v java)"')
  if ! chroot "$root" sh -c 'ls /usr/lib/jvm/*/lib/server/classes.jsa' >/dev/null 2>&1; then
    chroot "$root" "$java" -Xshare:dump >/dev/null
  fi

  echo hutch-v2 >"$root/etc/hostname"
  printf '127.0.0.1\tlocalhost hutch-v2\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  # root's fstab is unused (init.sh mounts what it needs), but keep tools from complaining.
  echo '/dev/vda / ext4 rw 0 0' >"$root/etc/fstab"

  # Nothing in the guest should ever reach for the network; and keep the image small.
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/tmp/* "$root"/var/tmp/*
}
