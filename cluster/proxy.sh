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
  sed -e "s|@USER@|$user_line|" \
      -e "s|@NGINX_DIR@|$NGINX_DIR|g" \
      -e "s|@LOG_DIR@|$LOG_DIR|g" \
      -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
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
    nginx_cmd -s reload
    return 0
  fi
  nginx_cmd -t -q || die "invalid $NGINX_CONF"
  nginx_cmd -g 'daemon on;' || die "nginx did not start (see $LOG_DIR/nginx-error.log)"
  wait_until 20 "nginx on $ISSUER" nginx_up || die "nginx does not answer on $ISSUER"
  log "nginx on $ISSUER (pid $(nginx_pid))"
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
