#!/usr/bin/env bash
# Installs what hutch needs on a Debian/Ubuntu host, saying what and why, and only what is
# missing. Sourced by scripts/launcher.bash (./hutch's first run) and ./test.sh; safe to run again.
set -euo pipefail

hutch_need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "hutch: containers need root (namespaces, cgroups, mounts); run with sudo" >&2
    exit 125
  fi
}

# package -> why, for the message
declare -A HUTCH_PACKAGES=(
  [openjdk-17-jdk-headless]="Java 17 to build and run hutch"
  [maven]="to build hutch"
  [gcc]="to compile the native helper (engine/src/main/c)"
  [make]="to compile the native helper"
  [libc6-dev]="C headers for the native helper"
  [busybox-static]="the built-in busybox image is made from it"
  [iptables]="port publishing and outbound NAT for bridge networks"
  [iproute2]="only for tests and 'ip netns exec' users; hutch itself talks netlink"
)

hutch_missing_packages() {
  local missing=() p
  for p in "${!HUTCH_PACKAGES[@]}"; do
    case "$p" in
      openjdk-17-jdk-headless) command -v javac >/dev/null 2>&1 && javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])' && continue ;;
      maven) command -v mvn >/dev/null 2>&1 && continue ;;
      gcc) command -v cc >/dev/null 2>&1 && continue ;;
      make) command -v make >/dev/null 2>&1 && continue ;;
      libc6-dev) [ -f /usr/include/stdio.h ] && continue ;;
      busybox-static) [ -x /bin/busybox ] && file_is_static /bin/busybox && continue ;;
      iptables) command -v iptables >/dev/null 2>&1 && continue ;;
      iproute2) command -v ip >/dev/null 2>&1 && continue ;;
    esac
    missing+=("$p")
  done
  echo "${missing[@]:-}"
}

file_is_static() {
  # ldd (libc-bin, always there on Debian) says so for a binary without a program interpreter.
  # (ldd exits 1 then, so its output is captured first rather than piped under pipefail.)
  local out
  out=$(LC_ALL=C ldd "$1" 2>&1 || true)
  [[ "$out" == *"not a dynamic executable"* ]]
}

hutch_setup() {
  local missing
  missing=$(hutch_missing_packages)
  if [ -n "$missing" ]; then
    hutch_need_root
    echo "hutch setup: installing Debian packages:" >&2
    for p in $missing; do echo "  - $p: ${HUTCH_PACKAGES[$p]}" >&2; done
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || { echo "hutch setup: apt-get update failed" >&2; exit 125; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2 \
      || { echo "hutch setup: could not install: $missing (install them by hand and retry)" >&2; exit 125; }
  fi
}

# Only for ./test.sh, never for ./hutch: the peers the integration tests prove hutch against,
# as "command" -> "package|why". (runc because podman's default crun refuses this kind of host's
# hybrid cgroups.)
declare -A HUTCH_TEST_PACKAGES=(
  [podman]="podman|the image interoperability tests, and the push test (podman pulls and runs what hutch pushed)"
  [runc]="runc|the image interoperability tests (podman runs with --runtime runc)"
  [docker-registry]="docker-registry|the registry tests pull from Docker's own registry server (started by each test on 127.0.0.1)"
  [skopeo]="skopeo|the registry tests put images into that registry with it"
  [htpasswd]="apache2-utils|htpasswd -B: the registry's bcrypt password file"
  [openssl]="openssl|the registry tests' own CA and server certificate"
  [python3]="python3|the engine service's non-root caller test"
  [/usr/bin/containerd]="containerd|the OCI runtime test: a private containerd (its own socket and root, started by the test) runs ctr tasks through hutch-runc (keyed by path: ctr and the runc shim come with it; its service is never started)"
  [zsh]="zsh|the completion test checks that hutch's zsh completion script parses (zsh -n)"
  [fish]="fish|the completion test checks that hutch's fish completion script parses (fish -n)"
  [/usr/bin/docker]="docker.io|the Docker Engine API tests drive hutch's API socket with the real docker CLI (client only: its dockerd is never started; keyed by path, since /usr/local/bin/docker may be something else)"
)

hutch_setup_tests() {
  local missing=() cmd
  for cmd in "${!HUTCH_TEST_PACKAGES[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "hutch test setup: not root, not installing ${missing[*]}: those tests will be skipped" >&2
    return 0
  fi
  local packages=()
  echo "hutch test setup: installing Debian packages:" >&2
  for cmd in "${missing[@]}"; do
    packages+=("${HUTCH_TEST_PACKAGES[$cmd]%%|*}")
    echo "  - ${HUTCH_TEST_PACKAGES[$cmd]%%|*}: ${HUTCH_TEST_PACKAGES[$cmd]#*|}" >&2
  done
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as docker-registry start a service of their own on install (a registry on
  # :5000): policy-rc.d forbids that for the install's duration, so only the servers the tests
  # start, on loopback, ever run. An existing policy-rc.d is kept as it was.
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1; fi
  # a failure here only skips those tests (each prints why); the rest of the suite still runs
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >&2 \
    || echo "hutch test setup: could not install ${packages[*]}: those tests will be skipped" >&2
  [ -z "$made_policy" ] || rm -f "$policy"
}
