#!/usr/bin/env bash
# Runs COMMAND with RELATE_TEST_POSTGRES_URL pointing at a PostgreSQL server.
#
#   scripts/with-postgres.sh ctest --test-dir build -L postgresql
#
# If RELATE_TEST_POSTGRES_URL is already set (docker/compose.yaml sets it to
# its postgres service, a developer may point it at their own server), the
# command just runs.  Otherwise this script makes a throwaway server:
# installs postgresql-15 from Debian if missing, creates a cluster with initdb
# in a temporary folder, starts it on 127.0.0.1 on a free port (socket in the
# same folder), exports the URL (and RELATE_BENCH_POSTGRES_URL), runs the
# command, and always stops the server and deletes the folder, whether the
# command passed, failed or was interrupted.  The exit status is the command's.
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres`
# system user (created if missing); as any other user it runs as that user.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [[ -n "${RELATE_TEST_POSTGRES_URL:-}" ]]; then
  exec "$@"
fi

pg_major="${RELATE_PG_MAJOR:-15}"
pg_bin="/usr/lib/postgresql/${pg_major}/bin"
log() { echo "with-postgres: $*" >&2; }

is_root() { [[ $(id -u) -eq 0 ]]; }

install_postgres() {
  local sudo_cmd=()
  if ! is_root; then
    if ! command -v sudo >/dev/null; then
      log "${pg_bin}/initdb is missing; install postgresql-${pg_major} (as root: apt-get install postgresql-${pg_major})"
      exit 1
    fi
    sudo_cmd=(sudo)
  fi
  log "installing postgresql-${pg_major}"
  # env inside sudo: sudo would drop an exported DEBIAN_FRONTEND.
  local apt=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
  "${apt[@]}" update -qq
  # postgresql-common first, told not to create (and start) a default
  # "main" cluster: this script makes its own, on a port of its choosing.
  "${apt[@]}" install -y -qq --no-install-recommends postgresql-common >/dev/null
  "${sudo_cmd[@]}" sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
  "${apt[@]}" install -y -qq --no-install-recommends "postgresql-${pg_major}" >/dev/null
}

[[ -x "${pg_bin}/initdb" ]] || install_postgres

# As root, every server command runs as the postgres system user.
as_server_user=()
if is_root; then
  if ! id -u postgres >/dev/null 2>&1; then
    log "creating the postgres system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  as_server_user=(runuser -u postgres --)
fi

# Under /tmp as root: the postgres user must be able to reach the folder.
if is_root; then
  work_dir=$(mktemp -d /tmp/relate-pg.XXXXXX)
  chown postgres:postgres "$work_dir"
else
  work_dir=$(mktemp -d "${TMPDIR:-/tmp}/relate-pg.XXXXXX")
fi
chmod 700 "$work_dir"
data_dir="$work_dir/data"
server_log="$work_dir/server.log"
started=0

# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $started -eq 1 ]]; then
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$data_dir" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
# Interrupted: exit with the conventional status, which runs cleanup via EXIT.
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_server_user[@]}" "${pg_bin}/initdb" -D "$data_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$work_dir/initdb.log" 2>&1 || {
  cat "$work_dir/initdb.log" >&2
  exit 1
}

# True if something already listens on 127.0.0.1:port.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random free port; starting can still lose a race with another process,
# so a failed start is retried on another port.
port=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "$candidate" && continue
  # fsync and friends off: the cluster is thrown away, durability buys nothing.
  if "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$data_dir" -l "$server_log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $work_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null; then
    port=$candidate
    started=1
    break
  fi
  log "start on port $candidate failed (attempt $attempt), retrying"
done
if [[ -z "$port" ]]; then
  log "could not start PostgreSQL; server log:"
  cat "$server_log" >&2 || true
  exit 1
fi

# pg_ctl -w waited for the server; pg_isready proves it accepts TCP connections.
for _ in $(seq 1 30); do
  "${pg_bin}/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done

export RELATE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:${port}/postgres"
# The same server through its Unix socket (for the driver's socket-host test).
export RELATE_TEST_POSTGRES_SOCKET_DIR="$work_dir" RELATE_TEST_POSTGRES_PORT="$port"
export RELATE_BENCH_POSTGRES_URL="${RELATE_BENCH_POSTGRES_URL:-$RELATE_TEST_POSTGRES_URL}"
log "PostgreSQL ${pg_major} running on 127.0.0.1:${port} (data in $work_dir)"

# Not exec: the trap must outlive the command to stop the server.
set +e
"$@"
status=$?
set -e
exit "$status"
