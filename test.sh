#!/usr/bin/env bash
# Runs the whole test suite: installs what the host lacks (as ./hutch does), builds, runs every
# module's tests (root integration tests included when run as root), checks that the suite left
# nothing of hutch on the host, then runs the root integration tests again on a pure cgroup v2
# guest (scripts/guest/, qemu under software emulation; docs/testing.md says which and why).
# Exit status: non-zero if any test failed, anything leaked, or the guest suite failed.
#
#   ./test.sh [MAVEN ARGS...]     HUTCH_TEST_GUEST=0 skips the guest suite (it says so)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
source scripts/setup.sh
hutch_setup
hutch_setup_tests
if [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: the integration tests will be SKIPPED (each prints why); run with sudo for the full suite" >&2
fi
# The project's own CI builds the helper with -Werror; a user's build only warns.
strict=()
if [ "${CI:-}" = true ]; then strict=(-Dnative.werror=-Werror); fi

# hutch's footprint before the tests (hutch0 and its rules may be here from earlier use): the
# leak check judges only what is new after them.
baseline=$(mktemp /tmp/hutch-leak-baseline.XXXXXX)
trap 'rm -f "$baseline"' EXIT
bash scripts/leak-check.sh --record "$baseline"

status=0
mvn -B -ntp verify "${strict[@]}" "$@" || status=$?
bash scripts/leak-check.sh --since "$baseline" || status=1

if [ "${HUTCH_TEST_GUEST:-1}" = 0 ]; then
  echo "test.sh: HUTCH_TEST_GUEST=0: the pure cgroup v2 guest suite is SKIPPED" >&2
elif [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: the pure cgroup v2 guest suite is SKIPPED (it boots a VM with qemu)" >&2
elif [ "$status" != 0 ]; then
  echo "test.sh: the host suite failed: the pure cgroup v2 guest suite is not run" >&2
else
  bash scripts/guest/test-in-guest.sh || status=1
fi
exit $status
