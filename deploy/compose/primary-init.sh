#!/bin/bash
# Runs once, when the cluster profile's primary initialises its data directory (docker-entrypoint-initdb.d):
# the replication role, the standby's slot, and the pg_hba line that lets it stream.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v pw="$REPLICATION_PASSWORD" <<'SQL'
create role replicator with replication login password :'pw';
select pg_create_physical_replication_slot('standby1');
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
