#!/usr/bin/env bash
# Side-by-side benchmark: Ostiary (the production jar) against Keycloak 26.7.3 (the peer kit in
# ../shared/peers/keycloak), both on the local PostgreSQL 15, driven over loopback with wrk + Lua
# (bench/wrk/) and, for the authorization-code round trip, bench/AuthCodeRoundTrip.java.
# See docs/performance.md for the method and the latest results.
#
#   bench/run.sh                                  # everything: build, start both, all scenarios, stop both
#   SCENARIOS="cc_rs256 jwks" TARGETS=ostiary bench/run.sh     # a subset, e.g. to try a JVM flag
#   PROFILE="cc_rs256 introspect" bench/run.sh    # + JFR CPU profiles of Ostiary (those runs are then slower)
#
# Knobs (environment): WARMUP=10 DURATION=20 CONNS=16 PREWARM=10 (one untimed pass over every scenario
# first, so neither JVM is measured cold, continued in SETTLE_STEP=5 s steps until the JIT compilers are
# idle, at most SETTLE_MAX=300 s; the round trip in RT_SETTLE_STEP=10 s steps, at most RT_SETTLE_MAX=SETTLE_MAX s,
# reusing its user pool with the consents deleted) MAX_TRIES=2 NOISE_MAX=30 QUIET_WAIT=90 (the VM is shared: a
# measurement disturbed by other tenants' CPU is re-run) RT_POOL=3000 (fresh users for the round trip)
# OSTIARY_JAVA_OPTS (JVM flags, default below) OSTIARY_ARGS (extra Spring arguments) SKIP_BUILD=1
# REPEAT=1 (measure the scenarios this many times back to back, a table each) KC_RESET=1 (fresh Keycloak schema, like Ostiary's fresh database) KEYCLOAK_KIT=<dir>.
# Raw output: bench/results/<UTC timestamp>/ (git-ignored); the table: summary.txt and results.md there.
set -euo pipefail
export LC_ALL=C S_TIME_FORMAT=ISO   # sysstat and awk output in one parseable format
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
KIT=${KEYCLOAK_KIT:-$(cd "$REPO/.." && pwd)/shared/peers/keycloak}
KC_CACHE=${PEERS_CACHE:-$HOME/.cache/ostiary-peers}

WARMUP=${WARMUP:-10}; DURATION=${DURATION:-20}; CONNS=${CONNS:-16}; PREWARM=${PREWARM:-10}
SETTLE_MAX=${SETTLE_MAX:-300}; SETTLE_STEP=${SETTLE_STEP:-5}
MAX_TRIES=${MAX_TRIES:-2}; NOISE_MAX=${NOISE_MAX:-30}; QUIET_WAIT=${QUIET_WAIT:-90}
SCENARIOS=${SCENARIOS:-"jwks cc_rs256 cc_es256 introspect password authcode"}
TARGETS=${TARGETS:-"ostiary keycloak"}
PROFILE=${PROFILE:-}
RT_POOL=${RT_POOL:-4000}
RT_PER_TRY=${RT_PER_TRY:-1800}   # users one round-trip measurement may use (~50/s for 30 s, with margin)
REPEAT=${REPEAT:-1}   # measure every scenario this many times, back to back, after one pre-warm (a table for each)
RT_SETTLE_MAX=${RT_SETTLE_MAX:-$SETTLE_MAX}; RT_SETTLE_STEP=${RT_SETTLE_STEP:-10}   # 0: the round trip gets the pre-warm only
OSTIARY_PORT=9000
OSTIARY=http://127.0.0.1:$OSTIARY_PORT
KC=http://127.0.0.1:18080
DB=ostiary_bench
export PGPASSWORD=${PGPASSWORD:-postgres}   # the peer kit's PostgreSQL user postgres/postgres
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)

