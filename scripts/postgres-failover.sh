#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A primary and a streaming standby on loopback, for the failover test
# (tests/production/failover_test.cpp, which finds this script through
# RELATE_TEST_FAILOVER_SCRIPT, set by with-postgres.sh).
#
#   postgres-failover.sh start              prints "DIR PRIMARY_PORT STANDBY_PORT"
#   postgres-failover.sh stop-primary DIR   stops the primary
#   postgres-failover.sh promote DIR        promotes the standby (pg_ctl promote, waits)
#   postgres-failover.sh stop DIR           stops both and deletes DIR
#
# The standby is a pg_basebackup -R copy of the primary (initdb --auth=trust
# already allows replication connections from 127.0.0.1, and wal_level is
# replica by default).  A pair of its own, so that stopping its primary does
# not disturb the server the other tests use.
set -euo pipefail
# shellcheck source=scripts/postgres-lib.sh
source "$(dirname "$0")/postgres-lib.sh"

case "${1:-}" in
  start)
    [[ -x "${pg_bin}/initdb" ]] || install_debian_packages postgres-failover "postgresql-${pg_major}"
    dir=$(make_work_dir)
    init_cluster "$dir/primary" "$dir/initdb.log"
    primary_port=$(start_server "$dir/primary" "$dir/primary.log" "$dir" "-c max_wal_senders=4")
    "${as_server_user[@]}" "${pg_bin}/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
      -D "$dir/standby" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || {
      cat "$dir/basebackup.log" >&2
      stop_server "$dir/primary"
      exit 1
    }
    standby_port=$(start_server "$dir/standby" "$dir/standby.log" "$dir")
    echo "$dir $primary_port $standby_port"
    ;;
  stop-primary)
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$2/primary" -m fast -w stop >/dev/null
    ;;
  promote)
    "${as_server_user[@]}" "${pg_bin}/pg_ctl" -D "$2/standby" -w promote >/dev/null
    ;;
  stop)
    [[ -d "$2" && "$2" == */relate-pg.* ]] || exit 0
    stop_server "$2/standby"
    stop_server "$2/primary"
    rm -rf "$2"
    ;;
  *)
    echo "usage: $0 start | stop-primary DIR | promote DIR | stop DIR" >&2
    exit 2
    ;;
esac
