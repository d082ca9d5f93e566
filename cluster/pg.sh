# shellcheck shell=bash
# PostgreSQL 15: two instances, pg1 (port BASE+32) and pg2 (BASE+33). pg1 starts as the primary and
# pg2 as its streaming standby (pg_basebackup -R, a replication slot, synchronous remote_write so that
# a commit the nodes saw is on the standby before the primary can die). After a failover the roles are
# swapped; the next `start` rebuilds the old primary as the new one's standby.

PG_ROOT="$CLUSTER_DIR/pg"
PG_SOCKET_DIR="$PG_ROOT/run"
PG_PRIMARY_MARKER="$PG_ROOT/current-primary"

pg_dir() { echo "$PG_ROOT/$1"; }
pg_port() { case "$1" in pg1) echo "$PG1_PORT" ;; pg2) echo "$PG2_PORT" ;; esac; }
pg_other() { case "$1" in pg1) echo pg2 ;; pg2) echo pg1 ;; esac; }
pg_ctl() { as_postgres "$PG_BIN/pg_ctl" "$@"; }

pg_running() { [ -f "$(pg_dir "$1")/PG_VERSION" ] && pg_ctl -D "$(pg_dir "$1")" status >/dev/null 2>&1; }
pg_is_standby() { [ -f "$(pg_dir "$1")/standby.signal" ]; }

# SQL as the superuser, over the unix socket inside CLUSTER_DIR
pg_sql() {
  local name="$1"
  shift
  as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$(pg_port "$name")" -U postgres \
      -d postgres -Atc "$@"
}

pg_current_primary() {
  if [ -s "$PG_PRIMARY_MARKER" ]; then cat "$PG_PRIMARY_MARKER"; else echo pg1; fi
}

pg_set_primary() { echo "$1" >"$PG_PRIMARY_MARKER"; }

pg_prepare_root() {
  mkdir -p "$PG_ROOT" "$PG_SOCKET_DIR"
  chmod 755 "$PG_ROOT"
  chmod 700 "$PG_SOCKET_DIR"
  if is_root; then chown postgres: "$PG_SOCKET_DIR"; fi
  local f
  for f in pg1 pg2; do
    touch "$LOG_DIR/$f.log"
    if is_root; then chown postgres: "$LOG_DIR/$f.log"; fi
  done
}

# what differs between the two instances: cluster.conf is shared (and copied by pg_basebackup)
pg_write_instance_conf() {
  local name="$1" dir
  dir="$(pg_dir "$name")"
  cat >"$dir/ostiary-instance.conf" <<EOF
port = $(pg_port "$name")
cluster_name = '$name'
unix_socket_directories = '$PG_SOCKET_DIR'
EOF
  if is_root; then chown postgres: "$dir/ostiary-instance.conf"; fi
}

pg_write_hba() {
  local dir
  dir="$(pg_dir "$1")"
  # loopback only; the unix socket's directory is readable by postgres alone
  cat >"$dir/pg_hba.conf" <<EOF
local   all          postgres                     trust
host    all          ostiary      127.0.0.1/32    scram-sha-256
host    replication  replicator   127.0.0.1/32    scram-sha-256
EOF
  if is_root; then chown postgres: "$dir/pg_hba.conf"; fi
}

pg_start_instance() {
  local name="$1" dir
  dir="$(pg_dir "$name")"
  if pg_running "$name"; then return 0; fi
  log "PostgreSQL $name ($(pg_is_standby "$name" && echo standby || echo primary)) on 127.0.0.1:$(pg_port "$name")"
  pg_ctl -D "$dir" -l "$LOG_DIR/$name.log" -w -t 120 start >/dev/null || die "PostgreSQL $name did not start (see $LOG_DIR/$name.log)"
}

pg_init_primary() {
  local name="$1" dir
  dir="$(pg_dir "$name")"
  log "initdb $name"
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if is_root; then chown postgres: "$dir"; fi
  as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 || die "initdb failed (see $LOG_DIR/initdb.log)"
  cp "$HERE/postgresql.conf" "$dir/ostiary.conf"
  printf "\ninclude_if_exists = 'ostiary.conf'\ninclude_if_exists = 'ostiary-instance.conf'\n" >>"$dir/postgresql.conf"
  if is_root; then chown postgres: "$dir/ostiary.conf"; fi
  pg_write_hba "$name"
  pg_write_instance_conf "$name"
  pg_start_instance "$name"
  pg_sql "$name" "create role replicator with replication login password '$REPLICATION_PASSWORD'"
  pg_sql "$name" "create role ostiary with login password '$DB_PASSWORD'"
  pg_sql "$name" "create database ostiary owner ostiary"
  pg_set_primary "$name"
}

