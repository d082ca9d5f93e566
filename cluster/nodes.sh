# shellcheck shell=bash
# The three Ostiary nodes (the production jar, java -jar) and the sample API.

node_arg() {
  case "$1" in 1 | 2 | 3) echo "$1" ;; *) die "a node number is 1, 2 or 3 (got '${1:-}')" ;; esac
}

node_pid_file() { echo "$RUN_DIR/node$1.pid"; }
# on each node's command line, so that a stale pid file never names someone else's process
node_tag() { echo "-Dostiary.cluster.member=$CLUSTER_DIR/node$1"; }
node_pid() { pid_of "$(node_pid_file "$1")" "$(node_tag "$1")"; }

# READY per the readiness probe; /actuator/health where the probe groups are not there (404)
node_ready() {
  local mgmt="http://127.0.0.1:$(node_mgmt_port "$1")/actuator" code
  code="$(http_code "$mgmt/health/readiness")"
  case "$code" in
    200) return 0 ;;
    404) [ "$(http_code "$mgmt/health")" = 200 ] ;;
    *) return 1 ;;
  esac
}

node_start() {
  local i="$1" pid log_file="$LOG_DIR/node$1.log"
  node_launch "$i"
  node_await "$i"
}

# starts several nodes at once and waits for all of them
node_start_many() {
  local i rc=0
  for i in "$@"; do node_launch "$i"; done
  for i in "$@"; do node_await "$i" || rc=1; done
  return $rc
}

node_launch() {
  local i="$1" pid log_file="$LOG_DIR/node$1.log"
  [ -n "${JAR:-}" ] || find_jar
  [ -n "${MASTER_KEY:-}" ] || load_secrets
  if pid="$(node_pid "$i")"; then
    log "node$i already running (pid $pid)"
    return 0
  fi
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  echo "=== $(date -u +%FT%TZ) cluster.sh: starting node$i" >>"$log_file"
  # shellcheck disable=SC2086 # NODE_JAVA_OPTS is a list of options
  env SPRING_PROFILES_ACTIVE=demo \
      OSTIARY_ISSUER="$ISSUER" \
      OSTIARY_TRUSTED_PROXIES=127.0.0.1/32 \
      SPRING_DATASOURCE_URL="$JDBC_URL" \
      SPRING_DATASOURCE_USERNAME=ostiary \
      SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" \
      OSTIARY_MASTER_KEY="$MASTER_KEY" \
      OSTIARY_CLIENT_SECRET_PEPPER="$PEPPER" \
      PORT="$(node_port "$i")" \
      OSTIARY_MANAGEMENT_PORT="$(node_mgmt_port "$i")" \
      SERVER_SHUTDOWN=graceful \
      OSTIARY_CLUSTER_NODENAME="node$i" \
      nohup "$JAVA" -XX:+ExitOnOutOfMemoryError "$(node_tag "$i")" $NODE_JAVA_OPTS -jar "$JAR" \
      >>"$log_file" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$(node_pid_file "$i")"
  log "node$i starting (pid $pid) on 127.0.0.1:$(node_port "$i"), management :$(node_mgmt_port "$i"), log $log_file"
}

node_await() {
  local i="$1" pid deadline
  pid="$(cat "$(node_pid_file "$i")" 2>/dev/null || true)"
  deadline=$(($(date +%s) + NODE_START_TIMEOUT))
  until node_ready "$i"; do
    if ! pid_alive "$pid"; then
      log "node$i exited during start-up; the end of $LOG_DIR/node$i.log:"
      tail -n 30 "$LOG_DIR/node$i.log" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "node$i not ready after ${NODE_START_TIMEOUT}s (see $LOG_DIR/node$i.log)"
      return 1
    fi
    sleep 0.5
  done
  log "node$i ready"
  nginx_undrain_node "$i"
}

node_kill() {
  local i="$1" pid
  if ! pid="$(node_pid "$1")"; then
    log "node$i is not running"
    return 0
  fi
  kill -KILL "$pid"
  wait_pid_gone "$pid" 10 || die "node$i (pid $pid) survived SIGKILL"
  rm -f "$(node_pid_file "$i")"
  log "node$i killed (SIGKILL, pid $pid)"
}

# SIGTERM: Spring's graceful shutdown stops accepting, finishes the requests in flight, then exits
node_stop() {
  local i="$1" pid
  if ! pid="$(node_pid "$1")"; then
    return 0
  fi
  # nginx first stops sending it requests (passive health checks would only notice a refused connect)
  nginx_drain_node "$i"
  log "node$i: SIGTERM (pid $pid), draining"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" "$NODE_STOP_TIMEOUT"; then
    log "node$i still running after ${NODE_STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 10 || true
    rm -f "$(node_pid_file "$i")"
    return 1
  fi
  rm -f "$(node_pid_file "$i")"
  log "node$i stopped"
}

node_status() {
  local i="$1" pid state
  if pid="$(node_pid "$i")"; then
    if node_ready "$i"; then state=ready; else state="not ready"; fi
    echo "node$i running pid $pid 127.0.0.1:$(node_port "$i") management :$(node_mgmt_port "$i") $state"
  else
    echo "node$i stopped"
  fi
}

# The sample resource server (docs/resource-server.md): same jar, other main class; it trusts the
# cluster's certificate to fetch discovery and the JWKS from the public https URL.
sample_tag() { echo "-Dostiary.cluster.member=$CLUSTER_DIR/sample-api"; }
sample_pid() { pid_of "$RUN_DIR/sample-api.pid" "$(sample_tag)"; }

sample_ready() { [ "$(http_code "http://127.0.0.1:$SAMPLE_PORT/actuator/health")" = 200 ]; }

sample_start() {
  local pid
  if pid="$(sample_pid)"; then return 0; fi
  echo "=== $(date -u +%FT%TZ) cluster.sh: starting the sample API" >>"$LOG_DIR/sample-api.log"
  # shellcheck disable=SC2086
  env PORT="$SAMPLE_PORT" SAMPLE_ISSUER_URI="$ISSUER" SAMPLE_JWKS_MIN_REFRESH_INTERVAL="$SAMPLE_JWKS_MIN_REFRESH_INTERVAL" \
      nohup "$JAVA" "$(sample_tag)" $NODE_JAVA_OPTS -Djavax.net.ssl.trustStore="$TRUSTSTORE" \
      -Djavax.net.ssl.trustStorePassword="$TRUSTSTORE_PASSWORD" -Djavax.net.ssl.trustStoreType=PKCS12 \
      -cp "$JAR" -Dloader.main=dev.ostiary.sample.resourceserver.SampleResourceServerApplication \
      org.springframework.boot.loader.launch.PropertiesLauncher >>"$LOG_DIR/sample-api.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN_DIR/sample-api.pid"
  log "sample API starting (pid $pid) on 127.0.0.1:$SAMPLE_PORT"
  local deadline=$(($(date +%s) + NODE_START_TIMEOUT))
  until sample_ready; do
    pid_alive "$pid" || { tail -n 30 "$LOG_DIR/sample-api.log" >&2; die "the sample API exited"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "the sample API is not up after ${NODE_START_TIMEOUT}s"
    sleep 0.5
  done
  log "sample API ready"
}

sample_stop() {
  local pid
  pid="$(sample_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_gone "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/sample-api.pid"
}

sample_status() {
  local pid
  if pid="$(sample_pid)"; then
    echo "sample-api running pid $pid 127.0.0.1:$SAMPLE_PORT"
  else
    echo "sample-api stopped"
  fi
}
