#!/usr/bin/env bash
# client_credentials with a new TLS connection per request (issue 18): the mode of Keycloak's sizing
# guide ("120 client credential grants per second per vCPU"), side by side. Each server terminates TLS
# itself (Ostiary: Tomcat's JSSE connector, with the native Corretto provider for what JSSE asks of JCA;
# Keycloak 26.7.3: Quarkus/Vert.x on the JDK's JSSE), with the same self-signed ECDSA P-256 certificate,
# both on Temurin 25. wrk sends "Connection: close" with every request (bench/wrk/form-post.lua,
# BENCH_CLOSE=1), so each request is a new TCP connection and a full TLS 1.3 handshake (wrk keeps no
# session to resume). A keep-alive run over the same TLS listeners is measured too, to show what the
# handshake costs on each side.
#
#   bench/tls.sh                       # build, start both, warm both, ROUNDS alternating measurements, stop both
#   ROUNDS=5 SKIP_BUILD=1 bench/tls.sh
#
# Per measurement: req/s, p50/p99, non-2xx and socket errors, and from pidstat the CPU of the server and
# of wrk, so the CPU per request is known on both sides: on 2 cores the load generator's own handshakes
# (OpenSSL 3.0, ~0.8 ms of CPU per connection) take a large share of the machine, and throughput alone
# then understates the difference between the servers.
# Knobs: CONNS=16 DURATION=20 ROUNDS=3 STEP=10 SETTLE_MAX=240 (warm-up: STEP-s runs until two in a row
# differ by < 3 % and the JIT compilers are idle) SKIP_BUILD=1 KEYCLOAK_KIT=<dir>.
# Output: bench/results/tls-<UTC>/ (summary.txt, results.md, raw wrk and pidstat files).
set -euo pipefail
export LC_ALL=C S_TIME_FORMAT=ISO
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
KIT=${KEYCLOAK_KIT:-$(cd "$REPO/.." && pwd)/shared/peers/keycloak}
KC_CACHE=${PEERS_CACHE:-$HOME/.cache/ostiary-peers}
CONNS=${CONNS:-16}; DURATION=${DURATION:-20}; ROUNDS=${ROUNDS:-3}; STEP=${STEP:-10}; SETTLE_MAX=${SETTLE_MAX:-240}
OPORT=9443; KPORT=18443
O_URL=https://127.0.0.1:$OPORT; K_URL=https://127.0.0.1:$KPORT
DB=ostiary_tls
export PGPASSWORD=${PGPASSWORD:-postgres}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
JBIN=${JAVA_HOME_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
# the same JVM options as bench/run.sh (the Dockerfile's)
OPTS="-XX:+UseSerialGC -Xmx96m -Xmn24m -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=48m --enable-native-access=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000 -XX:+UseCompactObjectHeaders"
TS=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$HERE/results/tls-$TS
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }
for c in wrk pidstat jq openssl; do command -v $c >/dev/null || { echo "needs $c (apt-get install wrk sysstat jq openssl)" >&2; exit 1; }; done

