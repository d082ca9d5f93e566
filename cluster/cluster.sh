#!/usr/bin/env bash
# A whole Ostiary cluster on this machine's loopback: PostgreSQL 15 primary + streaming standby,
# three nodes, nginx with TLS in front, the sample API (docs/deployment.md#the-dev-cluster-on-loopback).
#   cluster/cluster.sh start|stop|destroy|status|kill-node N|stop-node N|start-node N|restart-node N|
#                      rolling-restart|stop-primary|promote-standby|failover
# Environment: CLUSTER_DIR (target/cluster), CLUSTER_BASE_PORT (18400: nginx +43, node i +i and
# management +10+i, PostgreSQL +32/+33, sample API +81), OSTIARY_JAR (newest target/ostiary-*.jar),
# JAVA_HOME, NODE_JAVA_OPTS, NODE_START_TIMEOUT (600 s), NODE_STOP_TIMEOUT (90 s),
# CLUSTER_CLIENT_KEEPALIVE (nginx keepalive_timeout towards clients, 0),
# SAMPLE_JWKS_MIN_REFRESH_INTERVAL (the sample API's, PT10S).
# start writes $CLUSTER_DIR/cluster.env: ISSUER, NODEi_URL, NODEi_MGMT, PG_PRIMARY_PORT,
# PG_STANDBY_PORT, JDBC_URL, DB_USER, DB_PASSWORD, CA_CERT, TRUSTSTORE, TRUSTSTORE_PASSWORD,
# SAMPLE_API_URL, SAMPLE_JWKS_MIN_REFRESH_INTERVAL, NGINX_ACCESS_LOG, CLUSTER_DIR.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=cluster/lib.sh
. "$HERE/lib.sh"
# shellcheck source=cluster/pg.sh
. "$HERE/pg.sh"
# shellcheck source=cluster/nodes.sh
. "$HERE/nodes.sh"
# shellcheck source=cluster/proxy.sh
. "$HERE/proxy.sh"

cmd_start() {
  prepare_dirs
  make_certificate
  make_secrets
  pg_start_all
  find_jar
  write_env
  node_start 1
  node_start_many 2 3
  nginx_start
  sample_start
  log "cluster up: $ISSUER (CA: $CA_CERT, state: $CLUSTER_DIR/cluster.env)"
}

cmd_stop() {
  [ -d "$CLUSTER_DIR" ] || { log "nothing to stop: no $CLUSTER_DIR"; return 0; }
  sample_stop
  nginx_stop
  local i pids=()
  # the three nodes drain in parallel
  for i in 1 2 3; do node_stop "$i" & pids+=($!); done
  local rc=0 p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  pg_stop_all
  return $rc
}

cmd_destroy() {
  cmd_stop || true
  rm -rf "$CLUSTER_DIR"
  log "removed $CLUSTER_DIR"
}

cmd_status() {
  local i
  pg_status
  for i in 1 2 3; do node_status "$i"; done
  nginx_status
  sample_status
}

cmd_rolling_restart() {
  local i
  for i in 1 2 3; do
    node_stop "$i"
    node_start "$i"
  done
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    destroy) cmd_destroy ;;
    status) cmd_status ;;
    kill-node) node_kill "$(node_arg "${1:-}")" ;;
    stop-node) node_stop "$(node_arg "${1:-}")" ;;
    start-node) find_jar; node_start "$(node_arg "${1:-}")" ;;
    restart-node) find_jar; node_stop "$(node_arg "${1:-}")"; node_start "$1" ;;
    rolling-restart) find_jar; cmd_rolling_restart ;;
    stop-primary) pg_stop_primary ;;
    promote-standby) pg_promote_standby ;;
    failover) pg_stop_primary; pg_promote_standby ;;
    *)
      sed -n '2,13p' "${BASH_SOURCE[0]}" >&2
      exit 2 ;;
  esac
}

main "$@"
