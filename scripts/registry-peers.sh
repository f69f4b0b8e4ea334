#!/usr/bin/env bash
# Installs what the registry tests (RegistryPullTest) and bench/pull.sh need, when missing:
#   docker-registry  Docker's registry server (distribution 2.8) the tests pull from
#   skopeo           puts images into it, and is the peer bench/pull.sh measures against
#   apache2-utils    htpasswd -B: the bcrypt password file of the registry's auth
#   openssl          the test's own CA and server certificate
# Root only; a failure is reported and only those tests skip (each says why).
set -u
declare -A need=([docker-registry]=docker-registry [skopeo]=skopeo [htpasswd]=apache2-utils [openssl]=openssl)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "registry-peers: not root, not installing ${missing[*]}: the registry tests will be skipped" >&2
  exit 0
fi
echo "registry-peers: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
  || { echo "registry-peers: could not install ${missing[*]}: the registry tests will be skipped" >&2; exit 1; }
# the Debian package enables a registry service on :5000; hutch's tests start their own and never use it
