#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs COMMAND with RELATE_TEST_POSTGRES_URL pointing at a PostgreSQL server.
#
#   scripts/with-postgres.sh ctest --test-dir build -L postgresql
#
# If RELATE_TEST_POSTGRES_URL is already set (docker/compose.yaml sets it to
# its postgres service, a developer may point it at their own server), the
# command just runs.  Otherwise this script makes a throwaway server:
# installs postgresql-15 and pgbouncer from Debian if missing, creates a
# cluster with initdb in a temporary folder, starts it on 127.0.0.1 on a free
# port (socket in the same folder) with PgBouncer in transaction mode in
# front of it, exports the URLs (RELATE_TEST_POSTGRES_URL,
# RELATE_BENCH_POSTGRES_URL, RELATE_TEST_PGBOUNCER_URL) and
# RELATE_TEST_FAILOVER_SCRIPT, runs the command, and always stops the servers
# and deletes the folder, whether the command passed, failed or was
# interrupted.  The exit status is the command's.
#
# PostgreSQL refuses to run as root: as root the servers run as the `postgres`
# system user (created if missing); as any other user they run as that user.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [[ -n "${RELATE_TEST_POSTGRES_URL:-}" ]]; then
  exec "$@"
fi

# shellcheck source=scripts/postgres-lib.sh
source "$(dirname "$0")/postgres-lib.sh"
log() { echo "with-postgres: $*" >&2; }

to_install=()
[[ -x "${pg_bin}/initdb" ]] || to_install+=("postgresql-${pg_major}")
[[ -x /usr/sbin/pgbouncer ]] || to_install+=(pgbouncer)
[[ ${#to_install[@]} -eq 0 ]] || install_debian_packages with-postgres "${to_install[@]}"

work_dir=$(make_work_dir)
data_dir="$work_dir/data"
started=0

# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -f "$work_dir/pgbouncer.pid" ]]; then
    kill "$(cat "$work_dir/pgbouncer.pid")" 2>/dev/null || true
  fi
  [[ $started -eq 1 ]] && stop_server "$data_dir"
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
# Interrupted: exit with the conventional status, which runs cleanup via EXIT.
trap 'exit 130' INT
trap 'exit 143' TERM

init_cluster "$data_dir" "$work_dir/initdb.log"
port=$(start_server "$data_dir" "$work_dir/server.log" "$work_dir" "-c max_connections=200") || {
  log "could not start PostgreSQL"
  exit 1
}
started=1

# PgBouncer in transaction mode in front of it, with a small server pool per
# database (so server connections are visibly shared between clients), for
# the tests of prepared_statements=false (tests/production).
bouncer_port=$(free_port)
cat >"$work_dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = trust
auth_file = $work_dir/pgbouncer-users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 500
logfile = $work_dir/pgbouncer.log
pidfile = $work_dir/pgbouncer.pid
INI
echo '"postgres" ""' >"$work_dir/pgbouncer-users.txt"
is_root && chown postgres:postgres "$work_dir/pgbouncer.ini" "$work_dir/pgbouncer-users.txt"
"${as_server_user[@]}" /usr/sbin/pgbouncer -d -q "$work_dir/pgbouncer.ini" || {
  log "could not start PgBouncer; its log:"
  cat "$work_dir/pgbouncer.log" >&2 || true
  exit 1
}
for _ in $(seq 1 50); do
  port_in_use "$bouncer_port" && break
  sleep 0.1
done

export RELATE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:${port}/postgres"
# The same server through its Unix socket (for the driver's socket-host test).
export RELATE_TEST_POSTGRES_SOCKET_DIR="$work_dir" RELATE_TEST_POSTGRES_PORT="$port"
export RELATE_BENCH_POSTGRES_URL="${RELATE_BENCH_POSTGRES_URL:-$RELATE_TEST_POSTGRES_URL}"
export RELATE_TEST_PGBOUNCER_URL="postgresql://postgres@127.0.0.1:${bouncer_port}/postgres"
# The failover test makes a primary/standby pair of its own with this script.
RELATE_TEST_FAILOVER_SCRIPT="$(cd "$(dirname "$0")" && pwd)/postgres-failover.sh"
export RELATE_TEST_FAILOVER_SCRIPT
log "PostgreSQL ${pg_major} running on 127.0.0.1:${port}, PgBouncer on ${bouncer_port} (in $work_dir)"

# Not exec: the trap must outlive the command to stop the server.
set +e
"$@"
status=$?
set -e
exit "$status"
