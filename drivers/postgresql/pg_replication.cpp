// SPDX-License-Identifier: MIT
// What an engine routing reads to replicas asks of PostgreSQL: the primary's
// WAL position after a commit, and whether a standby has replayed up to one
// (read-your-writes) and how far behind it is (bounded staleness).
#include "pg_connection.hpp"

#include <chrono>
#include <cmath>

namespace relate::postgresql {

std::string pg_connection::log_position() {
  // The insert position, not pg_current_wal_lsn() (the write position):
  // with synchronous_commit off a commit is acknowledged before its record
  // is written out, so only the insert position is sure to be past it.
  auto cursor = execute("SELECT pg_current_wal_insert_lsn()::text", {}, fetch_mode::buffered);
  if (!cursor->next() || cursor->is_null(0)) return {};
  return std::string(cursor->get_text(0));
}

replica_state pg_connection::replication_status(std::string_view position) {
  // An empty position is bound as NULL (a cast of '' to pg_lsn would fail
  // even in a branch never taken, once the planner folds the parameter in):
  // the comparison is then NULL, and "caught up" is whether no position was
  // asked for, which is also the answer when the standby has replayed nothing.
  const value bound_position = position.empty() ? value() : value(std::string(position));
  // The lag: zero while everything received is replayed (an idle primary
  // writes nothing new, so a timestamp alone would make a caught-up standby
  // look ever further behind), else the age of the last transaction replayed.
  static constexpr std::string_view sql =
      "SELECT pg_is_in_recovery(),"
      " coalesce(NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn, $1::pg_lsn IS NULL),"
      " CASE WHEN NOT pg_is_in_recovery() THEN 0"
      " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
      " ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000 END::float8";
  auto cursor = execute(sql, std::span<const value>(&bound_position, 1), fetch_mode::buffered);
  replica_state state;
  if (!cursor->next()) return state;
  state.replica = cursor->get_bool(0);
  state.caught_up = cursor->get_bool(1);
  if (!cursor->is_null(2))
    state.lag = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(cursor->get_double(2))));
  return state;
}

}  // namespace relate::postgresql
