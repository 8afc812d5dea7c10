// SPDX-License-Identifier: MIT
// What kind of transaction a connection begins: isolation level, read-only,
// deferrable.  Set per engine (engine_options), per connection
// (connection::set_transaction_options) or per session (session_options).
#pragma once

#include <cstdint>

namespace relate {

enum class isolation_level : std::uint8_t {
  /// The database's own default (PostgreSQL: READ COMMITTED, or what the
  /// server's default_transaction_isolation says; SQLite: serializable).
  database_default,
  read_committed,
  repeatable_read,
  serializable,
  /// No transaction is begun: every statement commits on its own.  For
  /// statements that cannot run inside one (CREATE DATABASE, VACUUM,
  /// CREATE INDEX CONCURRENTLY).  commit() and rollback() do nothing.
  autocommit,
};

struct transaction_options {
  isolation_level isolation = isolation_level::database_default;
  /// Writes are refused (PostgreSQL READ ONLY, SQLite PRAGMA query_only).
  bool read_only = false;
  /// PostgreSQL SERIALIZABLE READ ONLY DEFERRABLE: waits for a snapshot that
  /// cannot fail with a serialization error.  Ignored elsewhere.
  bool deferrable = false;

  friend bool operator==(const transaction_options&, const transaction_options&) = default;
};

}  // namespace relate
