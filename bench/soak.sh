#!/usr/bin/env bash
# Mixed soak of Ostiary alone (issue 18): every scenario of bench/run.sh at once for SOAK_DURATION s,
# sampling the server's memory and every table's size, to show that nothing grows without bound, no
# request fails, and the purges keep up.
#
#   bench/soak.sh                                   # 30 minutes
#   SOAK_DURATION=300 SAMPLE=10 SKIP_BUILD=1 bench/soak.sh    # a short try
#
# Load (each its own generator, in CHUNK-s pieces until the deadline, so every piece reports its own
# counts): client_credentials RS256 (svc-client, 4 connections), client_credentials ES256 (svc-es256,
# 2), JWKS (2), introspection (demo-api, 2; a fresh token per piece, tokens live 5 minutes), the
# password grant (trusted-app/alice, 2; the grant issues a refresh token, so an authorization row each),
# and the authorization-code round trip (bench/AuthCodeRoundTrip.java, 4 threads; a pool of users whose
# consents are deleted after each piece, as bench/run.sh does).
#
# Retention, shortened so that every purge must run many times within the soak (stated, because with
# the defaults a 30-minute run would only show tables filling up to their retention):
#   ostiary.audit.retention=PT5M, ostiary.audit.purge-interval=PT1M          (default P365D / PT1H)
#   ostiary.authorizations.purge-interval=PT1M, purge-grace=PT1M             (default PT10M / PT1H)
#   ostiary.replay.purge-interval=PT1M                                      (default PT5M)
#   server.servlet.session.timeout=5m (default 30m): every round trip leaves a browser session that
#   lives its idle timeout; with 30 minutes, the sessions of a 30-minute soak would all still be alive
#   refresh_token_ttl_seconds = 120 for trusted-app and web-app (by SQL; default 86,400): an
#   authorization row lives as long as its longest token, so with a day-long refresh token the rows of
#   a 30-minute soak are all alive and must stay. The round trip's rows also carry an ID token, which
#   Spring Authorization Server issues for 30 minutes (not configurable): those rows are purged from
#   minute 31 on, so the authorization table can only be flat in a soak longer than 31 minutes + WARM_S
#   (SOAK_DURATION=3600 shows it; a 30-minute soak shows it growing by the round trips alone).
# Spring Session's cleanup (every minute), the rate limiter's buckets (every minute) and the login
# counters keep their defaults.
#
# Verdicts (results.md), from the samples after WARM_S (300 s):
#   RSS        flat when the last sample is within 10 % of the sample at WARM_S and the maximum after
#              WARM_S within 15 %.
#   each table flat when its rows at the end are at most 1.25 × its largest count in the first window
#              after WARM_S (one retention period + one purge interval, 360 s) plus 500 rows; tables that
#              never changed are left out.
#   errors     non-2xx answers and socket errors summed over every piece, and ERROR lines in the log.
# Knobs: SOAK_DURATION=1800 SAMPLE=30 CHUNK=60 WARM_S=300 SKIP_BUILD=1 PORT=9700.
# Output: bench/results/soak-<UTC>/ (samples.tsv, tables.tsv, load-*.txt, ostiary.log, results.md).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
SOAK_DURATION=${SOAK_DURATION:-1800}; SAMPLE=${SAMPLE:-30}; CHUNK=${CHUNK:-60}; WARM_S=${WARM_S:-300}
PORT=${PORT:-9700}; BASE=http://127.0.0.1:$PORT; DB=ostiary_soak; POOL=${POOL:-3000}
export PGPASSWORD=${PGPASSWORD:-postgres}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
JBIN=${JAVA_HOME_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
OPTS="-XX:+UseSerialGC -Xmx96m -Xmn24m -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=48m --enable-native-access=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000 -XX:+UseCompactObjectHeaders"
OUT=$HERE/results/soak-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT/classes"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }
for c in wrk jq; do command -v $c >/dev/null || { echo "needs $c" >&2; exit 1; }; done

OPID=""; STARTED_PG=0; LOADERS=()
cleanup() {
  set +e
  for p in "${LOADERS[@]}"; do kill "$p" 2>/dev/null; done
  pkill -f "wrk .*127.0.0.1:$PORT" 2>/dev/null
  [ -n "$OPID" ] && { kill -TERM "$OPID" 2>/dev/null; for _ in $(seq 1 60); do kill -0 "$OPID" 2>/dev/null || break; sleep 0.5; done; }
  [ "$STARTED_PG" = 1 ] && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$REPO" && mvn -q -B -DskipTests package) > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }; fi
JAR=$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)
"$JBIN/javac" -nowarn -d "$OUT/classes" "$HERE/AuthCodeRoundTrip.java"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start; STARTED_PG=1
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
"${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1 || su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null
"${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

# shellcheck disable=SC2086
env MALLOC_ARENA_MAX=2 OSTIARY_MASTER_KEY="$(openssl rand -base64 32)" OSTIARY_CLIENT_SECRET_PEPPER="$(openssl rand -base64 32)" \
  OSTIARY_ISSUER=$BASE SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
  "$JBIN/java" $OPTS -jar "$JAR" --spring.profiles.active=demo --server.port=$PORT --management.server.port=$((PORT + 1)) \
  --ostiary.audit.retention=PT5M --ostiary.audit.purge-interval=PT1M \
  --ostiary.authorizations.purge-interval=PT1M --ostiary.authorizations.purge-grace=PT1M --ostiary.replay.purge-interval=PT1M --server.servlet.session.timeout=5m \
  > "$OUT/ostiary.log" 2>&1 < /dev/null &
OPID=$!
for _ in $(seq 1 240); do curl -sf -o /dev/null "$BASE/.well-known/openid-configuration" && break; kill -0 $OPID || { tail -30 "$OUT/ostiary.log"; exit 1; }; sleep 0.5; done
log "Ostiary up: pid $OPID"
RTP="soak-"
"${PSQL[@]}" -d $DB <<SQL
insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris, scopes,
                    service_roles, access_token_ttl_seconds, access_token_signing_alg, require_consent, require_pkce,
                    introspection_allowed, enabled)
