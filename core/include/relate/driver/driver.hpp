// SPDX-License-Identifier: MIT
// The C++ interface a driver plugin implements.
//
// A plugin's factory (relate/plugin/abi.h) returns a relate::driver; the
// engine asks it for native connections, and each connection executes SQL
// text with bound values and hands back a cursor.  Everything above this
// (pooling, transactions as objects, echo logging, the ORM) lives in core and
// is shared by every driver.
//
// Changing this header incompatibly means bumping RELATE_PLUGIN_ABI_VERSION.
#pragma once

#include <relate/export.hpp>

#include <relate/error.hpp>
#include <relate/sql/dialect.hpp>
#include <relate/transaction_options.hpp>
#include <relate/url.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spdlog {
class logger;
}

namespace relate {

/// Forward-only cursor over the rows of one executed statement.  Valid until
/// the next execute() on the same connection or the connection's destruction.
/// Getters convert between compatible representations (text "42" to integer
/// on PostgreSQL, integer 1 to bool on SQLite) and throw usage_error, naming
/// the column, when they cannot.
class RELATE_API native_cursor {
 public:
  virtual ~native_cursor();

  /// Moves to the next row; false when there is none.
  virtual bool next() = 0;

  virtual std::size_t column_count() const = 0;
  virtual std::string_view column_name(std::size_t index) const = 0;

  /// The kind of the current row's cell: null, integer, real, text or blob
  /// (boolean, timestamp and date on drivers that know the column type).
  virtual value_kind kind(std::size_t index) const = 0;
  bool is_null(std::size_t index) const { return kind(index) == value_kind::null; }

  virtual bool get_bool(std::size_t index) const = 0;
  virtual std::int64_t get_int64(std::size_t index) const = 0;
  virtual double get_double(std::size_t index) const = 0;
  /// Valid until the cursor moves.
  virtual std::string_view get_text(std::size_t index) const = 0;
  virtual blob get_blob(std::size_t index) const = 0;
  virtual timestamp get_timestamp(std::size_t index) const = 0;
  virtual date get_date(std::size_t index) const = 0;

  /// Rows changed by an INSERT/UPDATE/DELETE (after it ran), else 0.
  virtual std::int64_t rows_affected() const = 0;

  /// An INTERVAL cell.  The default reads what databases without an interval
  /// type store (SQLAlchemy's Interval there): the timestamp that long after
  /// 1970-01-01 00:00:00.
  virtual interval get_interval(std::size_t index) const;
};

struct connect_options {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds busy_timeout{5'000};
  /// Limits applied to every statement of the connection; 0: none.
  /// PostgreSQL's statement_timeout and lock_timeout (SQLite has neither).
  std::chrono::milliseconds statement_timeout{0};
  std::chrono::milliseconds lock_timeout{0};
  /// Named, cached server-side prepared statements.  Off: every statement is
  /// parsed afresh (unnamed), as a transaction-mode pooler such as PgBouncer
  /// needs.  A URL's ?prepared_statements=false turns it off too.
  bool prepared_statements = true;
  /// Where the driver logs what the server says (PostgreSQL NOTICEs).  Never null.
  std::shared_ptr<spdlog::logger> logger;
};

/// How a statement's rows should be delivered.
enum class fetch_mode : std::uint8_t {
  buffered,  // whole result fetched before the first row (fast, holds memory)
  streamed,  // rows fetched as the cursor moves (bounded memory)
};

/// What a replica reports about itself (native_connection::replication_status returns it).
struct replica_state {
  /// The server is a replica replaying another's log (PostgreSQL: pg_is_in_recovery()).
  bool replica = false;
  /// It has replayed at least the position asked about (always true for an empty position).
  bool caught_up = true;
  /// How far its data is behind its primary; unset when it cannot tell.
  std::optional<std::chrono::milliseconds> lag{};
};

/// One native database connection.  Not thread-safe: the engine's pool hands
/// it to one thread at a time.
class RELATE_API native_connection {
 public:
  virtual ~native_connection();

  /// Runs one statement with its parameters ("?" or "$n" placeholders, as the
  /// dialect compiles them) and returns its cursor.  Implementations prepare
  /// and cache statements by SQL text.  Throws database_error subclasses.
  virtual std::unique_ptr<native_cursor> execute(std::string_view sql, std::span<const value> params,
                                                 fetch_mode mode) = 0;
  /// Runs one statement (which returns no rows) once per parameter set, in
  /// order, and returns each execution's rows_affected.  Throws at the first
  /// execution that fails; the ones after it do not take effect.  The default
  /// calls execute() for each set; a client/server driver overrides it to send
  /// the executions without waiting for each reply (PostgreSQL's pipeline).
  virtual std::vector<std::int64_t> execute_batch(std::string_view sql,
                                                  std::span<const std::vector<value>> param_sets);

  /// Begins a transaction of the kind asked for (never called with
  /// isolation_level::autocommit: the engine then begins nothing).  A level
  /// the database cannot give is a not_supported_error.
  virtual void begin(const transaction_options& options) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual void savepoint(std::string_view name) = 0;
  virtual void release_savepoint(std::string_view name) = 0;
  virtual void rollback_to_savepoint(std::string_view name) = 0;

  /// True while the connection is usable (false after the server went away).
  virtual bool is_open() const = 0;
  /// A cheap round trip proving the connection works; false if it does not.
  virtual bool ping() = 0;
  /// Called when the connection goes back to the pool: ends whatever
  /// transaction the database still has open (one begun by raw SQL, say) so
  /// the next user gets a clean connection.  False: the connection cannot be
  /// reused and is closed.  The default returns is_open().
  virtual bool reset();

  // ---- replication (engine_options::replicas) ----
  /// On a primary, outside any transaction: the position its log has reached,
  /// which covers every transaction committed so far (PostgreSQL:
  /// pg_current_wal_insert_lsn()).  Empty, the default: the database has no log a
  /// replica replays, and reads never wait for one.
  virtual std::string log_position();
  /// On a possible replica, outside any transaction: whether it replays a
  /// primary's log, whether it has replayed up to position (one log_position()
  /// returned by the same driver), and its lag.  The default: not a replica,
  /// caught up, lag unknown.
  virtual replica_state replication_status(std::string_view position);
};

/// The object a plugin's factory creates.  One per loaded plugin, shared by
/// every engine using it; must be thread-safe.
class RELATE_API driver {
 public:
  virtual ~driver();
  virtual std::string_view name() const = 0;
  virtual const sql::dialect& dialect() const = 0;
  /// Opens a connection.  Throws operational_error (server down, file not
  /// creatable) or url_error (options it does not understand).
  virtual std::unique_ptr<native_connection> connect(const url& target, const connect_options& options) = 0;
  /// True when every connection to target must be the same one, e.g. an
  /// in-memory SQLite database that each new connection would see empty.
  /// The engine then keeps exactly one connection and makes connect() wait
  /// for it.  Default: false.
  virtual bool single_connection(const url& target) const;
};

}  // namespace relate