# JDK 25 when present (faster signing, and JFR's CPU-time sampler); otherwise whatever java is on the PATH.
JAVA_HOME_BENCH=${JAVA_HOME_BENCH:-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* 2>/dev/null | head -1 || true)}
if [ -n "$JAVA_HOME_BENCH" ] && [ -x "$JAVA_HOME_BENCH/bin/java" ]; then JBIN=$JAVA_HOME_BENCH/bin; else JBIN=$(dirname "$(readlink -f "$(command -v java)")"); fi
JAVA_MAJOR=$("$JBIN/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/{gsub(/ /,"",$2); print $2}')

# Ostiary's JVM flags: the production settings of the Dockerfile, each measured before/after
# (docs/performance.md, "Tuning"). They size the JVM to the service: a 96 MiB heap (the live set is
# ~60 MiB, Argon2's working memory included), the serial collector, C2 only with one compiler thread
# (no profiled code cache, no second compiler's arenas), compact object headers, native heap trimming.
DEFAULT_OPTS="-XX:+UseSerialGC -Xmx96m -Xmn24m -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=48m"
# the native signing provider loads a JNI library: say so, instead of a warning on every start (JDK 22+)
[ "${JAVA_MAJOR%%.*}" -ge 22 ] && DEFAULT_OPTS="$DEFAULT_OPTS --enable-native-access=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000"
[ "${JAVA_MAJOR%%.*}" -ge 25 ] && DEFAULT_OPTS="$DEFAULT_OPTS -XX:+UseCompactObjectHeaders"
OSTIARY_JAVA_OPTS=${OSTIARY_JAVA_OPTS-$DEFAULT_OPTS}
OSTIARY_ARGS=${OSTIARY_ARGS-}
[ -n "$PROFILE" ] && OSTIARY_JAVA_OPTS="$OSTIARY_JAVA_OPTS -XX:FlightRecorderOptions=stackdepth=256"   # Spring's stacks are deep

TS=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$HERE/results/$TS
mkdir -p "$OUT"
NCPU=$(nproc)
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

# ---------------------------------------------------------------- tools
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v pidstat >/dev/null || need+=(sysstat)
command -v jq >/dev/null || need+=(jq)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then log "installing ${need[*]}"; apt-get install -y -q "${need[@]}" >/dev/null || { apt-get update -q >/dev/null; apt-get install -y -q "${need[@]}" >/dev/null; }; fi

# ---------------------------------------------------------------- clean-up: stop whatever this script started
OPID=""; STARTED_KC=0; STARTED_PG=0; PGVER=""
cleanup() {
  set +e
  if [ -n "$OPID" ] && kill -0 "$OPID" 2>/dev/null; then
    kill -TERM "$OPID"; for _ in $(seq 1 60); do kill -0 "$OPID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$OPID" 2>/dev/null && kill -KILL "$OPID"
    log "Ostiary (pid $OPID) stopped"
  fi
  if [ "$STARTED_KC" = 1 ]; then "$KIT/stop.sh" >> "$OUT/run.log" 2>&1; log "Keycloak stopped"; fi
  if [ "$STARTED_PG" = 1 ]; then pg_ctlcluster --skip-systemctl-redirect "$PGVER" main stop; log "PostgreSQL $PGVER stopped"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- machine, build
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $NCPU cores ($(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2; exit}')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $("$JBIN/java" -version 2>&1 | sed -n 2p)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), 1 thread, $CONNS connections, ${WARMUP}s warm-up + ${DURATION}s measured per scenario, pre-warm ${PREWARM}s"
  echo "ostiary JVM options: ${OSTIARY_JAVA_OPTS:-(none)}; args: --spring.profiles.active=demo ${OSTIARY_ARGS}"
  echo "git: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml db || echo ' (server sources modified)')"
} | tee "$OUT/env.txt"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the production jar (mvn -q -DskipTests package)"
  (cd "$REPO" && mvn -q -DskipTests package) > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
fi
JAR=$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)
# the server's own libraries, for Argon2Rate (same encoder code as the server)
unzip -q -o "$JAR" 'BOOT-INF/lib/*' 'BOOT-INF/classes/*' -d "$OUT/lib"
# compile the helper programs once (the single-file launcher would recompile them on every start)
mkdir -p "$OUT/classes"
"$JBIN/javac" -nowarn -d "$OUT/classes" "$HERE/AuthCodeRoundTrip.java" "$HERE/JfrTop.java"
"$JBIN/javac" -nowarn -d "$OUT/classes" -cp "$OUT/lib/BOOT-INF/classes:$OUT/lib/BOOT-INF/lib/*" "$HERE/Argon2Rate.java"

# ---------------------------------------------------------------- PostgreSQL
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  PGVER=$(ls /etc/postgresql | sort -n | tail -1)
  log "starting PostgreSQL $PGVER"
  pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start; STARTED_PG=1
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! "${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1; then   # same set-up as the peer kit
  su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null
fi
"${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
log "database $DB created (fresh)"

# ---------------------------------------------------------------- Ostiary
if curl -s -o /dev/null "$OSTIARY/"; then echo "port $OSTIARY_PORT is already in use" >&2; exit 1; fi
t0=$(date +%s.%N)
# shellcheck disable=SC2086   # the option strings are word lists on purpose
env MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} OSTIARY_MASTER_KEY="$(openssl rand -base64 32)" OSTIARY_CLIENT_SECRET_PEPPER="$(openssl rand -base64 32)" \
  OSTIARY_ISSUER=$OSTIARY PORT=$OSTIARY_PORT \
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
  "$JBIN/java" $OSTIARY_JAVA_OPTS -jar "$JAR" --spring.profiles.active=demo $OSTIARY_ARGS > "$OUT/ostiary.log" 2>&1 < /dev/null &
OPID=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$OSTIARY/.well-known/openid-configuration" && break
  kill -0 "$OPID" 2>/dev/null || { tail -40 "$OUT/ostiary.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$OSTIARY/.well-known/openid-configuration" || { echo "Ostiary did not come up" >&2; exit 1; }
log "Ostiary up: pid $OPID, $(printf %.1f "$(echo "$(date +%s.%N) - $t0" | bc)") s to first answer, RSS $(( $(ps -o rss= -p "$OPID") / 1024 )) MiB; $(grep -o 'Signing provider: [^(]*' "$OUT/ostiary.log" || echo 'signing provider: ?')"

# Bench-only data, by SQL after start (the client and scope caches follow table changes via NOTIFY):
# svc-es256 = svc-client with ES256-signed access tokens; round-trip users rt<run>-<n> with alice's
# password hash and role, one per round trip so that each one sees the consent page.
RTP="rt$(date +%s | tail -c 6)-"
"${PSQL[@]}" -d $DB <<SQL
insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris, scopes,
                    service_roles, access_token_ttl_seconds, access_token_signing_alg, require_consent, require_pkce,
                    introspection_allowed, enabled)
select gen_random_uuid(), 'svc-es256', 'Bench service (ES256)', secret_hash, auth_methods, grant_types, redirect_uris,
       scopes, service_roles, access_token_ttl_seconds, 'ES256', require_consent, require_pkce, introspection_allowed, enabled