select gen_random_uuid(), 'svc-es256', 'Bench service (ES256)', secret_hash, auth_methods, grant_types, redirect_uris,
       scopes, service_roles, access_token_ttl_seconds, 'ES256', require_consent, require_pkce, introspection_allowed, enabled
from client where client_id = 'svc-client';
update client set refresh_token_ttl_seconds = 120 where client_id in ('trusted-app', 'web-app');
insert into app_user (id, username, password_hash)
select gen_random_uuid(), '$RTP' || i, (select password_hash from app_user where username = 'alice') from generate_series(0, $POOL - 1) i;
insert into user_role (user_id, role) select id, 'USER' from app_user where username like '$RTP%';
SQL
sleep 2   # the client cache follows the table by NOTIFY

DEADLINE=$(( $(date +%s) + SOAK_DURATION ))
b64() { printf %s "$1" | base64 -w0; }
wrk_loop() {  # name conns lua path basic body-or-"token" -> pieces until the deadline, BENCH lines in load-<name>.txt
  local name=$1 conns=$2 lua=$3 body
  while [ "$(date +%s)" -lt "$DEADLINE" ]; do
    local left=$(( DEADLINE - $(date +%s) )); [ "$left" -gt "$CHUNK" ] && left=$CHUNK; [ "$left" -lt 1 ] && break
    body=$6
    if [ "$body" = token ]; then
      body="token=$(curl -s -u svc-client:svc-secret -d grant_type=client_credentials -d scope=read "$BASE/oauth2/token" | jq -r .access_token)"
    fi
    BENCH_PATH=$4 BENCH_BASIC=$5 BENCH_BODY=$body BENCH_LUA_DIR=$HERE/wrk \
      wrk -t1 -c"$conns" -d"${left}s" --timeout 10s -s "$HERE/wrk/$lua" "$BASE" 2>&1 | grep '^BENCH' >> "$OUT/load-$name.txt" || true
  done
}
rt_loop() {
  while [ "$(date +%s)" -lt "$DEADLINE" ]; do
    local left=$(( DEADLINE - $(date +%s) )); [ "$left" -gt "$CHUNK" ] && left=$CHUNK; [ "$left" -lt 2 ] && break
    "$JBIN/java" -cp "$OUT/classes" AuthCodeRoundTrip --base "$BASE" --authorize /oauth2/authorize --token /oauth2/token \
      --users "$RTP" --pool "$POOL" --first-user 0 --threads 4 --warmup 0 --duration "$left" 2>&1 | grep '^BENCH' >> "$OUT/load-authcode.txt" || true
    "${PSQL[@]}" -d $DB -c "delete from oauth2_authorization_consent where principal_name like '${RTP}%'"
  done
}
wrk_loop cc_rs256 4 form-post.lua /oauth2/token "$(b64 svc-client:svc-secret)" "grant_type=client_credentials&scope=read" & LOADERS+=($!)
wrk_loop cc_es256 2 form-post.lua /oauth2/token "$(b64 svc-es256:svc-secret)" "grant_type=client_credentials&scope=read" & LOADERS+=($!)
wrk_loop jwks 2 get.lua /oauth2/jwks "" "" & LOADERS+=($!)
wrk_loop introspect 2 form-post.lua /oauth2/introspect "$(b64 demo-api:api-secret)" token & LOADERS+=($!)
wrk_loop password 2 form-post.lua /oauth2/token "$(b64 trusted-app:trusted-secret)" "grant_type=password&username=alice&password=alice-pw&scope=read" & LOADERS+=($!)
rt_loop & LOADERS+=($!)
log "load started: ${SOAK_DURATION} s"

