#!/usr/bin/env bash
# The operator console's list pages over a large data set (issue 19): 10,000 clients, 100,000 users and
# a million token.issued audit events (what "last used" and the "not used in N days" filter read),
# seeded here by SQL into a PostgreSQL 15 database of its own (not the demo data, which only adds the
# demo clients and bob, the operator who signs in).
#
#   bench/console.sh                        # build, seed, measure
#   SKIP_BUILD=1 REQUESTS=100 bench/console.sh
#
# Each page is asked for REQUESTS times in a row by one signed-in curl (keep-alive, after WARMUP
# requests), and the time from request to the last byte is recorded (curl's time_total over loopback:
# the server's time plus a loopback round trip, so an upper bound of the server time). The pages:
# audit: the newest events, page 1,000, one client's, an address with none, a rare type, the last hour
# of one type; and the signing keys' page.
# clients: the first page, page 100 (keyset: after the client id that ends page 99), a search, each
# filter alone, the "not used in 30 days" filter (the dearest: a probe into audit_event per client) and
# one client; users: the first page, page 1,000, a search that matches and one that does not, role
# ADMIN, the locked ones, and one user.
# Verdict per page: p95 under TARGET_MS (200).
# Knobs: CLIENTS=10000 USERS=100000 EVENTS=1000000 REQUESTS=300 WARMUP=30 PORT=9710 SKIP_BUILD=1.
# Output: bench/results/console-<UTC>/ (times-<page>.txt, explain-*.txt, ostiary.log, results.md).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
CLIENTS=${CLIENTS:-10000}; USERS=${USERS:-100000}; EVENTS=${EVENTS:-1000000}
REQUESTS=${REQUESTS:-300}; WARMUP=${WARMUP:-30}; TARGET_MS=${TARGET_MS:-200}
PORT=${PORT:-9710}; BASE=http://127.0.0.1:$PORT; DB=ostiary_console
export PGPASSWORD=${PGPASSWORD:-postgres}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
JBIN=${JAVA_HOME_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
OUT=$HERE/results/console-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
JAR_COOKIES=$OUT/cookies.txt
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }
for c in curl python3 openssl; do command -v $c >/dev/null || { echo "needs $c" >&2; exit 1; }; done

OPID=""; STARTED_PG=0
cleanup() {
  set +e
  [ -n "$OPID" ] && { kill -TERM "$OPID" 2>/dev/null; for _ in $(seq 1 60); do kill -0 "$OPID" 2>/dev/null || break; sleep 0.5; done; }
  [ "$STARTED_PG" = 1 ] && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$REPO" && mvn -q -B -DskipTests package) > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }; fi
JAR=$(ls "$REPO"/target/ostiary-*.jar | grep -v -- '-plain\|original' | head -1)
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start; STARTED_PG=1
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
"${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1 || su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null
"${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

env MALLOC_ARENA_MAX=2 OSTIARY_MASTER_KEY="$(openssl rand -base64 32)" OSTIARY_CLIENT_SECRET_PEPPER="$(openssl rand -base64 32)" \
  OSTIARY_ISSUER=$BASE SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
  "$JBIN/java" -Xmx512m -jar "$JAR" --spring.profiles.active=demo --server.port=$PORT --management.server.port=$((PORT + 1)) \
  > "$OUT/ostiary.log" 2>&1 < /dev/null &
OPID=$!
for _ in $(seq 1 240); do curl -sf -o /dev/null "$BASE/.well-known/openid-configuration" && break; kill -0 $OPID || { tail -30 "$OUT/ostiary.log"; exit 1; }; sleep 0.5; done
log "Ostiary up: pid $OPID"

# The data set. Clients: a third each registered by an administrator, by a user (self-service, owned by
# one of the seeded users) and by dynamic registration; grants drawn from the usual mixes; names made
# of words so a search matches a realistic share. Users: role USER, one in fifty also ADMIN. Events:
# token.issued spread over the last 120 days across nine tenths of the clients (the rest never used).
log "seeding $CLIENTS clients, $USERS users, $EVENTS audit events"
T_SEED=$(date +%s)
"${PSQL[@]}" -d $DB <<SQL
insert into app_user (id, username, password_hash)
select gen_random_uuid(), 'bench-user-' || lpad(i::text, 6, '0'), (select password_hash from app_user where username = 'alice')
from generate_series(1, $USERS) i;
insert into user_role (user_id, role) select id, 'USER' from app_user where username like 'bench-user-%';
insert into user_role (user_id, role) select id, 'ADMIN' from app_user where username like 'bench-user-%' and right(username, 2)::int % 50 = 0;
update app_user set locked = true where username like 'bench-user-%' and right(username, 3)::int % 100 = 7;
insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris, scopes,
                    registered_by, owner_username, enabled)
