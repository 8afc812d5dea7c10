#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A primary and streaming standbys on loopback, for the failover and replica
# tests (tests/production/failover_test.cpp and replicas_test.cpp, which find
# this script through RELATE_TEST_FAILOVER_SCRIPT, set by with-postgres.sh).
#
#   postgres-failover.sh start [N]          N standbys (default 1); prints
#                                           "DIR PRIMARY_PORT STANDBY_PORT..."
#   postgres-failover.sh stop-primary DIR   stops the primary
#   postgres-failover.sh stop-standby DIR I stops standby I (1 to N)
#   postgres-failover.sh promote DIR        promotes the first standby (pg_ctl promote, waits)
#   postgres-failover.sh stop DIR           stops them all and deletes DIR
#
# A standby is a pg_basebackup -R copy of the primary (initdb --auth=trust
# already allows replication connections from 127.0.0.1, and wal_level is
# replica by default).  Servers of their own, so that stopping one does not
# disturb the server the other tests use.
set -euo pipefail
# shellcheck source=scripts/postgres-lib.sh
source "$(dirname "$0")/postgres-lib.sh"

# The first standby keeps the folder name the failover test has always used.
standby_dir() { if [[ $2 -eq 1 ]]; then echo "$1/standby"; else echo "$1/standby$2"; fi; }
stop_all() {
  local standby
  for standby in "$1"/standby*; do
    [[ -d "$standby" ]] && stop_server "$standby"
  done
  stop_server "$1/primary"
}

case "${1:-}" in
  start)
    [[ -x "${pg_bin}/initdb" ]] || install_debian_packages postgres-failover "postgresql-${pg_major}"
    dir=$(make_work_dir)
    init_cluster "$dir/primary" "$dir/initdb.log"
    standbys=${2:-1}
    primary_port=$(start_server "$dir/primary" "$dir/primary.log" "$dir" "-c max_wal_senders=8")
    ports="$primary_port"
    for i in $(seq 1 "$standbys"); do
      standby=$(standby_dir "$dir" "$i")
      "${as_server_user[@]}" "${pg_bin}/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
        -D "$standby" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || {
        cat "$dir/basebackup.log" >&2
        stop_all "$dir"
        exit 1
      }
      ports="$ports $(start_server "$standby" "$standby.log" "$dir")"
    done
    echo "$dir $ports"
    ;;
  stop-primary)
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$2/primary" -m fast -w stop >/dev/null
    ;;
  stop-standby)
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$(standby_dir "$2" "$3")" -m fast -w stop >/dev/null
    ;;
  promote)
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$2/standby" -w promote >/dev/null
    ;;
  stop)
    [[ -d "$2" && "$2" == */relate-pg.* ]] || exit 0
    stop_all "$2"
    rm -rf "$2"
    ;;
  *)
    echo "usage: $0 start [N] | stop-primary DIR | stop-standby DIR I | promote DIR | stop DIR" >&2
    exit 2
    ;;
esac