T0=$(date +%s)
printf 'elapsed_s\trss_mib\theap_used_kib\tthreads\tfds\tdb_bytes\n' > "$OUT/samples.tsv"
printf 'elapsed_s\ttable\trows\tbytes\n' > "$OUT/tables.tsv"
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
  e=$(( $(date +%s) - T0 ))
  rss=$(( $(ps -o rss= -p "$OPID") / 1024 ))
  heap=$("$JBIN/jcmd" "$OPID" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | awk '{s += $1} END {print s + 0}')
  thr=$(ls /proc/"$OPID"/task | wc -l); fds=$(ls /proc/"$OPID"/fd | wc -l)
  dbb=$("${PSQL[@]}" -d $DB -c "select pg_database_size('$DB')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$e" "$rss" "$heap" "$thr" "$fds" "$dbb" >> "$OUT/samples.tsv"
  # exact counts: n_live_tup lags behind deletes until autovacuum/analyze runs
  "${PSQL[@]}" -d $DB -F$'\t' -c "select relname from pg_stat_user_tables order by relname" | while read -r t; do
    "${PSQL[@]}" -d $DB -F$'\t' -c "select $e, '$t', count(*), pg_total_relation_size('\"$t\"') from \"$t\""
  done >> "$OUT/tables.tsv"
  log "  ${e}s: RSS ${rss} MiB, heap ${heap} KiB, threads ${thr}, fds ${fds}, database $((dbb / 1048576)) MiB"
  sleep "$SAMPLE"
done
for p in "${LOADERS[@]}"; do wait "$p" || true; done
LOADERS=()
sleep 2
errors_in_log=$(grep -c ' ERROR \|^Exception\|^\s*at ' "$OUT/ostiary.log" || true)

{
  echo "| scenario | requests | req/s | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|"
  for f in "$OUT"/load-*.txt; do
    n=${f##*/load-}; n=${n%.txt}
    awk -v n="$n" -v d="$SOAK_DURATION" '{for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] += kv[2]}}
      END {printf "| %s | %d | %.1f | %d | %d |\n", n, v["requests"], v["requests"] / d, v["non2xx"], v["errors"]}' "$f"
  done
  echo
  echo "ERROR / exception lines in the server log: $errors_in_log"
  echo
  awk -F'\t' -v w="$WARM_S" 'NR > 1 {e[NR] = $1; r[NR] = $2; n = NR; if ($1 >= w && !a) {a = $2; ae = $1} if ($1 >= w && $2 > m) m = $2}
    END {printf "RSS: %d MiB at %d s, %d MiB at the end (%d s), max after %d s %d MiB: %s\n", a, ae, r[n], e[n], w, m,
         (r[n] <= 1.10 * a && m <= 1.15 * a) ? "flat" : "NOT flat"}' "$OUT/samples.tsv"
  awk -F'\t' 'NR > 1 {h = $3; t = $4; f = $5; n++; if (n == 1) {h0 = h; t0 = t; f0 = f}}
    END {printf "heap used after the last GC %d -> %d KiB, threads %d -> %d, file descriptors %d -> %d (first -> last sample)\n", h0, h, t0, t, f0, f}' "$OUT/samples.tsv"
  echo
  echo "| table | rows at ${WARM_S} s | max rows ${WARM_S}-$((WARM_S + 360)) s | rows at the end | max rows after ${WARM_S} s | size at ${WARM_S} s / end KiB | verdict |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  awk -F'\t' -v w="$WARM_S" 'NR > 1 {
      t = $2; if (!(t in first)) first[t] = $3; if ($3 != first[t]) changed[t] = 1
      if ($1 >= w && !(t in atw)) {atw[t] = $3; bw[t] = $4}
      if ($1 >= w && $1 <= w + 360 && $3 > win[t]) win[t] = $3
      if ($1 >= w && $3 > mx[t]) mx[t] = $3
      last[t] = $3; lb[t] = $4 }
    END { for (t in last) if (t in changed) printf "| %s | %d | %d | %d | %d | %d / %d | %s |\n", t, atw[t], win[t], last[t], mx[t],
            bw[t] / 1024, lb[t] / 1024, (last[t] <= 1.25 * win[t] + 500 ? "flat" : "NOT flat") }' "$OUT/tables.tsv" | sort
} | tee "$OUT/results.md"
log "results: $OUT/results.md"
