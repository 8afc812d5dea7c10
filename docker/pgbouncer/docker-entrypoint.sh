#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes PgBouncer's configuration from the environment and runs it in the
# foreground:
#   PGBOUNCER_SERVER_HOST, PGBOUNCER_SERVER_PORT (default 5432)  the server
#   PGBOUNCER_USER, PGBOUNCER_PASSWORD  the one login, checked (SCRAM) from
#                                       clients and used (SCRAM) to the server
#   PGBOUNCER_POOL_SIZE (default 2)     server connections per database
# Every database of the server is reachable under its own name.
set -euo pipefail

: "${PGBOUNCER_SERVER_HOST:?the server to pool, e.g. postgres}"
: "${PGBOUNCER_USER:?the login}" "${PGBOUNCER_PASSWORD:?its password}"
dir=/var/lib/relate-pgbouncer

# Transaction pooling with a small pool per database, so that server
# connections are visibly shared between clients, as scripts/with-postgres.sh
# does; max_client_conn for a parallel ctest.  No Unix socket: clients come
# over the compose network.
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=${PGBOUNCER_SERVER_HOST} port=${PGBOUNCER_SERVER_PORT:-5432}
[pgbouncer]
listen_addr = *
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/users.txt
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-2}
max_client_conn = 500
; Connections come and go by the thousand in a test run: log only problems.
log_connections = 0
log_disconnections = 0
INI
# A plain-text password: PgBouncer needs it to log in to the server with SCRAM.
printf '"%s" "%s"\n' "${PGBOUNCER_USER//\"/\"\"}" "${PGBOUNCER_PASSWORD//\"/\"\"}" >"$dir/users.txt"
chmod 600 "$dir/users.txt"

# exec: PgBouncer gets the stop signal (SIGTERM) itself.
exec /usr/sbin/pgbouncer "$dir/pgbouncer.ini"
