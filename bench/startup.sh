#!/usr/bin/env bash
# Start-up benchmark (issue 18): the production jar on an existing, already migrated database, master key
# and pepper set, started RUNS times per configuration, the configurations alternating (A B A B ...: the
# machine is shared, so each pair sees the same noise). Per start it records
#   started_s  "Started ... (process running for X)" from the log: the JVM's uptime when Spring was done
#   token_s    wall time from launching java to the first 200 from /oauth2/token
#              (svc-client:svc-secret, client_credentials, scope=read), polled every POLL s
#   ready_s    wall time to the first 200 from /actuator/health/readiness (management port), polled after
#   rss_mib    the process's RSS right after the first token
# and prints the medians per configuration and their ratios to the first one.
#
#   bench/startup.sh                                   # CONFIGS="docker aot": the Dockerfile's options, with/without the AOT cache
#   CONFIGS="docker tiered" RUNS=5 bench/startup.sh
#   CONFIGS="docker x" OPTS_x="-XX:+UseSerialGC ..." ARGS_x="--spring.main.lazy-initialization=true" bench/startup.sh
#
# Configurations: docker (the Dockerfile's JAVA_OPTS, extracted jar), aot (docker + the AOT cache the
# Dockerfile builds), tiered / tiered-aot (the same with tiered compilation), jar (docker, `java -jar` on
# the fat jar, no extraction), or any name with OPTS_<name> / ARGS_<name> (JVM options / Spring arguments;
# both optional, default the docker ones) and AOT_<name>=1 (use the AOT cache, trained with that
# configuration's options). The AOT cache is built like the Dockerfile builds it (one training start with
# spring.context.exit=onRefresh), once per option set, into $WORK; REBUILD_AOT=1 throws it away first.
#
# Knobs: RUNS=5 POLL=0.02 SKIP_BUILD=1 (take target/ostiary-*.jar) JAR=<path> WORK=<dir>
# (default bench/results/startup-work: the extracted jar, the AOT caches, the database's keys)
# DB=ostiary_startup PORT=9630 MGMT_PORT=9631 FRESH_DB=1 (drop and migrate the database again) JFR=1 (a
# JFR recording of each start, in the run directory) TIMEOUT=180 (s per start).
# Output: bench/results/startup-<UTC>/ (runs.tsv, one log per start, summary.txt).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
RUNS=${RUNS:-5}; POLL=${POLL:-0.02}; TIMEOUT=${TIMEOUT:-180}
DB=${DB:-ostiary_startup}; PORT=${PORT:-9630}; MGMT_PORT=${MGMT_PORT:-9631}
CONFIGS=${CONFIGS:-"docker aot"}
WORK=${WORK:-$HERE/results/startup-work}
JAVA_HOME_BENCH=${JAVA_HOME_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64}
JBIN=$JAVA_HOME_BENCH/bin
export PGPASSWORD=${PGPASSWORD:-postgres}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
BASE=http://127.0.0.1:$PORT
TS=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$HERE/results/startup-$TS
mkdir -p "$OUT" "$WORK"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

# The Dockerfile's JAVA_OPTS (keep in step with it) and the tiered variant (C1 + C2, the JVM's default).
DOCKER_OPTS=$(sed -n 's/^.*JAVA_OPTS="\([^"]*\)".*$/\1/p' "$REPO/Dockerfile" | head -1)
DOCKER_OPTS=${DOCKER_OPTS//-XX:AOTCache=\/app\/ostiary.aot/}   # the cache is added per configuration below
TIERED_OPTS=$(sed 's/-XX:-TieredCompilation//; s/-XX:CICompilerCount=1//' <<<"$DOCKER_OPTS")
opts_of() { case $1 in docker|aot|jar) echo "$DOCKER_OPTS" ;; tiered|tiered-aot) echo "$TIERED_OPTS" ;; *) local v="OPTS_$1"; echo "${!v-$DOCKER_OPTS}" ;; esac; }
args_of() { local v="ARGS_${1//-/_}"; echo "${!v-}"; }
aot_of() { case $1 in aot|tiered-aot) echo 1 ;; docker|tiered|jar) echo 0 ;; *) local v="AOT_$1"; echo "${!v-0}" ;; esac; }

# ---------------------------------------------------------------- jar, extracted like the Dockerfile does
if [ -z "${JAR:-}" ]; then
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the production jar (mvn -q -DskipTests package)"
    (cd "$REPO" && mvn -B -q -DskipTests package) > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  fi
  JAR=$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)