from client where client_id = 'svc-client'
on conflict (client_id) do nothing;
insert into app_user (id, username, password_hash)
select gen_random_uuid(), '$RTP' || i, (select password_hash from app_user where username = 'alice')
from generate_series(0, $RT_POOL - 1) i;
insert into user_role (user_id, role) select id, 'USER' from app_user where username like '$RTP%';
SQL
sleep 1   # let the NOTIFY reach the client cache
alg=$(curl -s -u svc-es256:svc-secret -d grant_type=client_credentials -d scope=read "$OSTIARY/oauth2/token" | jq -r .access_token | cut -d. -f1 | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .alg || true)
[ "$alg" = ES256 ] || { echo "svc-es256 does not get ES256 tokens (alg=$alg)" >&2; exit 1; }

# ---------------------------------------------------------------- Keycloak (peer kit)
KPID=""
if [[ " $TARGETS " == *" keycloak "* ]]; then
  "$KIT/setup.sh" >> "$OUT/run.log" 2>&1
  if [ -f "$KC_CACHE/keycloak.pid" ] && kill -0 "$(cat "$KC_CACHE/keycloak.pid")" 2>/dev/null; then
    log "Keycloak already running (not started by this script; left running at the end)"
  else
    log "starting Keycloak with the peer kit (RESET_DB=${KC_RESET:-1})"
    RESET_DB=${KC_RESET:-1} "$KIT/start.sh" >> "$OUT/run.log" 2>&1 || { tail -20 "$OUT/run.log"; exit 1; }
    STARTED_KC=1
  fi
  KPID=$(cat "$KC_CACHE/keycloak.pid")
  log "Keycloak up: pid $KPID, RSS $(( $(ps -o rss= -p "$KPID") / 1024 )) MiB"
  # the same round-trip users, with alice's stored Argon2 credential (importing a password would hash
  # it once per user: minutes); partialImport in chunks, skipped if they exist
  cred=$("${PSQL[@]}" -d keycloak -c "select json_build_object('secretData', c.secret_data, 'credentialData', c.credential_data)
        from credential c join user_entity u on u.id = c.user_id join realm r on r.id = u.realm_id
        where u.username = 'alice' and r.name = 'demo' and c.type = 'password'")
  log "importing $RT_POOL round-trip users into Keycloak realm demo"
  for ((start = 0; start < RT_POOL; start += 1000)); do
    adm=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin "$KC/realms/master/protocol/openid-connect/token" | jq -r .access_token)
    jq -n --argjson c "$cred" --arg p "$RTP" --argjson a "$start" --argjson b "$(( start + 1000 < RT_POOL ? start + 1000 : RT_POOL ))" \
      '{ifResourceExists: "SKIP", users: [range($a; $b) | ($p + tostring) as $u | {username: $u, enabled: true,
        email: ($u + "@example.com"), emailVerified: true, firstName: "Bench", lastName: "User", realmRoles: ["user"],
        credentials: [{type: "password", temporary: false, secretData: $c.secretData, credentialData: $c.credentialData}]}]}' \
      | curl -sf -X POST -H "Authorization: Bearer $adm" -H 'Content-Type: application/json' --data @- \
          "$KC/admin/realms/demo/partialImport" | jq -c '{added, skipped}' >> "$OUT/run.log"
  done
fi