OPID=""; STARTED_KC=0; STARTED_PG=0
cleanup() {
  set +e
  [ -n "$OPID" ] && kill -TERM "$OPID" 2>/dev/null && { for _ in $(seq 1 60); do kill -0 "$OPID" 2>/dev/null || break; sleep 0.5; done; log "Ostiary stopped"; }
  [ "$STARTED_KC" = 1 ] && { "$KIT/stop.sh" >> "$OUT/run.log" 2>&1; log "Keycloak stopped"; }
  [ "$STARTED_PG" = 1 ] && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# one certificate for both: ECDSA P-256, the cheaper signature in the handshake
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$OUT/key.pem" -out "$OUT/cert.pem" \
  -days 7 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the production jar"; (cd "$REPO" && mvn -q -B -DskipTests package) > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
fi
JAR=$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start; STARTED_PG=1
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
"${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1 || su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null
"${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

curl -sk -o /dev/null "$O_URL/" && { echo "port $OPORT is in use" >&2; exit 1; }
# shellcheck disable=SC2086
env MALLOC_ARENA_MAX=2 OSTIARY_MASTER_KEY="$(openssl rand -base64 32)" OSTIARY_CLIENT_SECRET_PEPPER="$(openssl rand -base64 32)" \
  OSTIARY_ISSUER=$O_URL SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
  "$JBIN/java" $OPTS -jar "$JAR" --spring.profiles.active=demo --server.port=$OPORT --management.server.port=9444 \
  --server.ssl.bundle=bench --spring.ssl.bundle.pem.bench.keystore.certificate="file:$OUT/cert.pem" \
  --spring.ssl.bundle.pem.bench.keystore.private-key="file:$OUT/key.pem" > "$OUT/ostiary.log" 2>&1 < /dev/null &
OPID=$!
for _ in $(seq 1 240); do curl -skf -o /dev/null "$O_URL/.well-known/openid-configuration" && break; kill -0 $OPID || { tail -30 "$OUT/ostiary.log"; exit 1; }; sleep 0.5; done
log "Ostiary up on $O_URL (pid $OPID)"

if [ -f "$KC_CACHE/keycloak.pid" ] && kill -0 "$(cat "$KC_CACHE/keycloak.pid")" 2>/dev/null; then
  echo "Keycloak is already running (without this run's certificate): stop it first ($KIT/stop.sh)" >&2; exit 1
fi
"$KIT/setup.sh" >> "$OUT/run.log" 2>&1
# Keycloak reads its options from KC_* variables as well; start.sh passes the environment through
KC_HTTPS_CERTIFICATE_FILE=$OUT/cert.pem KC_HTTPS_CERTIFICATE_KEY_FILE=$OUT/key.pem KC_HTTPS_PORT=$KPORT \
  RESET_DB=1 "$KIT/start.sh" >> "$OUT/run.log" 2>&1 || { tail -20 "$OUT/run.log"; exit 1; }
STARTED_KC=1
KPID=$(cat "$KC_CACHE/keycloak.pid")
log "Keycloak up on $K_URL (pid $KPID)"

export BENCH_LUA_DIR=$HERE/wrk BENCH_BASIC; BENCH_BASIC=$(printf svc-client:svc-secret | base64 -w0)
export BENCH_BODY="grant_type=client_credentials&scope=read"
path_of() { [ "$1" = ostiary ] && echo /oauth2/token || echo /realms/demo/protocol/openid-connect/token; }
url_of() { [ "$1" = ostiary ] && echo "$O_URL" || echo "$K_URL"; }
pid_of() { [ "$1" = ostiary ] && echo "$OPID" || echo "$KPID"; }
for t in ostiary keycloak; do   # the answer must be a token, over TLS with the certificate above
  r=$(curl -s --cacert "$OUT/cert.pem" -u svc-client:svc-secret -d "$BENCH_BODY" "$(url_of $t)$(path_of $t)")
  jq -e '.access_token | length > 0' <<<"$r" >/dev/null || { echo "precheck failed on $t: ${r:0:200}" >&2; exit 1; }
done
compiler_ticks() { "$HERE/threadcpu.sh" "$1" | awk -F'\t' '$1 ~ /CompilerThre/ {s += $2} END {print s + 0}'; }

# wrk once: target close(1|0) seconds file
load() { BENCH_PATH=$(path_of "$1") BENCH_CLOSE=$2 wrk -t1 -c"$CONNS" -d"${3}s" --timeout 10s --latency -s "$HERE/wrk/form-post.lua" "$(url_of "$1")" > "$4" 2>&1; }
rps_of() { sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1" | tail -1; }

for t in ostiary keycloak; do
  waited=0; prev=0
  while [ "$waited" -lt "$SETTLE_MAX" ]; do
    b=$(compiler_ticks "$(pid_of $t)"); load "$t" 1 "$STEP" "$OUT/warm-$t.txt"; a=$(compiler_ticks "$(pid_of $t)")
    cat "$OUT/warm-$t.txt" >> "$OUT/warm-$t-all.txt"
    r=$(rps_of "$OUT/warm-$t.txt"); waited=$((waited + STEP))
    if awk -v a="$r" -v b="$prev" 'BEGIN {exit !(b > 0 && (a - b) / b < 0.03 && (b - a) / b < 0.03)}' && [ $((a - b)) -le "$STEP" ]; then break; fi
    prev=$r
  done
  load "$t" 0 "$STEP" "$OUT/warm-$t-keepalive.txt"
  log "warmed $t: $waited s, last step $r req/s, compiler threads $((a - b)) ticks"
done

# target mode round -> one line of results.tsv
measure() {
  local t=$1 mode=$2 close=0 f w n=$((DURATION - 2))
  [ "$mode" = new ] && close=1
  f=$OUT/$t-$mode-$3
  load "$t" "$close" "$DURATION" "$f.txt" & w=$!
  sleep 1
  local wp; wp=$(pgrep -n -x wrk)
  pidstat -h -u -p "$(pid_of "$t"),$wp" 1 "$n" > "$f-pidstat.txt" 2>&1 &
  local ps=$!
  mpstat 1 "$n" > "$f-mpstat.txt" 2>&1
  wait "$w" || true; wait "$ps" || true   # not a bare wait: the server is a child of this shell too
  local line; line=$(grep '^BENCH ' "$f.txt" | tail -1)
  kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $line"; }
  local srv gen idle
  srv=$(awk -v p="$(pid_of "$t")" '$1 !~ /^#/ && $3==p {s+=$8; c++} END {printf "%.0f", c ? s/c : 0}' "$f-pidstat.txt")
  gen=$(awk -v p="$wp" '$1 !~ /^#/ && $3==p {s+=$8; c++} END {printf "%.0f", c ? s/c : 0}' "$f-pidstat.txt")
  idle=$(awk '/^Average/ && $2=="all" {printf "%.0f", $NF}' "$f-mpstat.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$mode" "$3" "$(kv rps)" "$(kv p50_ms)" "$(kv p99_ms)" \
    "$(kv non2xx)" "$(kv errors)" "$srv" "$gen" "$idle" | tee -a "$OUT/results.tsv" | tee -a "$OUT/run.log"
}
: > "$OUT/results.tsv"
log "measuring (target mode round req/s p50 p99 non2xx errors srvCPU% wrkCPU% idle%)"
for r in $(seq 1 "$ROUNDS"); do
  for t in ostiary keycloak; do measure "$t" new "$r"; done
done
for t in ostiary keycloak; do measure "$t" keepalive 1; done

awk -F'\t' -v rounds="$ROUNDS" '
  function ms(cpu, rps) { return rps > 0 ? 10 * cpu / rps : 0 }   # % of a core / (req/s) -> ms per request
  { k = $1 SUBSEP $2 SUBSEP $3; rps[k] = $4; p50[k] = $5; p99[k] = $6; n2[k] = $7; er[k] = $8; srv[k] = $9; gen[k] = $10; idle[k] = $11 }
  END {
    print "| mode, round | Ostiary req/s | Keycloak req/s | ratio O/K | server CPU ms/request O / K | ratio K/O | wrk CPU ms/request O / K | p50 / p99 ms O | p50 / p99 ms K | non-2xx, socket errors O / K | machine idle % O / K |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (r = 1; r <= rounds + 1; r++) {
      mode = r <= rounds ? "new" : "keepalive"; rr = r <= rounds ? r : 1
      o = "ostiary" SUBSEP mode SUBSEP rr; c = "keycloak" SUBSEP mode SUBSEP rr
      so = ms(srv[o], rps[o]); sk = ms(srv[c], rps[c]); ratio = rps[c] > 0 ? rps[o] / rps[c] : 0
      cpuratio = so > 0 ? sk / so : 0; label = mode == "new" ? "new TLS connection per request," : "keep-alive (TLS once per connection),"
      printf "| %s %d | %s | %s | %.2f | %.2f / %.2f | %.2f | %.2f / %.2f | %s / %s | %s / %s | %s, %s / %s, %s | %s / %s |\n",
        label, rr, rps[o], rps[c], ratio, so, sk, cpuratio, ms(gen[o], rps[o]), ms(gen[c], rps[c]),
        p50[o], p99[o], p50[c], p99[c], n2[o], er[o], n2[c], er[c], idle[o], idle[c]
    }
  }' "$OUT/results.tsv" | tee "$OUT/results.md"
{ echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), git $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores, java $("$JBIN/java" -version 2>&1 | sed -n 2p)"
  echo "wrk 1 thread, $CONNS connections, ${DURATION} s per measurement, ECDSA P-256 certificate, TLS $(echo | openssl s_client -connect 127.0.0.1:$OPORT 2>/dev/null | sed -n 's/^New, \(.*\)$/\1/p')"
  echo; cat "$OUT/results.md"; } > "$OUT/summary.txt"
log "summary: $OUT/summary.txt"