fi
SUM=$(sha256sum "$JAR" | cut -c1-16)
APP=$WORK/app-$SUM
if [ ! -f "$APP/ostiary.jar" ]; then
  rm -rf "$WORK"/app-*
  # Spring Boot's extraction: application jar + lib/, a plain class path (the AOT cache needs jar files
  # on the class path; classes in nested jars are not archived)
  "$JBIN/java" -Djarmode=tools -jar "$JAR" extract --destination "$APP.tmp" > /dev/null
  mv "$APP.tmp/$(basename "$JAR")" "$APP.tmp/ostiary.jar" && mv "$APP.tmp" "$APP"
fi
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JBIN/java" -version 2>&1 | sed -n 2p)"
  echo "jar: $JAR ($SUM), git $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml db || echo ' (server sources modified)')"
  for c in $CONFIGS; do echo "config $c: opts=[$(opts_of "$c")] args=[$(args_of "$c")] aot=$(aot_of "$c")"; done
} | tee "$OUT/env.txt"

# ---------------------------------------------------------------- database: created and migrated once
KEYS=$WORK/$DB.keys   # the master key the stored signing keys are encrypted with, and the pepper
if [ "${FRESH_DB:-0}" = 1 ] || [ ! -f "$KEYS" ] || [ "$("${PSQL[@]}" -d postgres -c "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
  "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
  printf 'OSTIARY_MASTER_KEY=%s\nOSTIARY_CLIENT_SECRET_PEPPER=%s\n' "$(openssl rand -base64 32)" "$(openssl rand -base64 32)" > "$KEYS"
  NEW_DB=1
fi
set -a; . "$KEYS"; set +a

OPID=""
stop() {  # the server this script started, by its pid
  [ -n "$OPID" ] || return 0
  if kill -0 "$OPID" 2>/dev/null; then
    kill -TERM "$OPID"; for _ in $(seq 1 100); do kill -0 "$OPID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$OPID" 2>/dev/null && kill -KILL "$OPID"
  fi
  wait "$OPID" 2>/dev/null || true; OPID=""
}
trap stop EXIT
trap 'exit 130' INT TERM
launch() {  # logfile javaopts... -- springargs...  (the environment as bench/run.sh sets it)
  local logf=$1; shift
  local jopts=() sargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jopts+=("$1"); shift; done; shift
  sargs=("$@")
  if curl -s -o /dev/null --max-time 1 "$BASE/"; then echo "port $PORT is already in use" >&2; exit 1; fi
  env MALLOC_ARENA_MAX=2 OSTIARY_ISSUER=$BASE PORT=$PORT OSTIARY_MANAGEMENT_PORT=$MGMT_PORT \
    SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
    "$JBIN/java" "${jopts[@]}" -jar "$APP/ostiary.jar" --spring.profiles.active=demo "${sargs[@]}" > "$logf" 2>&1 < /dev/null &
  OPID=$!
}
token_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 120 -u svc-client:svc-secret -d grant_type=client_credentials -d scope=read "$BASE/oauth2/token" 2>/dev/null || true; }

if [ "${NEW_DB:-0}" = 1 ]; then
  log "migrating $DB (first start: Flyway, the demo data, the first signing keys)"
  # shellcheck disable=SC2086
  launch "$OUT/migrate.log" $DOCKER_OPTS --
  for _ in $(seq 1 600); do [ "$(token_code)" = 200 ] && break; kill -0 "$OPID" 2>/dev/null || { tail -30 "$OUT/migrate.log"; exit 1; }; sleep 0.5; done
  stop
fi

# ---------------------------------------------------------------- AOT caches: one training start each
aot_file() { echo "$WORK/aot-$SUM-$(printf %s "$1" | sha256sum | cut -c1-8).aot"; }
for c in $CONFIGS; do
  [ "$(aot_of "$c")" = 1 ] || continue
  f=$(aot_file "$(opts_of "$c")")
  [ "${REBUILD_AOT:-0}" = 1 ] && rm -f "$f"
  [ -f "$f" ] && continue
  log "training the AOT cache for $c -> $(basename "$f")"
  # the Dockerfile's training run: start the application context and exit once it is refreshed
  # (Spring's spring.context.exit=onRefresh), the JVM writing the cache (JEP 514: one step) as it exits
  t=$(date +%s.%N)
  # shellcheck disable=SC2046
  launch "$OUT/train-$c.log" $(opts_of "$c") -XX:AOTCacheOutput="$f" -Dspring.context.exit=onRefresh -- $(args_of "$c")
  wait "$OPID" || true; OPID=""
  [ -f "$f" ] || { tail -30 "$OUT/train-$c.log"; exit 1; }
  log "  trained in $(printf %.1f "$(echo "$(date +%s.%N) - $t" | bc)") s, $(( $(stat -c %s "$f") / 1048576 )) MiB"
