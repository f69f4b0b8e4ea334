# shellcheck shell=bash
# Sourced by bench/pull.sh and bench/push.sh: Docker's registry server (docker-registry serve) on
# 127.0.0.1 and a free port, with TLS from a CA made here and htpasswd auth (user bench), as the
# tests run it. Needs $work (a scratch dir the caller removes). Sets host, port, reg_pid (the
# caller kills it by that pid) and exports HUTCH_CERTS_DIR, HUTCH_AUTH_FILE and DOCKER_CONFIG so
# hutch trusts the CA and logs in without the host's own files. ACCESS_LOG=1 keeps the access log.

BENCH_USER=bench BENCH_PASS=bench-pass

start_bench_registry() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  host="127.0.0.1:$port"
  mkdir -p "$work/certs.d/$host"
  (
    cd "$work"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=hutch-bench-ca 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > san.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext 2>/dev/null
    cp ca.crt "certs.d/$host/ca.crt"
    htpasswd -Bbn "$BENCH_USER" "$BENCH_PASS" > htpasswd
  )
  local access=true
  [ "${ACCESS_LOG:-0}" = 1 ] && access=false
  cat > "$work/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: $access
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $host
  tls:
    certificate: $work/server.crt
    key: $work/server.key
auth:
  htpasswd:
    realm: hutch-bench
    path: $work/htpasswd
YML
  docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
  reg_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

  local auth
  auth=$(printf '%s:%s' "$BENCH_USER" "$BENCH_PASS" | base64)
  printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$host" "$auth" > "$work/auth.json"
  chmod 600 "$work/auth.json"
  export HUTCH_CERTS_DIR="$work/certs.d" HUTCH_AUTH_FILE="$work/auth.json" DOCKER_CONFIG="$work/no-docker"
}

# median of microsecond lines on stdin, in ms
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m/1000}'; }

# writes SECTION between <!-- NAME:BEGIN --> and <!-- NAME:END --> of docs/benchmarks.md (added under HEADING if missing)
write_bench_section() {
  local name=$1 heading=$2 section=$3 doc=docs/benchmarks.md
  grep -q "<!-- $name:BEGIN -->" "$doc" || printf '\n## %s\n\n<!-- %s:BEGIN -->\n<!-- %s:END -->\n' "$heading" "$name" "$name" >> "$doc"
  python3 - "$doc" "$name" "$section" <<'PY'
import re, sys
path, name, section = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
text = re.sub(r"<!-- %s:BEGIN -->.*?<!-- %s:END -->" % (name, name), lambda m: section, text, flags=re.S)
open(path, "w").write(text)
PY
  echo "written to $doc"
}

# make_bench_image NAME CONTAINER_PREFIX: the image both registry benches move, NAME:3 (NAME:1 and
# NAME:2 on the way), in hutch's store: busybox + three layers, 40 MB random, 40 MB of text
# (compresses well), 20 MB random; the containers CONTAINER_PREFIX1..3 stay for the bench's
# cleanup to remove.
make_bench_image() {
  local name=$1 c=$2
  ./hutch run --name "${c}1" --network none busybox sh -c 'head -c 40000000 /dev/urandom > /random1' >/dev/null
  ./hutch commit "${c}1" "$name:1" >/dev/null
  ./hutch run --name "${c}2" --network none "$name:1" sh -c 'seq 1 6000000 > /text' >/dev/null
  ./hutch commit "${c}2" "$name:2" >/dev/null
  ./hutch run --name "${c}3" --network none "$name:2" sh -c 'head -c 20000000 /dev/urandom > /random2' >/dev/null
  ./hutch commit "${c}3" "$name:3" >/dev/null
}