# ---------------------------------------------------------------- scenarios
b64() { printf %s "$1" | base64 -w0; }
fresh_token() {  # target -> a client_credentials access token (svc-client, scope read; aud demo-api on both)
  if [ "$1" = ostiary ]; then curl -s -u svc-client:svc-secret -d grant_type=client_credentials -d scope=read "$OSTIARY/oauth2/token"
  else curl -s -u svc-client:svc-secret -d grant_type=client_credentials -d scope=read "$KC/realms/demo/protocol/openid-connect/token"; fi | jq -r .access_token
}
# scenario target -> URL LUA BENCH_PATH BENCH_BASIC BENCH_BODY CHECK (jq expression true on a good answer)
setup_scenario() {
  local s=$1 t=$2 kcoidc=/realms/demo/protocol/openid-connect
  URL=$OSTIARY; [ "$t" = keycloak ] && URL=$KC
  LUA=form-post.lua; BENCH_BODY=""; BENCH_BASIC=""; CHECK='.access_token | length > 0'
  case $s/$t in
    jwks/ostiary)       LUA=get.lua; BENCH_PATH=/oauth2/jwks; CHECK='.keys | length > 0' ;;
    jwks/keycloak)      LUA=get.lua; BENCH_PATH=$kcoidc/certs; CHECK='.keys | length > 0' ;;
    cc_rs256/ostiary)   BENCH_PATH=/oauth2/token; BENCH_BASIC=$(b64 svc-client:svc-secret) ;;
    cc_rs256/keycloak)  BENCH_PATH=$kcoidc/token; BENCH_BASIC=$(b64 svc-client:svc-secret) ;;
    cc_es256/ostiary)   BENCH_PATH=/oauth2/token; BENCH_BASIC=$(b64 svc-es256:svc-secret) ;;
    cc_es256/keycloak)  BENCH_PATH=/realms/demo-es256/protocol/openid-connect/token; BENCH_BASIC=$(b64 svc-client:svc-secret) ;;
    password/ostiary)   BENCH_PATH=/oauth2/token; BENCH_BASIC=$(b64 trusted-app:trusted-secret) ;;
    password/keycloak)  BENCH_PATH=$kcoidc/token; BENCH_BASIC=$(b64 trusted-app:trusted-secret) ;;
    introspect/ostiary)  BENCH_PATH=/oauth2/introspect; BENCH_BASIC=$(b64 demo-api:api-secret); CHECK='.active == true' ;;
    introspect/keycloak) BENCH_PATH=$kcoidc/token/introspect; BENCH_BASIC=$(b64 demo-api:api-secret); CHECK='.active == true' ;;
    authcode/*)         LUA="" ;;
    *) echo "unknown scenario $s" >&2; exit 1 ;;
  esac
  case $s in
    cc_*)       BENCH_BODY="grant_type=client_credentials&scope=read" ;;
    password)   BENCH_BODY="grant_type=password&username=alice&password=alice-pw&scope=read" ;;
    introspect) BENCH_BODY="token=$(fresh_token "$t")" ;;   # valid 5 min on both servers: longer than a scenario
  esac
  export BENCH_PATH BENCH_BASIC BENCH_BODY BENCH_LUA_DIR=$HERE/wrk
}
precheck() {  # one request like the load's, and its answer must be right (a fast error would look like speed)
  local r
  if [ "$LUA" = get.lua ]; then r=$(curl -s "$URL$BENCH_PATH")
  else r=$(curl -s -H "Authorization: Basic $BENCH_BASIC" -d "$BENCH_BODY" "$URL$BENCH_PATH"); fi
  jq -e "$CHECK" <<<"$r" >/dev/null 2>&1 || { echo "precheck failed for $URL$BENCH_PATH: ${r:0:300}" >&2; exit 1; }
  if [[ $1 == cc_es256 ]]; then
    [ "$(jq -r .access_token <<<"$r" | cut -d. -f1 | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .alg)" = ES256 ] || { echo "not ES256 on $1" >&2; exit 1; }
  fi
}

declare -A NEXT_USER=([ostiary]=0 [keycloak]=0)
roundtrip_args() {  # target -> RT_ARGS: where its authorization and token endpoints are
  if [ "$1" = ostiary ]; then RT_ARGS=(--base "$OSTIARY" --authorize /oauth2/authorize --token /oauth2/token)
  else RT_ARGS=(--base "$KC" --authorize /realms/demo/protocol/openid-connect/auth --token /realms/demo/protocol/openid-connect/token); fi
}
roundtrip() {  # target warmup duration outfile -> runs AuthCodeRoundTrip (blocking)
  local t=$1
  roundtrip_args "$t"
  "$JBIN/java" -cp "$OUT/classes" AuthCodeRoundTrip "${RT_ARGS[@]}" --users "$RTP" --pool "$RT_POOL" \
    --first-user "${NEXT_USER[$t]}" --threads "$CONNS" --warmup "$2" --duration "$3" > "$4" 2>&1
}

precheck_roundtrip() {  # one verbose round trip with the next fresh user
  roundtrip_args "$1"
  "$JBIN/java" -cp "$OUT/classes" AuthCodeRoundTrip "${RT_ARGS[@]}" --users "$RTP" --pool "$RT_POOL" \
    --first-user "${NEXT_USER[$1]}" --once 1 > "$OUT/authcode-$1-check.txt" 2>&1
  grep -q '^OK user=' "$OUT/authcode-$1-check.txt" || { echo "round-trip precheck failed on $1:" >&2; cat "$OUT/authcode-$1-check.txt" >&2; exit 1; }
  NEXT_USER[$1]=$(( ${NEXT_USER[$1]} + 1 ))
}

wait_quiet() {  # until the machine is >= 90% idle over 3 s (bounded), to dodge other tenants' bursts
  local deadline=$(( $(date +%s) + QUIET_WAIT )) idle
  while :; do
    idle=$(mpstat 3 1 | awk '/^Average/ && $2=="all" {printf "%d", $NF}')
    [ "${idle:-0}" -ge 90 ] && return 0
    [ "$(date +%s)" -ge "$deadline" ] && { log "  machine not quiet (${idle}% idle); measuring anyway"; return 0; }
  done
}

db_stats() {  # target -> "inserted updated deleted authz_rows revoked_rows bytes" of its database
  if [ "$1" = ostiary ]; then
    "${PSQL[@]}" -F' ' -d $DB -c "select (select coalesce(sum(n_tup_ins),0) from pg_stat_user_tables),
      (select coalesce(sum(n_tup_upd),0) from pg_stat_user_tables), (select coalesce(sum(n_tup_del),0) from pg_stat_user_tables),
      (select count(*) from oauth2_authorization), (select count(*) from revoked_access_token),
      pg_total_relation_size('oauth2_authorization') + pg_total_relation_size('revoked_access_token')"
  else
    "${PSQL[@]}" -F' ' -d keycloak -c "select (select coalesce(sum(n_tup_ins),0) from pg_stat_user_tables),
      (select coalesce(sum(n_tup_upd),0) from pg_stat_user_tables), (select coalesce(sum(n_tup_del),0) from pg_stat_user_tables),
      0, 0, pg_database_size('keycloak')"
  fi
}

RESULTS=$OUT/results.tsv   # one line per measured (scenario, target); the table is built from it
: > "$RESULTS"
HDR='%-10s %-8s %9s %8s %8s %7s %6s %6s %6s %6s %7s %8s %9s\n'

# scenario target try -> measures once; sets OTHER and LINE (tsv)
run_once() {
  local s=$1 t=$2 try=$3 name="$1-$2-try$3$REP_TAG" spid wpid gen_pid
  spid=$OPID; [ "$t" = keycloak ] && spid=$KPID
  case $s in
    password) reset_sessions "$t" ;;
    authcode) reset_sessions "$t"; [ "$RT_SETTLE_MAX" -gt 0 ] && { reset_consents "$t"; NEXT_USER[$t]=0; } ;;
  esac
  setup_scenario "$s" "$t"
  if [ -n "$LUA" ]; then precheck "$s"; else precheck_roundtrip "$t"; fi
  wait_quiet
  sleep 2   # lets the database's statistics of the previous run reach pg_stat
  local before; before=$(db_stats "$t")
  local n=$((DURATION - 2))
  if [ -n "$LUA" ]; then
    wrk -t1 -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$HERE/wrk/$LUA" "$URL" > "$OUT/$name-warmup.txt" 2>&1
    wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$HERE/wrk/$LUA" "$URL" > "$OUT/$name.txt" 2>&1 &
    wpid=$!; gen_pid=$wpid
    sleep 1
  else
    roundtrip "$t" "$WARMUP" "$DURATION" "$OUT/$name.txt" &
    wpid=$!
    for _ in $(seq 1 50); do gen_pid=$(pgrep -P "$wpid" -x java || true); [ -n "$gen_pid" ] && break; sleep 0.1; done
    gen_pid=${gen_pid:-$wpid}
    sleep $((WARMUP + 1))   # the program warms up for WARMUP s itself
  fi
  if [[ " $PROFILE " == *" $s "* ]] && [ "$t" = ostiary ]; then
    # JFR with JDK 25's CPU-time sampler (sees native signing too); 10 ms period keeps the overhead low
    "$JBIN/jcmd" "$OPID" JFR.start name="$name" duration="${n}s" settings=profile 'jdk.CPUTimeSample#enabled=true' \
      'jdk.CPUTimeSample#throttle=10ms' filename="$OUT/profile-$s.jfr" > /dev/null 2>&1 || log "  JFR.start failed"
  fi
  local pgpids; pgpids=$("${PSQL[@]}" -d postgres -c "select string_agg(pid::text, ',') from pg_stat_activity
      where datname = '$( [ "$t" = ostiary ] && echo $DB || echo keycloak )' and pid <> pg_backend_pid()")
  local t0; t0=$(date +%s.%N)
  [ "$t" = ostiary ] && "$HERE/threadcpu.sh" "$spid" > "$OUT/$name-threads-before.txt"
  pidstat -h -u -r -p "$spid,$gen_pid" 1 "$n" > "$OUT/$name-pidstat.txt" 2>&1 &
  local p1=$!
  pidstat -h -u -p "${pgpids:-1}" 1 "$n" > "$OUT/$name-pidstat-pg.txt" 2>&1 &
  local p2=$!
  mpstat 1 "$n" > "$OUT/$name-mpstat.txt" 2>&1 &
  local p3=$!
  sleep $((n / 2)); top -b -n1 -o %CPU -w 200 | head -20 > "$OUT/$name-top.txt" 2>&1 || true   # who else was busy
  wait "$wpid" || true
  local t1; t1=$(date +%s.%N)
  [ "$t" = ostiary ] && "$HERE/threadcpu.sh" "$spid" > "$OUT/$name-threads-after.txt"
  wait "$p1" || true; wait "$p2" || true; wait "$p3" || true
  sleep 2
  local after; after=$(db_stats "$t")

  local f=$OUT/$name.txt line
  line=$(grep '^BENCH ' "$f" | tail -1)
  [ -n "$line" ] || { log "  no result in $f"; cat "$f" >&2; exit 1; }
  kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $line"; }
  local rps p50 p99 non2xx errs reqs
  rps=$(kv rps); p50=$(kv p50_ms); p99=$(kv p99_ms); non2xx=$(kv non2xx); errs=$(kv errors); reqs=$(kv requests)
  local warm=0
  if [ -n "$LUA" ]; then warm=$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$OUT/$name-warmup.txt"); 
  else warm=$(kv warmup_roundtrips); NEXT_USER[$t]=$(kv next_user); fi
  local srv gen rss pg busy
  srv=$(awk -v p="$spid" '$1 !~ /^#/ && $3==p {s+=$8; c++} END {printf "%.0f", c ? s/c : 0}' "$OUT/$name-pidstat.txt")
  rss=$(awk -v p="$spid" '$1 !~ /^#/ && $3==p && $13+0>m {m=$13} END {printf "%.0f", m/1024}' "$OUT/$name-pidstat.txt")
  gen=$(awk -v p="$gen_pid" '$1 !~ /^#/ && $3==p {s+=$8; c++} END {printf "%.0f", c ? s/c : 0}' "$OUT/$name-pidstat.txt")
  pg=$(awk -v n="$n" '$1 !~ /^#/ && $3 ~ /^[0-9]+$/ && NF > 8 {s+=$8} END {printf "%.0f", s/n}' "$OUT/$name-pidstat-pg.txt")
  busy=$(awk -v c="$NCPU" '/^Average/ && $2=="all" {printf "%.0f", (100-$NF)*c}' "$OUT/$name-mpstat.txt")
  OTHER=$(( ${busy:-0} - ${srv:-0} - ${pg:-0} - ${gen:-0} )); [ "$OTHER" -lt 0 ] && OTHER=0
  # rows written to the database per request (all tables; pg_stat counters), over warm-up + measured
  local rows_per_req
  rows_per_req=$(awk -v b="$before" -v a="$after" -v r="$((reqs + warm))" 'BEGIN {split(b,x," "); split(a,y," ");
      printf "%.2f", r ? (y[1]-x[1]) / r : 0}')
  echo "$before" > "$OUT/$name-db-before.txt"; echo "$after" > "$OUT/$name-db-after.txt"
  if [ "$t" = ostiary ]; then   # the server's CPU by thread group, per request (ms of CPU)
    awk -F'\t' -v secs="$(echo "$t1 - $t0" | bc)" -v rps="$rps" -v hz="$(getconf CLK_TCK)" '
      FNR == NR {b[$1] = $2; next}
      {d = $2 - b[$1]; if (d > 0) {tot += d; g[$1] = d}}
      END {n = rps * secs; printf "window %.1f s, ~%d requests; CPU ms per request by thread group:\n", secs, n
           printf "%8.3f ms  100.0%%  total\n", 1000 * tot / hz / n
           for (k in g) printf "%8.3f ms  %5.1f%%  %s\n", 1000 * g[k] / hz / n, 100 * g[k] / tot, k}' \
      "$OUT/$name-threads-before.txt" "$OUT/$name-threads-after.txt" > "$OUT/$name-threads.tmp"
    { head -1 "$OUT/$name-threads.tmp"; sed 1d "$OUT/$name-threads.tmp" | sort -nr; } > "$OUT/$name-threads.txt"; rm "$OUT/$name-threads.tmp"
    log "  $(head -1 "$OUT/$name-threads.txt")"; sed 1d "$OUT/$name-threads.txt" | head -8 | while read -r l; do log "    $l"; done
  fi
  LINE=$(printf '%s\t' "$s" "$t" "$rps" "$p50" "$p99" "$non2xx" "$errs" "$srv" "$pg" "$gen" "$OTHER" "$rss" "$rows_per_req" "$try" "$((reqs + warm))")
  # shellcheck disable=SC2059
  printf "$HDR" "$s" "$t" "$rps" "$p50" "$p99" "$non2xx" "$errs" "$srv" "$pg" "$gen" "$OTHER" "$rss" "$rows_per_req" | tee -a "$OUT/run.log"
  if [[ " $PROFILE " == *" $s "* ]] && [ "$t" = ostiary ] && [ -f "$OUT/profile-$s.jfr" ]; then
    "$JBIN/java" -cp "$OUT/classes" JfrTop "$OUT/profile-$s.jfr" 30 > "$OUT/profile-$s.txt" 2>&1 || true
    log "  profile: $OUT/profile-$s.txt"
  fi
}

run_case() {  # scenario target: measure, re-measure (MAX_TRIES) while other tenants disturbed it; keep the least disturbed
  local best="" best_other=100000 try tries=$MAX_TRIES
  # each round-trip try uses ~rate*30 fresh users: do not retry past the pool
  for try in $(seq 1 "$tries"); do
    if [ "$1" = authcode ] && [ $(( ${NEXT_USER[$2]} + RT_PER_TRY )) -gt "$RT_POOL" ]; then log "  (user pool too small for another try)"; break; fi
    run_once "$1" "$2" "$try"
    if [ "$OTHER" -lt "$best_other" ]; then best_other=$OTHER; best=$LINE; fi
    [ "$OTHER" -le "$NOISE_MAX" ] && break
    log "  ($1 on $2, try $try: other tenants used ${OTHER}% of a core)"
  done
  echo "$best" >> "$RESULTS"
}

compiler_ticks() {  # pid -> CPU clock ticks used so far by the JVM's JIT compiler threads
  "$HERE/threadcpu.sh" "$1" | awk -F'\t' '$1 ~ /CompilerThre/ {s += $2} END {print s + 0}'
}
settle() {  # scenario target: more untimed load until the JIT compilers are idle (or SETTLE_MAX s)
  # A method is compiled after thousands of calls (C2 alone, as Ostiary runs: about 5,000), so a scenario
  # at ~100 requests/s, like the password grant, runs partly interpreted for minutes after start;
  # measured then, it would measure the interpreter. Both servers get the same treatment.
  local pid=$OPID waited=0 before=0 after=0
  [ "$2" = keycloak ] && pid=$KPID
  while [ "$waited" -lt "$SETTLE_MAX" ]; do
    before=$(compiler_ticks "$pid")
    wrk -t1 -c"$CONNS" -d"${SETTLE_STEP}s" --timeout 10s -s "$HERE/wrk/$LUA" "$URL" >> "$OUT/prewarm-$1-$2.txt" 2>&1
    after=$(compiler_ticks "$pid")
    waited=$((waited + SETTLE_STEP))
    # idle: the compilers used at most 1 % of one core over the step
    [ $((after - before)) -le "$SETTLE_STEP" ] && break
  done
  log "  pre-warm $1 on $2: JIT idle after $((PREWARM + waited)) s (compiler threads $((after - before)) ticks in the last ${SETTLE_STEP} s)"
}
reset_consents() {  # target -> every user of the round-trip pool sees the consent page again
  if [ "$1" = ostiary ]; then
    "${PSQL[@]}" -d $DB -c "delete from oauth2_authorization_consent where principal_name like '${RTP}%'"
  else
    "${PSQL[@]}" -d keycloak -c "delete from user_consent_client_scope where user_consent_id in (select c.id from user_consent c
        join user_entity u on u.id = c.user_id where u.username like '${RTP}%')" \
      -c "delete from user_consent c using user_entity u where u.id = c.user_id and u.username like '${RTP}%'"
    # Keycloak caches users with their consents: drop that cache, or it would still skip the consent page
    local adm; adm=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin "$KC/realms/master/protocol/openid-connect/token" | jq -r .access_token)
    curl -sf -X POST -H "Authorization: Bearer $adm" "$KC/admin/realms/demo/clear-user-cache" || { log "  Keycloak's clear-user-cache failed"; exit 1; }
  fi
}
reset_sessions() {  # target -> no browser or user session is left from the steps before
  # Keycloak keeps a user session per login (persisted, since 26) and slows down as one user's pile up:
  # its password grant fell from 51 to 23 grants/s after a longer pre-warm had left ~4,000 sessions of
  # alice (docs/performance.md). Each password and round-trip measurement starts from none, on both.
  if [ "$1" = ostiary ]; then
    "${PSQL[@]}" -d $DB -c "delete from spring_session"
  else
    local adm; adm=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin "$KC/realms/master/protocol/openid-connect/token" | jq -r .access_token)
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $adm" "$KC/admin/realms/demo/logout-all" || { log "  Keycloak's logout-all failed"; exit 1; }
  fi
}
settle_roundtrip() {  # target: untimed round trips until the JIT compilers are idle (or RT_SETTLE_MAX s)
  # The round trip needs a user without consent each time. Instead of ~10,000 fresh users per server,
  # the pool is reused: after each step the pool's consents are deleted (both servers the same way), so
  # every round trip, settled or measured, shows the login and the consent page.
  local t=$1 pid=$OPID waited=0 before=0 after=0
  [ "$t" = keycloak ] && pid=$KPID
  while [ "$waited" -lt "$RT_SETTLE_MAX" ]; do
    reset_consents "$t"; reset_sessions "$t"; NEXT_USER[$t]=0
    before=$(compiler_ticks "$pid")
    roundtrip "$t" 0 "$RT_SETTLE_STEP" "$OUT/prewarm-authcode-$t-step.txt" || true
    cat "$OUT/prewarm-authcode-$t-step.txt" >> "$OUT/prewarm-authcode-$t.txt"
    after=$(compiler_ticks "$pid")
    waited=$((waited + RT_SETTLE_STEP))
    [ $((after - before)) -le "$RT_SETTLE_STEP" ] && break
  done
  reset_consents "$t"; NEXT_USER[$t]=0
  log "  pre-warm authcode on $t: JIT idle after $((PREWARM + waited)) s (compiler threads $((after - before)) ticks in the last ${RT_SETTLE_STEP} s; $(grep -o 'consent_shown=[0-9]*' "$OUT/prewarm-authcode-$t-step.txt" | tail -1) in that step)"
}
prewarm() {  # untimed: every scenario once on each server, so the JIT has seen all code paths
  local s t
  for s in $SCENARIOS; do
    if [ "$s" = authcode ]; then   # the round trip, with fresh users of the pool like the measured runs
      for t in $TARGETS; do
        roundtrip "$t" 0 "$PREWARM" "$OUT/prewarm-authcode-$t.txt" || true
        NEXT_USER[$t]=$(sed -n 's/.* next_user=\([0-9]*\).*/\1/p' "$OUT/prewarm-authcode-$t.txt" | tail -1)
        NEXT_USER[$t]=${NEXT_USER[$t]:-$RT_PER_TRY}
        [ "$RT_SETTLE_MAX" -gt 0 ] && settle_roundtrip "$t"
      done
      continue
    fi
    for t in $TARGETS; do
      setup_scenario "$s" "$t"; precheck "$s"
      wrk -t1 -c"$CONNS" -d"${PREWARM}s" --timeout 10s -s "$HERE/wrk/$LUA" "$URL" > "$OUT/prewarm-$s-$t.txt" 2>&1
      settle "$s" "$t"
    done
  done
}