# rebuilds STANDBY from a base backup of the running PRIMARY, streaming through a slot of its name
pg_make_standby() {
  local standby="$1" primary="$2" dir
  dir="$(pg_dir "$standby")"
  log "base backup of $primary for the standby $standby"
  pg_sql "$primary" "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '$standby'" >/dev/null
  pg_sql "$primary" "select pg_create_physical_replication_slot('$standby')" >/dev/null
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if is_root; then chown postgres: "$dir"; fi
  as_postgres env PGPASSWORD="$REPLICATION_PASSWORD" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$(pg_port "$primary")" \
      -U replicator -D "$dir" -R -X stream -S "$standby" -c fast >>"$LOG_DIR/$standby.log" 2>&1 \
      || die "pg_basebackup failed (see $LOG_DIR/$standby.log)"
  # the primary's synchronous_standby_names (postgresql.auto.conf) would make the standby wait for itself once promoted
  sed -i '/^synchronous_standby_names/d' "$dir/postgresql.auto.conf"
  pg_write_instance_conf "$standby"
  pg_start_instance "$standby"
  wait_until 60 "$standby to stream from $primary" pg_streaming "$primary" "$standby" || die "no streaming replication"
  # from now on a commit returns once the standby has written it (synchronous_commit = remote_write)
  pg_sql "$primary" "alter system set synchronous_standby_names = '$standby'" >/dev/null
  pg_sql "$primary" "select pg_reload_conf()" >/dev/null
}

pg_streaming() {
  [ "$(pg_sql "$1" "select count(*) from pg_stat_replication where application_name = '$2' and state = 'streaming'")" = 1 ]
}

pg_start_all() {
  pg_prepare_root
  local primary standby
  if [ ! -f "$(pg_dir pg1)/PG_VERSION" ] && [ ! -f "$(pg_dir pg2)/PG_VERSION" ]; then
    pg_init_primary pg1
    pg_make_standby pg2 pg1
    return 0
  fi
  primary="$(pg_current_primary)"
  standby="$(pg_other "$primary")"
  pg_is_standby "$primary" && die "$primary is marked as the primary but is a standby; destroy the cluster"
  pg_start_instance "$primary"
  if [ -f "$(pg_dir "$standby")/PG_VERSION" ] && pg_is_standby "$standby"; then
    pg_start_instance "$standby"
  else
    # the old primary after a failover (or a lost standby): it may hold WAL the new primary never saw
    pg_running "$standby" && pg_ctl -D "$(pg_dir "$standby")" -m fast -w stop >/dev/null
    pg_make_standby "$standby" "$primary"
  fi
}

pg_stop_instance() {
  local name="$1" mode="$2"
  pg_running "$name" || return 0
  log "PostgreSQL $name: stop -m $mode"
  pg_ctl -D "$(pg_dir "$name")" -m "$mode" -w -t 120 stop >/dev/null
}

pg_stop_all() {
  # the primary first: with a synchronous standby gone, its commits would wait
  local primary
  primary="$(pg_current_primary)"
  pg_stop_instance "$primary" fast
  pg_stop_instance "$(pg_other "$primary")" fast
}

pg_stop_primary() {
  local primary
  primary="$(pg_current_primary)"
  pg_running "$primary" || { log "the primary $primary is not running"; return 0; }
  pg_stop_instance "$primary" immediate
}

pg_accepts_writes() { [ "$(pg_sql "$1" "select txid_current() > 0 and not pg_is_in_recovery()")" = t ]; }

pg_promote_standby() {
  local standby
  standby="$(pg_other "$(pg_current_primary)")"
  pg_running "$standby" && pg_is_standby "$standby" || die "no running standby to promote ($standby)"
  log "promoting $standby"
  pg_ctl -D "$(pg_dir "$standby")" -w -t 60 promote >/dev/null
  wait_until 60 "$standby to accept writes" pg_accepts_writes "$standby" || die "$standby takes no writes"
  # no synchronous standby until the old primary is rebuilt (next start)
  pg_sql "$standby" "alter system reset synchronous_standby_names" >/dev/null
  pg_sql "$standby" "select pg_reload_conf()" >/dev/null
  pg_set_primary "$standby"
  log "$standby is the primary (127.0.0.1:$(pg_port "$standby"))"
}

pg_status() {
  local name role
  for name in pg1 pg2; do
    if [ ! -f "$(pg_dir "$name")/PG_VERSION" ]; then role="absent"
    elif pg_is_standby "$name"; then role="standby"
    elif [ "$name" = "$(pg_current_primary)" ]; then role="primary"
    else role="old primary (rebuilt as a standby on the next start)"
    fi
    if pg_running "$name"; then
      echo "$name $role 127.0.0.1:$(pg_port "$name") running pid $(head -1 "$(pg_dir "$name")/postmaster.pid")"
    else
      echo "$name $role 127.0.0.1:$(pg_port "$name") stopped"
    fi
  done
}
