// SPDX-License-Identifier: MIT
// One libpq connection: statements prepared once and cached by SQL text,
// text-format parameters (binary for bytea), buffered or single-row streamed
// results, transactions and savepoints, server NOTICEs forwarded to the
// engine's logger, and every error translated by SQLSTATE.
#pragma once

#include "pg_conninfo.hpp"
#include "pg_cursor.hpp"
#include "pg_statement_cache.hpp"
#include "pg_values.hpp"

#include <relate/driver/driver.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace relate::postgresql {

/// identifier in double quotes, embedded quotes doubled.
std::string quote_identifier(std::string_view identifier);

class pg_connection final : public native_connection {
 public:
  /// Prepared statements kept per connection (each holds a plan on the server).
  static constexpr std::size_t default_statement_cache_size = 256;
  /// Executions per pipeline sync: bounds the parameters held in memory and
  /// the replies waiting to be read, at the cost of one round trip per chunk.
  static constexpr std::size_t pipeline_chunk = 256;

  /// Connects; throws operational_error (unreachable, authentication failed)
  /// or url_error (an unknown option).  Neither message contains the password.
  pg_connection(const url& target, const connect_options& options,
                std::size_t statement_cache_size = default_statement_cache_size);
  ~pg_connection() override;
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  std::unique_ptr<native_cursor> execute(std::string_view sql, std::span<const value> params,
                                         fetch_mode mode) override;
  /// Pipeline mode (pg_pipeline.cpp): the executions go out back to back and
  /// their replies are read after a sync, one round trip per run of up to
  /// pipeline_chunk executions with the same parameter types.
  std::vector<std::int64_t> execute_batch(std::string_view sql,
                                          std::span<const std::vector<value>> param_sets) override;
  /// BEGIN with the isolation level and access mode asked for, and SET LOCAL
  /// of the timeouts (SET LOCAL so the limits hold behind a transaction
  /// pooler too, where session settings do not follow a client).  Nothing is
  /// sent yet: they go out with the transaction's first statement, in the
  /// same round trip (pg_deferred_begin.cpp).  PostgreSQL takes a
  /// transaction's snapshot at its first statement, not at BEGIN, so what
  /// the transaction sees is the same.
  void begin(const transaction_options& options) override;
  /// A connection lost before COMMIT's answer arrived is a
  /// commit_outcome_unknown_error: the server may have committed.
  void commit() override;
  /// A READ ONLY transaction that ran only queries (SELECT, WITH) is rolled
  /// back without waiting for the reply, which the connection's next use
  /// reads: such a transaction holds no row locks, and what it read stays
  /// as it was.  Any other ROLLBACK waits, as before.
  void rollback() override;
  void savepoint(std::string_view name) override;
  void release_savepoint(std::string_view name) override;
  void rollback_to_savepoint(std::string_view name) override;
  bool is_open() const override;
  bool ping() override;
  bool reset() override;
  /// pg_current_wal_insert_lsn() (pg_replication.cpp).
  std::string log_position() override;
  /// pg_is_in_recovery(), pg_last_wal_replay_lsn() against position, and the replay lag.
  replica_state replication_status(std::string_view position) override;

  PGconn* handle() const noexcept { return conn_; }
  const statement_cache& statements() const noexcept { return statements_; }
  /// False when statements run unnamed (prepared_statements off).
  bool prepares_statements() const noexcept { return prepare_; }

 private:
  friend class pg_cursor;

