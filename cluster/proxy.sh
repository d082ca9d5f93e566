# shellcheck shell=bash
# nginx in front of the nodes: TLS on BASE+43, its own prefix, config, pid and temp dirs in CLUSTER_DIR.

NGINX_DIR="$CLUSTER_DIR/nginx"
NGINX_CONF="$NGINX_DIR/nginx.conf"

nginx_write_conf() {
  local user_line=""
  mkdir -p "$NGINX_DIR/tmp"
  # as root, the master drops its workers to nobody, who must write nginx's temp dirs
  if is_root; then
    user_line="user nobody nogroup;"
    chown nobody: "$NGINX_DIR/tmp"
  fi
  local i down=()
  for i in 1 2 3; do
    if [ -f "$RUN_DIR/node$i.drain" ]; then down[i]=" down"; else down[i]=""; fi
  done
  sed -e "s|@USER@|$user_line|" \
      -e "s|@NODE1_DOWN@|${down[1]}|" -e "s|@NODE2_DOWN@|${down[2]}|" -e "s|@NODE3_DOWN@|${down[3]}|" \
      -e "s|@NGINX_DIR@|$NGINX_DIR|g" \
      -e "s|@LOG_DIR@|$LOG_DIR|g" \
      -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
      -e "s|@CLIENT_KEEPALIVE@|${CLUSTER_CLIENT_KEEPALIVE:-0}|" \
      -e "s|@NODE1_PORT@|$(node_port 1)|g" \
      -e "s|@NODE2_PORT@|$(node_port 2)|g" \
      -e "s|@NODE3_PORT@|$(node_port 3)|g" \
      "$HERE/nginx.conf.template" >"$NGINX_CONF"
}

nginx_cmd() { "$NGINX_BIN" -p "$NGINX_DIR" -c "$NGINX_CONF" -e "$LOG_DIR/nginx-error.log" "$@"; }
nginx_pid() { pid_of "$NGINX_DIR/nginx.pid" "nginx"; }
nginx_up() { [ "$(http_code --cacert "$CA_CERT" "$ISSUER/.well-known/openid-configuration")" != 000 ]; }

nginx_start() {
  nginx_write_conf
  if nginx_pid >/dev/null; then
    nginx_reload
    return 0
  fi
  nginx_cmd -t -q || die "invalid $NGINX_CONF"
  nginx_cmd -g 'daemon on;' || die "nginx did not start (see $LOG_DIR/nginx-error.log)"
  wait_until 20 "nginx on $ISSUER" nginx_up || die "nginx does not answer on $ISSUER"
  log "nginx on $ISSUER (pid $(nginx_pid))"
}

nginx_workers() { pgrep -P "$1" 2>/dev/null | sort; }

# applies a new nginx.conf: returns once a worker with it runs (the old ones finish what they have)
nginx_reload() {
  local pid before
  pid="$(nginx_pid)" || return 0
  nginx_write_conf
  nginx_cmd -t -q || die "invalid $NGINX_CONF"
  before="$(nginx_workers "$pid")"
  kill -HUP "$pid"
  wait_until 20 "nginx to reload" nginx_has_new_worker "$pid" "$before" || return 1
}

nginx_has_new_worker() {
  local w
  for w in $(nginx_workers "$1"); do
    grep -qx "$w" <<<"$2" || return 0
  done
  return 1
}

# a node leaves nginx's upstream before it is stopped, and comes back once ready
nginx_drain_node() {
  touch "$RUN_DIR/node$1.drain"
  nginx_reload
}

nginx_undrain_node() {
  [ -f "$RUN_DIR/node$1.drain" ] || return 0
  rm -f "$RUN_DIR/node$1.drain"
  nginx_reload
}

nginx_stop() {
  local pid
  pid="$(nginx_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
  log "nginx stopped"
}

nginx_status() {
  local pid
  if pid="$(nginx_pid)"; then
    echo "nginx running pid $pid $ISSUER"
  else
    echo "nginx stopped"
  fi
}