ARGON2_RATE=""; ARGON2_BEST=""; ARGON2_ROUNDS=""
argon2_limit() {  # before|after -> the password grant's ceiling: Argon2 verifications/s with the server's encoder, all cores
  wait_quiet
  # shellcheck disable=SC2086   # the server's JVM options (heap, GC, JIT), so the hash runs as it does in the server
  "$JBIN/java" ${OSTIARY_JAVA_OPTS//-XX:NativeMemoryTracking=summary/} -cp "$OUT/classes:$OUT/lib/BOOT-INF/classes:$OUT/lib/BOOT-INF/lib/*" \
    Argon2Rate "$NCPU" 8 > "$OUT/argon2-$1.txt" 2>&1
  log "Argon2 limit $1 the password grant: $(grep '^ARGON2' "$OUT/argon2-$1.txt")"
  # The VM's speed drifts by several percent within a minute, so the limit is taken from rounds on
  # both sides of the measurement: the median of all of them, and the best one for the record.
  ARGON2_ROUNDS="$ARGON2_ROUNDS $(sed -n 's/.* rounds=\([0-9.,]*\).*/\1/p' "$OUT/argon2-$1.txt" | tr , ' ')"
  read -r ARGON2_RATE ARGON2_BEST <<<"$(tr ' ' '\n' <<<"$ARGON2_ROUNDS" | grep . | sort -n |
    awk '{x[NR] = $1} END {m = NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%.1f %.1f", m, x[NR]}')"
}