done

# ---------------------------------------------------------------- the starts, alternating
printf 'config\trun\tstarted_s\ttoken_s\tready_s\trss_mib\n' > "$OUT/runs.tsv"
for r in $(seq 1 "$RUNS"); do
  for c in $CONFIGS; do
    opts=$(opts_of "$c")
    [ "$(aot_of "$c")" = 1 ] && opts="$opts -XX:AOTCache=$(aot_file "$(opts_of "$c")")"
    [ "${JFR:-0}" = 1 ] && opts="$opts -XX:StartFlightRecording=filename=$OUT/$c-$r.jfr,settings=profile -XX:FlightRecorderOptions=stackdepth=256"
    logf=$OUT/$c-$r.log
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    if [ "$c" = jar ]; then
      env MALLOC_ARENA_MAX=2 OSTIARY_ISSUER=$BASE PORT=$PORT OSTIARY_MANAGEMENT_PORT=$MGMT_PORT \
        SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
        "$JBIN/java" $opts -jar "$JAR" --spring.profiles.active=demo $(args_of "$c") > "$logf" 2>&1 < /dev/null &
      OPID=$!
    else
      launch "$logf" $opts -- $(args_of "$c")
    fi
    tok=""; rdy=""
    while :; do
      if [ "$(token_code)" = 200 ]; then tok=$(( $(date +%s%N) - t0 )); break; fi
      kill -0 "$OPID" 2>/dev/null || { tail -30 "$logf" >&2; exit 1; }
      [ $(( $(date +%s%N) - t0 )) -gt $(( TIMEOUT * 1000000000 )) ] && { log "$c #$r: no token after $TIMEOUT s"; break; }
      sleep "$POLL"
    done
    rss=$(( $(ps -o rss= -p "$OPID") / 1024 ))
    while :; do
      [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://127.0.0.1:$MGMT_PORT/actuator/health/readiness" || true)" = 200 ] && { rdy=$(( $(date +%s%N) - t0 )); break; }
      [ $(( $(date +%s%N) - t0 )) -gt $(( TIMEOUT * 1000000000 )) ] && break
      sleep "$POLL"
    done
    st=$(grep -o 'process running for [0-9.]*' "$logf" | grep -o '[0-9.]*$' || echo NA)
    stop
    fmt() { [ -n "$1" ] && printf %.2f "$(echo "$1 / 1000000000" | bc -l)" || echo NA; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$r" "$st" "$(fmt "$tok")" "$(fmt "$rdy")" "$rss" >> "$OUT/runs.tsv"
    log "$c #$r: Started $st s, first token $(fmt "$tok") s, ready $(fmt "$rdy") s, RSS $rss MiB"
  done
done

# ---------------------------------------------------------------- medians and ratios
awk -F'\t' 'NR > 1 { n[$1]++; s[$1, n[$1]] = $3; t[$1, n[$1]] = $4; y[$1, n[$1]] = $5; m[$1, n[$1]] = $6; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  function med(a, c, N,   i, j, v, x) { N = n[c]; for (i = 1; i <= N; i++) v[i] = a[c, i]; for (i = 2; i <= N; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]; v[j + 1] = x }
    return N % 2 ? v[(N + 1) / 2] : (v[N / 2] + v[N / 2 + 1]) / 2 }
  END { printf "%-14s %4s %10s %10s %10s %8s %8s\n", "config", "runs", "Started s", "token s", "ready s", "RSS MiB", "token ×"
        for (i = 1; i <= k; i++) { c = order[i]; tk[c] = med(t, c)
          printf "%-14s %4d %10.2f %10.2f %10.2f %8d %8.2f\n", c, n[c], med(s, c), tk[c], med(y, c), med(m, c), tk[c] / tk[order[1]] } }' \
  "$OUT/runs.tsv" | tee "$OUT/summary.txt"
log "results: $OUT"
