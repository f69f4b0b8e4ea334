#!/usr/bin/env bash
# Installs the peers the registry tests and bench/pull.sh, bench/push.sh need (docker-registry,
# skopeo, htpasswd, openssl, podman and runc), when missing: the same list and install as ./test.sh's (scripts/setup.sh).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/setup.sh"
hutch_setup_tests