select gen_random_uuid(), 'bench-' || lpad(i::text, 5, '0'),
       (array['Billing','Payroll','Inventory','Reporting','Mobile','Partner','Analytics','Shop','Support','Search'])[1 + i % 10]
         || ' ' || (array['service','app','gateway','portal','worker','dashboard','sync'])[1 + (i / 10) % 7] || ' ' || i,
       (select secret_hash from client where client_id = 'svc-client'),
       case when i % 4 = 0 then '{private_key_jwt}' else '{client_secret_basic}' end::text[],
       (array['{client_credentials}','{authorization_code,refresh_token}','{authorization_code}',
              '{urn:ietf:params:oauth:grant-type:device_code,refresh_token}','{password,refresh_token}'])[1 + i % 5]::text[],
       case when i % 5 in (1, 2) then array['https://app' || i || '.example.test/callback'] else '{}' end,
       '{read}',
       (array['admin','user','registration'])[1 + i % 3],
       case when i % 3 = 1 then 'bench-user-' || lpad((1 + i % $USERS)::text, 6, '0') end,
       i % 23 <> 0
from generate_series(1, $CLIENTS) i;
insert into audit_event (occurred_at, type, client_id, username, source_ip, details)
select now() - (random() * interval '120 days'), 'token.issued', 'bench-' || lpad((1 + (i::bigint * 7919) % ($CLIENTS * 9 / 10))::text, 5, '0'),
       null, '10.0.0.' || (i % 250), '{"grant":"client_credentials"}'
from generate_series(1, $EVENTS) i;
-- what the audit trail keeps as it writes token.issued events (audit/AuditTrail, Flyway V23)
insert into client_last_token (client_id, last_issued_at)
select a.client_id, max(a.occurred_at) from audit_event a join client c on c.client_id = a.client_id
where a.type = 'token.issued' group by a.client_id
on conflict (client_id) do update set last_issued_at = excluded.last_issued_at;
vacuum analyze;
SQL
log "seeded in $(( $(date +%s) - T_SEED )) s: $("${PSQL[@]}" -d $DB -c "select count(*) from client") clients, $("${PSQL[@]}" -d $DB -c "select count(*) from app_user") users, $("${PSQL[@]}" -d $DB -c "select count(*) from audit_event") audit events"
sleep 2   # the client cache follows the table by NOTIFY

# bob signs in with his password and the demo TOTP code (RFC 6238: HMAC-SHA1, 30 s, 6 digits)
totp() {
  python3 - "$1" <<'PY'
import base64, hmac, hashlib, struct, sys, time
key = base64.b32decode(sys.argv[1])
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}
csrf() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
C=(curl -s -b "$JAR_COOKIES" -c "$JAR_COOKIES")
token=$("${C[@]}" "$BASE/login" | csrf)
"${C[@]}" -o /dev/null --data-urlencode "username=bob" --data-urlencode "password=bob-pw" --data-urlencode "_csrf=$token" "$BASE/login"
token=$("${C[@]}" "$BASE/login/second-factor" | csrf)
"${C[@]}" -o /dev/null --data-urlencode "code=$(totp OSTIARYDEMOBOBTOTPSECRETDONTUSE2)" --data-urlencode "_csrf=$token" "$BASE/login/second-factor"
status=$("${C[@]}" -o "$OUT/first-page.html" -w '%{http_code}' "$BASE/admin/clients")
[ "$status" = 200 ] && grep -q 'id="clients"' "$OUT/first-page.html" || { echo "sign-in as bob failed: $status" >&2; exit 1; }
log "signed in as bob"

