#!/usr/bin/env bash
# Throughput of two JVM option sets side by side (issue 18: does tiered compilation, which starts
# faster with an AOT cache, cost token throughput against the Dockerfile's C2-only options?).
# Both servers run at once on the start-up benchmark's database (bench/startup.sh creates it), idle
# while the other is measured; each is warmed with WARM s of load, then they are measured ROUNDS times
# alternately with wrk (client_credentials RS256, 16 connections, keep-alive) and the round trip is not
# involved. Prints req/s and p99 per round and the ratio of the medians.
#
#   bench/jit-options.sh                                   # A = the Dockerfile's options, B = the same with tiered compilation
#   OPTS_B="... -XX:TieredStopAtLevel=1" bench/jit-options.sh
# Knobs: ROUNDS=4 DURATION=15 WARM=90 OPTS_A OPTS_B JAR=<fat jar>; needs bench/results/startup-work
# (run bench/startup.sh once).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
ROUNDS=${ROUNDS:-4}; DURATION=${DURATION:-15}; WARM=${WARM:-90}
JBIN=${JAVA_HOME_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
DOCKER_OPTS=$(sed -n 's/^.*JAVA_OPTS="\([^"]*\)".*$/\1/p' "$REPO/Dockerfile" | head -1)
OPTS_A=${OPTS_A:-$DOCKER_OPTS}
OPTS_B=${OPTS_B:-$(sed 's/-XX:-TieredCompilation//; s/-XX:CICompilerCount=1//' <<<"$DOCKER_OPTS")}
JAR=${JAR:-$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)}
KEYS=$HERE/results/startup-work/ostiary_startup.keys
[ -f "$KEYS" ] || { echo "run bench/startup.sh first (it creates the database ostiary_startup and $KEYS)" >&2; exit 1; }
OUT=$HERE/results/jit-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done' EXIT
start() {  # name port opts
  # shellcheck disable=SC2086
  (set -a; . "$KEYS"; exec env OSTIARY_ISSUER=http://127.0.0.1:$2 SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/ostiary_startup \
    SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=postgres MALLOC_ARENA_MAX=2 \
    "$JBIN/java" $3 -jar "$JAR" --spring.profiles.active=demo --server.port="$2" --management.server.port=$(($2 + 1))) \
    > "$OUT/$1.log" 2>&1 < /dev/null &
  PIDS+=($!)
  for _ in $(seq 1 240); do curl -sf -o /dev/null "http://127.0.0.1:$2/.well-known/openid-configuration" && return 0; sleep 0.5; done
  echo "$1 did not start" >&2; tail -20 "$OUT/$1.log" >&2; exit 1
}
start A 9650 "$OPTS_A"; start B 9660 "$OPTS_B"
export BENCH_PATH=/oauth2/token BENCH_LUA_DIR=$HERE/wrk BENCH_BODY="grant_type=client_credentials&scope=read"
export BENCH_BASIC; BENCH_BASIC=$(printf svc-client:svc-secret | base64 -w0)
run() { wrk -t1 -c16 -d"${2}s" --timeout 10s --latency -s "$HERE/wrk/form-post.lua" "http://127.0.0.1:$1" | grep '^BENCH'; }
for p in 9650 9660; do run $p "$WARM" > /dev/null; done
: > "$OUT/results.tsv"
for r in $(seq 1 "$ROUNDS"); do
  for c in A:9650 B:9660; do
    l=$(run "${c#*:}" "$DURATION")
    printf '%s\t%s\t%s\t%s\n' "${c%%:*}" "$r" "$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$l")" "$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' <<<"$l")" | tee -a "$OUT/results.tsv"
  done
done
{ echo "A: $OPTS_A"; echo "B: $OPTS_B"
  awk -F'\t' '{v[$1] = v[$1] " " $3; p[$1] = p[$1] " " $4}
    function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "A req/s%s (median %.1f), p99 ms%s\nB req/s%s (median %.1f), p99 ms%s\nB / A = %.2f\n", v["A"], med(v["A"]), p["A"], v["B"], med(v["B"]), p["B"], med(v["B"]) / med(v["A"]) }' "$OUT/results.tsv"
  for n in A B; do echo "$n RSS after the run: $(( $(ps -o rss= -p "${PIDS[$([ $n = A ] && echo 0 || echo 1)]}") / 1024 )) MiB"; done
} | tee "$OUT/summary.txt"
