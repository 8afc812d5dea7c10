# SPDX-License-Identifier: MIT
# Shared by with-postgres.sh and postgres-failover.sh (sourced, not run):
# installing Debian packages, running server commands as the right user, and
# starting a throwaway cluster on a free loopback port.
#
# PostgreSQL (and PgBouncer) refuse to run as root: as root they run as the
# `postgres` system user (created if missing); as any other user, as that user.

pg_major="${RELATE_PG_MAJOR:-15}"
pg_bin="/usr/lib/postgresql/${pg_major}/bin"

is_root() { [[ $(id -u) -eq 0 ]]; }

# install_debian_packages LOG_PREFIX PACKAGE...: apt-get install, through sudo when not root.
install_debian_packages() {
  local prefix=$1
  shift
  local sudo_cmd=()
  if ! is_root; then
    if ! command -v sudo >/dev/null; then
      echo "$prefix: $* missing; install as root: apt-get install $*" >&2
      exit 1
    fi
    sudo_cmd=(sudo)
  fi
  echo "$prefix: installing $*" >&2
  # env inside sudo: sudo would drop an exported DEBIAN_FRONTEND.
  local apt=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
  "${apt[@]}" update -qq
  if [[ " $* " == *" postgresql-${pg_major} "* ]]; then
    # postgresql-common first, told not to create (and start) a default
    # "main" cluster: the scripts make their own, on ports of their choosing.
    "${apt[@]}" install -y -qq --no-install-recommends postgresql-common >/dev/null
    "${sudo_cmd[@]}" sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf
  fi
  "${apt[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}

# as_server_user: the command prefix for server commands.
as_server_user=()
if is_root; then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  as_server_user=(runuser -u postgres --)
fi

# make_work_dir: a private folder the server user can reach (under /tmp as root).
make_work_dir() {
  local dir
  if is_root; then
    dir=$(mktemp -d /tmp/relate-pg.XXXXXX)
    chown postgres:postgres "$dir"
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/relate-pg.XXXXXX")
  fi
  chmod 700 "$dir"
  echo "$dir"
}

# True if something already listens on 127.0.0.1:port.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random port nothing listens on (a start can still lose a race: retry).
free_port() {
  local candidate
  while :; do
    candidate=$((20000 + RANDOM % 40000))
    port_in_use "$candidate" || break
  done
  echo "$candidate"
}

# start_server DATA_DIR LOG SOCKET_DIR [EXTRA_OPTIONS]: starts the cluster on a
# free port, retrying on another port if the start fails; prints the port.
start_server() {
  local data=$1 server_log=$2 socket_dir=$3 extra=${4:-} port attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(free_port)
    # fsync and friends off: the cluster is thrown away, durability buys nothing.
    if "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$data" -l "$server_log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $socket_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off $extra" \
      start >/dev/null; then
      # pg_ctl -w waited for the server; pg_isready proves it accepts TCP connections.
      for _ in $(seq 1 30); do
        "${pg_bin}/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 1
      done
      echo "$port"
      return 0
    fi
    echo "postgres-lib: start on port $port failed (attempt $attempt), retrying" >&2
  done
  cat "$server_log" >&2 || true
  return 1
}

# init_cluster DATA_DIR LOG: initdb with trust authentication (loopback only).
init_cluster() {
  "${as_server_user[@]}" "${pg_bin}/initdb" -D "$1" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$2" 2>&1 || {
    cat "$2" >&2
    return 1
  }
}

# stop_server DATA_DIR: fast, then immediate; never fails.
stop_server() {
  "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$1" -m immediate -w stop >/dev/null 2>&1 || true
}