# page 100: the client id that ends page 99 (50 a page, ordered by client id)
after99=$("${PSQL[@]}" -d $DB -c "select client_id from client order by client_id offset $((99 * 50 - 1)) limit 1")
after999u=$("${PSQL[@]}" -d $DB -c "select username from app_user order by username offset $((999 * 50 - 1)) limit 1")
# the audit log's page 1,000: its cursor is <epoch microseconds>.<id> of the event that ends page 999
after999a=$("${PSQL[@]}" -d $DB -c "select (extract(epoch from occurred_at) * 1000000)::bigint || '.' || id from audit_event order by occurred_at desc, id desc offset $((999 * 50 - 1)) limit 1")
PAGES=(
  "first|/admin/clients"
  "page100|/admin/clients?after=$after99"
  "search|/admin/clients?q=payroll"
  "search_rare|/admin/clients?q=bench-0421"
  "grant|/admin/clients?grant=client_credentials"
  "by_user|/admin/clients?by=user"
  "owner|/admin/clients?owner=bench-user-000002"
  "unused30|/admin/clients?unused=30"
  "unused90_search|/admin/clients?unused=90&q=app"
  "client|/admin/clients/bench-04242"
  "users|/admin/users"
  "users_page1000|/admin/users?after=$after999u"
  "users_search|/admin/users?q=bench-user-0421"
  "users_email_miss|/admin/users?q=nobody-at-all"
  "users_admins|/admin/users?role=ADMIN"
  "users_locked|/admin/users?state=locked"
  "user|/admin/users/bench-user-042424"
  "audit|/admin/audit"
  "audit_page1000|/admin/audit?after=$after999a"
  "audit_client|/admin/audit?client=bench-04242"
  "audit_address_miss|/admin/audit?address=10.9.9.9"
  "audit_type_rare|/admin/audit?type=user.locked"
  "audit_hour|/admin/audit?type=token.issued&from=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M)"
  "keys|/admin/keys"
  "catalog|/admin/catalog"
  "overview|/admin"
)

measure() {  # name path -> times-<name>.txt (seconds, one per line)
  local name=$1 path=$2 urls=() i
  # -o binds to one URL: each request gets its own, so no body reaches the timing lines
  for i in $(seq 1 $((WARMUP + REQUESTS))); do urls+=(-o /dev/null "$BASE$path"); done
  # one curl, one keep-alive connection, one line per request
  "${C[@]}" -w '%{http_code} %{time_total}\n' "${urls[@]}" > "$OUT/raw-$name.txt"
  local bad; bad=$(awk '$1 != 200' "$OUT/raw-$name.txt" | wc -l)
  [ "$bad" = 0 ] || { echo "$name: $bad answers were not 200" >&2; head -3 "$OUT/raw-$name.txt" >&2; exit 1; }
  tail -n "$REQUESTS" "$OUT/raw-$name.txt" | awk '{print $2}' | sort -n > "$OUT/times-$name.txt"
}
pct() { awk -v p="$2" '{v[NR] = $1} END {i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.1f", v[i] * 1000}' "$1"; }

{
  echo "Data: $CLIENTS clients, $USERS users, $EVENTS token.issued events; $REQUESTS requests a page after $WARMUP; one connection"
  echo
  echo "| page | path | matches | p50 ms | p95 ms | max ms | p95 < ${TARGET_MS} ms |"
  echo "|---|---|---:|---:|---:|---:|---|"
} > "$OUT/results.md"
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  measure "$name" "$path"
  matches=$("${C[@]}" "$BASE$path" | sed -n 's/.*id="match-count"[^>]*>\([0-9,]*\).*/\1/p' | head -1)
  p95=$(pct "$OUT/times-$name.txt" 95)
  verdict=$(awk -v a="$p95" -v t="$TARGET_MS" 'BEGIN {print (a < t) ? "yes" : "NO"}')
  echo "| $name | \`$path\` | ${matches:--} | $(pct "$OUT/times-$name.txt" 50) | $p95 | $(pct "$OUT/times-$name.txt" 100) | $verdict |" >> "$OUT/results.md"
  log "$name: p95 $p95 ms"
done

# the plans of the two dearest statements, for the record
"${PSQL[@]}" -d $DB -c "explain (analyze, buffers) select c.client_id, (select t.last_issued_at from client_last_token t where t.client_id = c.client_id) from client c order by c.client_id limit 51" > "$OUT/explain-first.txt"
"${PSQL[@]}" -d $DB -c "explain (analyze, buffers) select count(*) from client c where not exists (select 1 from client_last_token t where t.client_id = c.client_id and t.last_issued_at > now() - interval '30 days')" > "$OUT/explain-unused-count.txt"
"${PSQL[@]}" -d $DB -c "explain (analyze, buffers) select count(*) from client c where c.client_id ilike '%payroll%' or c.client_name ilike '%payroll%'" > "$OUT/explain-search-count.txt"
"${PSQL[@]}" -d $DB -c "explain (analyze, buffers) select count(*) from app_user u where u.username like '%nobody-at-all%' or u.email like '%nobody-at-all%'" > "$OUT/explain-users-search-count.txt"
"${PSQL[@]}" -d $DB -c "explain (analyze, buffers) select count(*) from app_user u where exists (select 1 from user_role r where r.user_id = u.id and r.role = 'ADMIN')" > "$OUT/explain-users-role-count.txt"
cat "$OUT/results.md"
log "results: $OUT/results.md"
