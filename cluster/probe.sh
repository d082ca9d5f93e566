#!/usr/bin/env bash
# One token request after another through the cluster's nginx for SECONDS, then a summary: requests
# per status and the window in which they were not 200. For the figures in docs/deployment.md:
#   cluster/probe.sh 60 password & sleep 5; cluster/cluster.sh failover; wait
# GRANT: client_credentials (svc-client, scope read; the default) or password (alice through
# trusted-app: reads the user and writes its login counters, so it needs the primary).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$HERE/../target/cluster}"
# shellcheck disable=SC1091
. "$CLUSTER_DIR/cluster.env"
seconds="${1:-30}"
grant="${2:-client_credentials}"
out="${3:-$(mktemp)}"

request() {
  case "$grant" in
    password)
      curl -s -o /dev/null -m 10 -w '%{http_code}' --cacert "$CA_CERT" -u trusted-app:trusted-secret \
          -d grant_type=password -d username=alice -d password=alice-pw -d scope=read "$ISSUER/oauth2/token" ;;
    *)
      curl -s -o /dev/null -m 10 -w '%{http_code}' --cacert "$CA_CERT" -u svc-client:svc-secret \
          -d grant_type=client_credentials -d scope=read "$ISSUER/oauth2/token" ;;
  esac
}

end=$(($(date +%s) + seconds))
: >"$out"
while [ "$(date +%s)" -lt "$end" ]; do
  echo "$(date +%s%3N) $(request || true)" >>"$out"
done
echo "$grant for ${seconds}s: $(wc -l <"$out") requests; per status:"
awk '{print "  " $2}' "$out" | sort | uniq -c
awk '$2 != 200 { if (!first) first = $1; last = $1 }
     END { if (first) printf "not 200 from +%.1fs to +%.1fs (%.1fs)\n", (first - start) / 1000, (last - start) / 1000, (last - first) / 1000;
           else print "every request 200" }' start="$(head -1 "$out" | cut -d' ' -f1)" "$out"
