#!/usr/bin/env bash
# Lists everything of hutch's left on this host: mounts, cgroups, links, netns files, iptables
# rules, helper processes, container state. Exit 1 if anything is left. The test suite ends with it.
set -u
left=0
report() { # title, lines
  if [ -n "$2" ]; then
    left=1
    printf 'LEFT BEHIND — %s:\n%s\n' "$1" "$(printf '%s\n' "$2" | head -n 20 | sed 's/^/    /')"
  fi
}
report "mounts" "$(grep -i hutch /proc/self/mounts 2>/dev/null)"
report "cgroups" "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -iname '*hutch*' 2>/dev/null \
  | while read -r d; do find "$d" -mindepth 1 -maxdepth 2 -type d 2>/dev/null; done)"
report "network links" "$(ip -o link show 2>/dev/null | grep -iE ': (hutch[^:]*|hv[^:]*)[:@]' | awk -F': ' '{print $2}')"
report "netns files" "$(ls /var/run/netns 2>/dev/null | grep -i hutch)"
if command -v iptables-save >/dev/null 2>&1; then
  report "iptables rules" "$(timeout 10 iptables-save 2>/dev/null | grep -i hutch | grep -v '^:')"
fi
report "container state dirs" "$(ls -d /var/run/hutch/containers/* /tmp/hutch-test-*/run/containers/* 2>/dev/null)"
# A detached container's monitor is reparented to the system's init when its `hutch run -d`
# exits, and stays a zombie until init reaps it: give init a few seconds before calling it a leak.
helpers() { ps -eo pid=,args= 2>/dev/null | grep -E 'hutch-helper|memfd:hutch' | grep -v grep; }
for _ in 1 2 3 4 5 6 7 8 9 10; do helpers | grep -q . || break; sleep 0.5; done
report "helper processes" "$(helpers)"
if [ "$left" = 0 ]; then echo "leak check: nothing of hutch is left on this host"; fi
exit "$left"
