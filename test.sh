#!/usr/bin/env bash
# Runs the whole test suite: installs what the host lacks (as ./hutch does), builds, runs every
# module's tests (root integration tests included when run as root), then checks that nothing of
# hutch is left on the host. Exit status: non-zero if any test failed or anything leaked.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
source scripts/setup.sh
hutch_setup
hutch_setup_tests
if [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: the integration tests will be SKIPPED (each prints why); run with sudo for the full suite" >&2
fi
status=0
mvn -B -ntp verify "$@" || status=$?
bash scripts/leak-check.sh || status=1
exit $status
