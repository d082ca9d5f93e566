#!/usr/bin/env bash
# The gateway check through nginx (docs/gateway.md, "Measured"): requests/s of docs/examples/nginx-gateway.conf
# for a valid token, with nginx's cache of the check on and off, against the same upstream proxied
# without auth_request. Needs a running Ostiary with the endpoint on and nginx trusted, and a pooled
# DataSource (the development server opens a connection per statement), e.g. the test helper
#   mvn spring-boot:test-run -Dostiary.run.main=dev.ostiary.gateway.GatewayBenchServer \
#       -Dspring-boot.run.arguments="--server.port=19000 --management.server.port=19001"
#   OSTIARY=127.0.0.1:19000 bench/gateway.sh
# Knobs: OSTIARY (host:port), DURATION=10s, THREADS=2, CONNS=16, PORT=18400 (uses PORT..PORT+3).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
OSTIARY=${OSTIARY:-127.0.0.1:19000}
DURATION=${DURATION:-10s}; THREADS=${THREADS:-2}; CONNS=${CONNS:-16}; PORT=${PORT:-18400}
UPSTREAM_PORT=$((PORT + 1)); PLAIN_PORT=$((PORT + 2)); NOCACHE_PORT=$((PORT + 3))
WORK=$(mktemp -d /tmp/ostiary-gateway-bench.XXXXXX)
chmod 755 "$WORK"   # the workers (user nobody, when started as root) read and write under it
mkdir -p "$WORK/logs" "$WORK/temp"

recipe() { # $1: listen port, $2: cache on|off
  sed -e "s|server 127.0.0.1:9000;|server $OSTIARY;|" -e "s|server 127.0.0.1:8081;|server 127.0.0.1:$UPSTREAM_PORT;|" \
      -e "s|listen 127.0.0.1:8000;|listen 127.0.0.1:$1;|" -e "s|/dev/shm/nginx-ostiary-gateway|$WORK/cache-$1|" \
      -e "s|keys_zone=ostiary_gateway|keys_zone=ostiary_gateway_$1|" -e "s|proxy_cache ostiary_gateway;|proxy_cache $([ "$2" = on ] && echo "ostiary_gateway_$1" || echo off);|" \
      -e "s|upstream ostiary |upstream ostiary_$1 |" -e "s|http://ostiary/|http://ostiary_$1/|" \
      -e "s|upstream patients_api |upstream patients_api_$1 |" "$REPO/docs/examples/nginx-gateway.conf"
}
recipe "$PORT" on > "$WORK/gateway-cached.conf"
recipe "$NOCACHE_PORT" off > "$WORK/gateway-uncached.conf"
sed -e "s|http://patients_api;|http://patients_api_$PORT;|" "$REPO/docs/examples/ostiary-gateway-location.conf" > "$WORK/ostiary-gateway-location.conf"
# the two copies need their own location include (their own upstream name)
sed -i "s|include ostiary-gateway-location.conf;|include location-$NOCACHE_PORT.conf;|" "$WORK/gateway-uncached.conf"
sed -e "s|http://patients_api;|http://patients_api_$NOCACHE_PORT;|" "$REPO/docs/examples/ostiary-gateway-location.conf" > "$WORK/location-$NOCACHE_PORT.conf"
: > "$WORK/api.htpasswd"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/temp/body; proxy_temp_path $WORK/temp/proxy;
    fastcgi_temp_path $WORK/temp/fastcgi; uwsgi_temp_path $WORK/temp/uwsgi; scgi_temp_path $WORK/temp/scgi;
    # the API: a constant answer, so the figures are nginx's and the check's
    server { listen 127.0.0.1:$UPSTREAM_PORT; location / { return 200 "ok\n"; } }
    # the same API behind nginx without auth_request: the baseline
    upstream plain_api { server 127.0.0.1:$UPSTREAM_PORT; keepalive 16; }
    server { listen 127.0.0.1:$PLAIN_PORT;
             location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://plain_api; } }
    include gateway-cached.conf;
    include gateway-uncached.conf;
}
CONF
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; wait $NGINX 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1
TOKEN=$(curl -sf -u svc-client:svc-secret -d grant_type=client_credentials -d scope=read "http://$OSTIARY/oauth2/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
# a row-backed token (password grant): its revocation is one indexed lookup per uncached check
ROW_TOKEN=$(curl -sf -u trusted-app:trusted-secret -d grant_type=password -d username=alice -d password=alice-pw \
  -d scope=read "http://$OSTIARY/oauth2/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
check() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/api/patients"; }
[ "$(check "$PORT")" = 200 ] && [ "$(check "$NOCACHE_PORT")" = 200 ] || { echo "the gateway refused the token" >&2; cat "$WORK/logs/error.log" >&2; exit 1; }
run() { # $1 label, $2 port, $3 token (default: the stateless one)
  local TOKEN=${3:-$TOKEN}
  wrk -t"$THREADS" -c"$CONNS" -d5s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/api/patients" > /dev/null  # warm-up
  echo "== $1"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/api/patients" \
    | grep -E "Requests/sec|Latency|Non-2xx|requests in"
}
run "upstream without auth_request" "$PLAIN_PORT"
run "auth_request, nginx cache of the check on" "$PORT"
run "auth_request, nginx cache off (every request asks Ostiary)" "$NOCACHE_PORT"
run "auth_request, nginx cache off, row-backed token (password grant)" "$NOCACHE_PORT" "$ROW_TOKEN"
