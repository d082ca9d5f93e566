# shellcheck shell=bash
# Settings, state layout and small helpers shared by cluster.sh's parts.

CLUSTER_DIR="${CLUSTER_DIR:-$REPO/target/cluster}"
case "$CLUSTER_DIR" in /*) ;; *) CLUSTER_DIR="$PWD/$CLUSTER_DIR" ;; esac
CLUSTER_BASE_PORT="${CLUSTER_BASE_PORT:-18400}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
NGINX_BIN="${NGINX_BIN:-/usr/sbin/nginx}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KEYTOOL="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
# three nodes and the tests share two cores: a small heap, the serial collector
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"
NODE_START_TIMEOUT="${NODE_START_TIMEOUT:-600}"
NODE_STOP_TIMEOUT="${NODE_STOP_TIMEOUT:-90}"
# the sample API refetches its JWKS for an unknown kid at most this often (sample.jwks-min-refresh-interval)
SAMPLE_JWKS_MIN_REFRESH_INTERVAL="${SAMPLE_JWKS_MIN_REFRESH_INTERVAL:-PT10S}"

HTTPS_PORT=$((CLUSTER_BASE_PORT + 43))
PG1_PORT=$((CLUSTER_BASE_PORT + 32))
PG2_PORT=$((CLUSTER_BASE_PORT + 33))
SAMPLE_PORT=$((CLUSTER_BASE_PORT + 81))
ISSUER="https://localhost:$HTTPS_PORT"
TLS_DIR="$CLUSTER_DIR/tls"
CA_CERT="$TLS_DIR/cert.pem"
TRUSTSTORE="$TLS_DIR/truststore.p12"
TRUSTSTORE_PASSWORD="changeit"
SECRETS_DIR="$CLUSTER_DIR/secrets"
LOG_DIR="$CLUSTER_DIR/logs"
RUN_DIR="$CLUSTER_DIR/run"
NGINX_ACCESS_LOG="$LOG_DIR/nginx-access.log"
# the multi-host URL: the driver tries both and keeps the one that takes writes (docs/deployment.md)
JDBC_URL="jdbc:postgresql://127.0.0.1:$PG1_PORT,127.0.0.1:$PG2_PORT/ostiary?targetServerType=primary"

node_port() { echo $((CLUSTER_BASE_PORT + $1)); }
node_mgmt_port() { echo $((CLUSTER_BASE_PORT + 10 + $1)); }

log() { printf '%s cluster: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# PostgreSQL refuses to run as root: as root, its commands run as the user postgres
as_postgres() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# alive and not a zombie (a SIGKILLed child of a parent that does not reap)
pid_alive() {
  local pid="$1" state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
  [ -n "$state" ] && [ "$state" != Z ]
}

# the pid in a pid file, if that process is alive and its command line carries the tag
pid_of() {
  local file="$1" tag="$2" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  pid_alive "$pid" || return 1
  [ -z "$tag" ] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$tag" || return 1
  echo "$pid"
}

# wait_until SECONDS WHAT COMMAND...: polls every 0.25 s
wait_until() {
  local timeout="$1" what="$2" deadline
  shift 2
  deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

wait_pid_gone() {
  local pid="$1" timeout="$2" deadline
  deadline=$(($(date +%s) + timeout))
  while pid_alive "$pid"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$@" 2>/dev/null || true; }

prepare_dirs() {
  mkdir -p "$CLUSTER_DIR" "$LOG_DIR" "$RUN_DIR" "$TLS_DIR" "$SECRETS_DIR" "$CLUSTER_DIR/pg"
  chmod 700 "$SECRETS_DIR"
  if is_root; then
    # postgres (and nginx's workers) must reach CLUSTER_DIR: traverse (x) only, on each parent that lacks it
    local d="$CLUSTER_DIR"
    while [ "$d" != / ]; do
      [ "$(stat -c %A "$d" | cut -c10)" = x ] || [ "$(stat -c %A "$d" | cut -c10)" = t ] || chmod o+x "$d"
      d="$(dirname "$d")"
    done
  fi
}

make_certificate() {
  [ -s "$CA_CERT" ] && [ -s "$TLS_DIR/key.pem" ] && [ -s "$TRUSTSTORE" ] && return 0
  log "self-signed certificate for localhost/127.0.0.1"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
      -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$TLS_DIR/key.pem" -out "$CA_CERT" 2>/dev/null)
  chmod 644 "$CA_CERT"
  rm -f "$TRUSTSTORE"
  # for the JVMs that call the issuer (the sample API, tests): a PKCS12 trust store with just this certificate
  "$KEYTOOL" -importcert -noprompt -alias ostiary-cluster -file "$CA_CERT" -keystore "$TRUSTSTORE" \
      -storetype PKCS12 -storepass "$TRUSTSTORE_PASSWORD" >/dev/null 2>&1 || die "keytool failed"
  chmod 644 "$TRUSTSTORE"
}

secret() {
  local file="$SECRETS_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && openssl rand "$2" "$3" >"$file")
  fi
  chmod 600 "$file"
  cat "$file"
}

make_secrets() {
  MASTER_KEY="$(secret master-key -base64 32)"
  PEPPER="$(secret secret-pepper -base64 32)"
  # hex: no quoting trouble in connection strings
  DB_PASSWORD="$(secret db-password -hex 24)"
  REPLICATION_PASSWORD="$(secret replication-password -hex 24)"
}

load_secrets() {
  [ -s "$SECRETS_DIR/master-key" ] || die "no cluster in $CLUSTER_DIR (run: cluster/cluster.sh start)"
  make_secrets
}

# OSTIARY_JAR if given (and remembered for the nodes started later), else the one `start` was given,
# else the newest target/ostiary-*.jar (built if there is none)
find_jar() {
  if [ -n "${OSTIARY_JAR:-}" ]; then
    [ -f "$OSTIARY_JAR" ] || die "OSTIARY_JAR=$OSTIARY_JAR does not exist"
    JAR="$(cd "$(dirname "$OSTIARY_JAR")" && pwd)/$(basename "$OSTIARY_JAR")"
    mkdir -p "$RUN_DIR"
    echo "$JAR" >"$RUN_DIR/jar"
    return 0
  fi
  if [ -s "$RUN_DIR/jar" ] && [ -f "$(cat "$RUN_DIR/jar")" ]; then
    JAR="$(cat "$RUN_DIR/jar")"
    return 0
  fi
  JAR="$(ls -t "$REPO"/target/ostiary-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -1 || true)"
  if [ -z "$JAR" ]; then
    log "no jar in $REPO/target: mvn -q -DskipTests package"
    (cd "$REPO" && mvn -q -DskipTests package) || die "the build failed"
    JAR="$(ls -t "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\.jar$' | head -1)"
  fi
}

write_env() {
  local i f="$CLUSTER_DIR/cluster.env"
  {
    echo "CLUSTER_DIR=$CLUSTER_DIR"
    echo "ISSUER=$ISSUER"
    for i in 1 2 3; do
      echo "NODE${i}_URL=http://127.0.0.1:$(node_port "$i")"
      echo "NODE${i}_MGMT=http://127.0.0.1:$(node_mgmt_port "$i")"
    done
    echo "PG_PRIMARY_PORT=$PG1_PORT"
    echo "PG_STANDBY_PORT=$PG2_PORT"
    echo "JDBC_URL=$JDBC_URL"
    echo "DB_USER=ostiary"
    echo "DB_PASSWORD=$DB_PASSWORD"
    echo "CA_CERT=$CA_CERT"
    echo "TRUSTSTORE=$TRUSTSTORE"
    echo "TRUSTSTORE_PASSWORD=$TRUSTSTORE_PASSWORD"
    echo "SAMPLE_API_URL=http://127.0.0.1:$SAMPLE_PORT"
    echo "SAMPLE_JWKS_MIN_REFRESH_INTERVAL=$SAMPLE_JWKS_MIN_REFRESH_INTERVAL"
    echo "NGINX_ACCESS_LOG=$NGINX_ACCESS_LOG"
  } >"$f.tmp"
  chmod 600 "$f.tmp"
  mv "$f.tmp" "$f"
}
