# shellcheck shell=bash
# Sourced by bench/run-latency.sh: the warm-engine table. Each command timed three ways where it
# can be: through the engine service (the client and a warm JVM), in process (HUTCH_ENGINE=off:
# the cold JVM of every call, as before the service), and by podman. Uses run-latency.sh's
# time_cmd, RUNS, work, results and, when podman is installed, its pod/popts arrays.

# ms NAME CMD... : the median of time_cmd, or "–" when the command fails
ms() { local r; r=$(time_cmd "$@" 2>/dev/null) && echo "${r##* }" || echo "–"; }
warm() { ms "$1" env HUTCH_ENGINE=on ./hutch "${@:2}"; }
cold() { ms "$1" env HUTCH_ENGINE=off ./hutch "${@:2}"; }
peer() { if [ -n "${pod+x}" ]; then ms "$1" "${pod[@]}" "${@:2}"; else echo "–"; fi; }

warm_engine_table() {
  HUTCH_ENGINE=on ./hutch engine start >/dev/null
  local svc; svc=$(cut -d' ' -f1 "$HUTCH_RUN_ROOT/engine.sock.pid")
  local runc_ms; runc_ms=$(printf '%s\n' "${results[@]}" | awk '/^runc [0-9.]+$/{print $NF}')
  local img=localhost/hutch-bench-busybox
  echo "| command | hutch, engine service | hutch, in process | podman (runc) | runc |"
  echo "|---|---:|---:|---:|---:|"

  echo "| \`run --rm --network none busybox true\` | $(warm a run --rm --network none busybox true)" \
    "| $(cold b run --rm --network none busybox true)" \
    "| $(peer c run --rm --network none "${popts[@]}" "$img" true) | ${runc_ms:-–} |"

  local cpu_w cpu_c cpu_p="–"
  cpu_w=$(HUTCH_ENGINE=on python3 bench/lib/cpu_per_run.py "$RUNS" "$svc" ./hutch run --rm --network none busybox true)
  cpu_c=$(HUTCH_ENGINE=off python3 bench/lib/cpu_per_run.py "$RUNS" - ./hutch run --rm --network none busybox true)
  if [ -n "${pod+x}" ]; then
    cpu_p=$(python3 bench/lib/cpu_per_run.py "$RUNS" - "${pod[@]}" run --rm --network none "${popts[@]}" "$img" true)
  fi
  echo "| same, CPU ms per call | $cpu_w | $cpu_c | $cpu_p | – |"

  echo "| \`run --rm busybox true\` (bridge) | $(warm d run --rm busybox true) | $(cold e run --rm busybox true)" \
    "| $(peer f run --rm "${popts[@]}" "$img" true) | – |"

  # A finished container for ps, inspect and logs, on each side.
  HUTCH_ENGINE=on ./hutch run --name hutch-bench-fin --network none busybox echo hello >/dev/null
  [ -z "${pod+x}" ] || "${pod[@]}" run --name hutch-bench-fin --network none "${popts[@]}" "$img" echo hello >/dev/null 2>&1 || true
  for verb in "ps -a" "inspect hutch-bench-fin" "logs hutch-bench-fin"; do
    # shellcheck disable=SC2086
    echo "| \`$verb\` | $(warm g $verb) | $(cold h $verb) | $(peer i $verb) | – |"
  done

  # run -d returns once the container runs; the containers are removed afterwards.
  echo "| \`run -d --network none busybox true\` | $(warm j run -d --network none busybox true)" \
    "| $(cold k run -d --network none busybox true) | $(peer l run -d --network none "${popts[@]}" "$img" true) | – |"
  HUTCH_ENGINE=on ./hutch ps -aq | xargs -r env HUTCH_ENGINE=on ./hutch rm -f >/dev/null
  if [ -n "${pod+x}" ]; then
    "${pod[@]}" ps -aq --filter "ancestor=$img" | xargs -r "${pod[@]}" rm -f >/dev/null 2>&1 || true
  fi

  cat > "$work/one.groovy" <<'GROOVY'
def r = container('one') { image 'busybox'; network 'none'; command 'true' }.run()
assert r.exitCode == 0
GROOVY
  echo "| \`script\` of a one-container script | $(warm m script "$work/one.groovy") | $(cold n script "$work/one.groovy") | – | – |"
  HUTCH_ENGINE=on ./hutch engine stop >/dev/null
}