DB_START=$(db_stats ostiary)
if [ "$PREWARM" -gt 0 ]; then log "pre-warm: ${PREWARM}s per scenario per server"; prewarm; fi
log "measuring (columns: req/s p50ms p99ms non2xx sockerr srvCPU% pgCPU% genCPU% other% RSSMiB dbrows/req)"
REP_FILES=()
for rep in $(seq 1 "$REPEAT"); do
  REP_TAG=""; [ "$REPEAT" -gt 1 ] && { REP_TAG="-rep$rep"; log "repetition $rep of $REPEAT"; }
  RESULTS=$OUT/results$REP_TAG.tsv; : > "$RESULTS"; REP_FILES+=("$RESULTS")
  for s in $SCENARIOS; do
    [ "$s" = password ] && [[ " $TARGETS " == *" ostiary "* ]] && argon2_limit "before$REP_TAG"
    for t in $TARGETS; do
      run_case "$s" "$t"
      if [ "$s" = password ] && [ "$t" = ostiary ]; then argon2_limit "after$REP_TAG"; fi
    done
  done
done
DB_END=$(db_stats ostiary)

# ---------------------------------------------------------------- the table
post_kc() {  # Keycloak RSS and what the run left behind, for the record
  [ -n "$KPID" ] && "$JBIN/jcmd" "$KPID" GC.heap_info > "$OUT/keycloak-heap.txt" 2>&1 || true
  "$JBIN/jcmd" "$OPID" GC.heap_info > "$OUT/ostiary-heap.txt" 2>&1 || true
  # where Ostiary's RSS goes (only when started with -XX:NativeMemoryTracking=summary)
  [[ "$OSTIARY_JAVA_OPTS" == *NativeMemoryTracking* ]] && "$JBIN/jcmd" "$OPID" VM.native_memory summary > "$OUT/ostiary-nmt.txt" 2>&1 || true
}
post_kc
export LC_ALL=C
table() {  # results tsv -> the markdown table
awk -F'\t' -v argon2="${ARGON2_RATE:-0}" -v argon2best="${ARGON2_BEST:-0}" -v argon2rounds="${ARGON2_ROUNDS# }" -v dbs="$DB_START" -v dbe="$DB_END" -v env="$(head -1 "$OUT/env.txt")" '
  { k = $1 SUBSEP $2; rps[k]=$3; p50[k]=$4; p99[k]=$5; n2[k]=$6; err[k]=$7; cpu[k]=$8; pg[k]=$9; oth[k]=$11; rss[k]=$12; rows[k]=$13;
    if (!($1 in seen)) { seen[$1]=1; order[++ns]=$1 }
    if ($12+0 > maxrss[$2]) maxrss[$2] = $12 + 0 }
  function r(a, b) { return (b > 0 && a != "") ? sprintf("%.2f", a / b) : "-" }
  function v(x) { return x == "" ? "-" : x }
  BEGIN {
    name["jwks"]="JWKS"; name["cc_rs256"]="client_credentials RS256"; name["cc_es256"]="client_credentials ES256";
    name["introspect"]="introspection"; name["password"]="password grant"; name["authcode"]="auth code round trip (login+consent+token)"
    target["cc_rs256"]=3; target["cc_es256"]=2.5; target["jwks"]=2; target["introspect"]=2
  }
  END {
    print "| scenario | Ostiary req/s | Keycloak req/s | ratio O/K | target | Ostiary p50 / p99 ms | Keycloak p50 / p99 ms | non-2xx O / K | CPU % O (+pg) | CPU % K (+pg) | RSS MiB O / K | DB rows/req O / K | other tenants % O / K |"
    print "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= ns; i++) {
      s = order[i]; o = s SUBSEP "ostiary"; c = s SUBSEP "keycloak"
      ratio = r(rps[o], rps[c]); tg = "-"
      if (s in target) tg = (ratio != "-" ? (ratio + 0 >= target[s] ? "≥ " target[s] "× met" : "≥ " target[s] "× NOT met") : "≥ " target[s] "×")
      if (s == "password" && argon2 > 0) tg = sprintf("≥ 90%% of %.1f/s Argon2: %.0f%% %s (of the best round %.1f/s: %.0f%%)", argon2, 100 * rps[o] / argon2, (rps[o] >= 0.9 * argon2 ? "met" : "NOT met"), argon2best, 100 * rps[o] / argon2best)
      printf "| %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s (+%s) | %s (+%s) | %s / %s | %s / %s | %s / %s |\n",
        name[s], v(rps[o]), v(rps[c]), ratio, tg, v(p50[o]), v(p99[o]), v(p50[c]), v(p99[c]), v(n2[o]), v(n2[c]),
        v(cpu[o]), v(pg[o]), v(cpu[c]), v(pg[c]), v(rss[o]), v(rss[c]), v(rows[o]), v(rows[c]), v(oth[o]), v(oth[c])
    }
    printf "\nRSS under load, max over all scenarios: Ostiary %d MiB, Keycloak %d MiB", maxrss["ostiary"], maxrss["keycloak"]
    if (maxrss["keycloak"] > 0) printf " = %.0f%% (target ≤ 50%%: %s)", 100 * maxrss["ostiary"] / maxrss["keycloak"], (maxrss["ostiary"] <= 0.5 * maxrss["keycloak"] ? "met" : "NOT met")
    printf "\n"
    split(dbs, a, " "); split(dbe, b, " ")
    printf "Ostiary oauth2_authorization rows %d -> %d, revoked_access_token rows %d -> %d, their size %d -> %d KiB over the run\n", a[4], b[4], a[5], b[5], a[6] / 1024, b[6] / 1024
    if (argon2 > 0) printf "Argon2id hash-bound limit (the server'"'"'s PooledArgon2PasswordEncoder, 7 MiB, 5 iterations, %s): %.1f verifications/s, the median of 8 s rounds three before and three after the password grant (%s; best %.1f)\n", "all cores, a separate JVM on the same JDK", argon2, argon2rounds, argon2best
  }' "$1"
}
if [ "$REPEAT" -gt 1 ]; then
  for f in "${REP_FILES[@]}"; do r=${f##*-rep}; echo "Repetition ${r%.tsv} of $REPEAT:"; echo; table "$f"; echo; done | tee "$OUT/results.md"
else
  table "$RESULTS" | tee "$OUT/results.md"
fi
{ cat "$OUT/env.txt"; echo; cat "$OUT/results.md"; } > "$OUT/summary.txt"
log "raw output and summary: $OUT"