  /// Runs a statement without parameters through the simple query protocol
  /// (which also accepts several statements separated by ';'); throws on error.
  /// A deferred BEGIN goes out first, in the same round trip.
  result_ptr exec_simple(std::string_view sql);
  /// Sends a deferred BEGIN on its own (before a statement that cannot carry
  /// it: a streamed query, a server-side cursor, a batch).
  void send_deferred_begin();
  /// A deferred BEGIN and one execution with parameters in one pipeline: one
  /// round trip where there were two.  Throws as execute() does; a failed
  /// BEGIN is reported with its own SQL.
  result_ptr begin_and_execute(std::string_view sql, const std::string& name, const wire_params& wire);
  /// Whether a transaction is open, or begun and waiting for its first statement.
  bool in_transaction() const;
  /// Reads the reply of a ROLLBACK sent without waiting, and leaves its
  /// pipeline; a failure is logged (the connection's state then tells the
  /// next statement what happened).
  void settle_rollback() noexcept;
  /// settle_rollback()'s reading, staying in pipeline mode when statements
  /// are queued behind that ROLLBACK.
  void read_rollback_reply(bool exit_pipeline) noexcept;
  /// Notes what a statement of the transaction was: only queries leave a
  /// READ ONLY transaction free to end without waiting.
  void note_statement(std::string_view sql) noexcept;
  /// Before any statement: reads single-row streams still open into memory
  /// (server-side cursors need nothing), and throws if the connection is gone.
  void check_usable(std::string_view sql, bool settle = true);
  /// Declares a server-side cursor for a streamed query and returns its reader.
  std::unique_ptr<native_cursor> declare_cursor(std::string_view sql, const wire_params* wire);
  /// CLOSE of a server-side cursor whose reader is done with it; errors are
  /// ignored (the transaction ends it anyway).
  void close_cursor_quietly(const std::string& name) noexcept;
  /// The transaction (how: "COMMIT", ...) or a savepoint ended: the server
  /// closed the cursors opened inside it.
  void cursors_ended(std::size_t from_depth, std::string_view how) noexcept;
  /// The prepared statement's name for sql with these parameter types,
  /// preparing it (and evicting the least recently used one) if needed.
  std::string prepared(const std::string& key, std::string_view sql, const std::vector<Oid>& types);
  /// The statement-cache key: SQL text and parameter types (a statement
  /// prepared for int4 parameters must not be reused for an int8 value).
  static std::string statement_key(std::string_view sql, const std::vector<Oid>& types);
  /// After a failed execution of a prepared statement: forgets it if the
  /// server dropped it (DISCARD ALL) or its plan no longer fits the table
  /// (0A000 after ALTER TABLE), so it is prepared afresh next time.
  void forget_if_stale(const std::string& key, const std::string& name, const PGresult* failure);
  /// Sends one execution without waiting for its reply: of the prepared
  /// statement name, or, when name is empty, as an unnamed statement
  /// (prepared_statements off: parsed each time, nothing left on the server).
  bool send(std::string_view sql, const std::string& name, const wire_params& wire);
  /// Sends param_sets[first, last), all of one prepared statement, in one
  /// pipeline and appends each execution's row count.
  void run_pipeline(std::string_view sql, const std::string& name, const std::string& key,
                    const std::vector<wire_params>& wires, std::vector<std::int64_t>& counts);
  void deallocate(const std::string& name);
  void flush_deallocations();
  static void on_notice(void* self, const PGresult* notice);

  PGconn* conn_ = nullptr;
  std::shared_ptr<spdlog::logger> logger_;
  statement_cache statements_;
  bool prepare_ = true;                             // named, cached statements
  std::string timeouts_;                            // "SET LOCAL ..." sent with each BEGIN
  std::string deferred_begin_;                      // BEGIN and its SET LOCALs, not sent yet
  bool read_only_queries_ = false;                  // a READ ONLY transaction that ran queries only
  bool rollback_in_flight_ = false;                 // ROLLBACK sent, its reply not read yet
  std::vector<std::string> pending_deallocations_;  // evicted while a transaction had failed
  std::vector<pg_cursor*> open_streams_;            // streamed cursors still reading from this connection
  std::vector<std::string> savepoints_;             // open, innermost last (a cursor ends with its own)
  std::uint64_t cursor_counter_ = 0;
  std::string fatal_code_, fatal_message_;  // the server's last FATAL message (see on_notice)
};

}  // namespace relate::postgresql
