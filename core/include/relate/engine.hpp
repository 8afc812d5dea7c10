// SPDX-License-Identifier: MIT
// The engine, connections, transactions and raw results: relate's Core API,
// as SQLAlchemy's create_engine()/Connection/Result.
//
//   auto engine = relate::create_engine("sqlite:///example.db", {.echo = true});
//   auto conn = engine.connect();
//   conn.execute("INSERT INTO notes (body) VALUES (?)", {"bound, not pasted"});
//   conn.commit();
//
// An engine owns a pool of native connections from the driver its URL names;
// copying an engine shares the pool.  A connection is checked out of the pool
// for one thread at a time and goes back when the handle is destroyed.
// Transactions are explicit: a connection begins one on first use and rolls it
// back unless commit() is called (SQLAlchemy 2.0's "commit as you go").
#pragma once

#include <relate/conversion.hpp>
#include <relate/export.hpp>

#include <relate/driver/driver.hpp>
#include <relate/engine_events.hpp>
#include <relate/error.hpp>
#include <relate/read_token.hpp>
#include <relate/sql/dialect.hpp>
#include <relate/transaction_options.hpp>
#include <relate/url.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace spdlog {
class logger;
}

namespace relate {

struct engine_options {
  /// Log every statement and its parameters at info level on the logger
  /// (SQLAlchemy's echo=True).  Off: statements are logged at debug level.
  bool echo = false;
  /// The logger for SQL and driver messages.  Null: the logger registered with
  /// spdlog under "relate.sql" if the application made one, else a logger of
  /// that name writing to stderr (only used when echo is on or the level is lowered).
  std::shared_ptr<spdlog::logger> logger{};

  // ---- the pool (SQLAlchemy's QueuePool) ----
  /// Connections kept open when idle (in-memory SQLite always uses exactly one).
  std::size_t pool_size = 5;
  /// Connections opened beyond pool_size when all are checked out, closed on
  /// return: at most pool_size + max_overflow are ever open at once.
  std::size_t max_overflow = 10;
  /// How long connect() waits for a connection when the limit is reached
  /// before it throws pool_timeout_error.
  std::chrono::milliseconds pool_timeout{30'000};
  /// Connections older than this are closed and replaced at checkout and
  /// return (for servers or firewalls that drop old connections); 0: never.
  std::chrono::milliseconds pool_recycle{0};
  /// Test a pooled connection with a round trip before handing it out.
  bool pool_pre_ping = false;

  // ---- connections ----
  std::chrono::milliseconds connect_timeout{10'000};
  /// SQLite: how long a statement waits for another connection's lock.
  std::chrono::milliseconds busy_timeout{5'000};
  /// PostgreSQL: statements running longer are cancelled (query_canceled_error); 0: no limit.
  std::chrono::milliseconds statement_timeout{0};
  /// PostgreSQL: waiting longer for a lock fails the statement (query_canceled_error); 0: no limit.
  std::chrono::milliseconds lock_timeout{0};
  /// PostgreSQL: named, cached prepared statements.  Turn off (or put
  /// ?prepared_statements=false in the URL) behind PgBouncer in transaction
  /// or statement mode, where server connections are shared between clients.
  bool prepared_statements = true;

  // ---- plugins ----
  /// Folders searched for the driver plugin before RELATE_PLUGIN_PATH and the
  /// default folders (next to librelate.so, then relate's install folder).
  std::vector<std::string> plugin_path{};
  /// Search only plugin_path and RELATE_PLUGIN_PATH, never the default folders
  /// (RELATE_PLUGIN_PATH_ONLY=1 in the environment does the same for every engine).
  bool plugin_path_only = false;

  // ---- transactions ----
  /// The kind of transaction every connection begins unless a connection or
  /// session asks for another.
  transaction_options transaction{};

  // ---- replicas (docs/replicas.md) ----
  /// URLs of read replicas of the database the engine's URL names (PostgreSQL
  /// streaming standbys).  Read-only sessions and connect_for_read() run on
  /// one of them, round robin over the healthy ones; everything else runs on
  /// the primary.  Each replica gets a pool of its own with these options
  /// and pre-ping on.  Empty: the engine is only its primary.
  std::vector<std::string> replicas{};
  /// A replica that could not be reached, or whose connection broke, is left
  /// out for this long (a warning is logged); reads go to the others, or to
  /// the primary when none is left.
  std::chrono::milliseconds replica_backoff{30'000};
  /// A read after a read_token waits up to this long for a replica to replay
  /// the token's position, then runs on the primary.
  std::chrono::milliseconds replica_wait{200};
  /// Bounded staleness: a replica further behind its primary than this is
  /// not read from; 0: no limit.
  std::chrono::milliseconds max_replica_lag{0};
};

/// What engine::pool_status() reports.
struct pool_status {
  std::size_t open = 0;         // connections open now (idle + checked out)
  std::size_t idle = 0;         // in the pool, ready to hand out
  std::size_t checked_out = 0;  // held by connections and sessions
  std::size_t waiting = 0;      // threads waiting in connect() for one to come back
  std::size_t pool_size = 0;
  std::size_t max_overflow = 0;
};

/// The folders create_engine(url, options) searches for driver plugins, in order.
RELATE_API std::vector<std::string> plugin_search_path(const engine_options& options = {});

/// Called after every statement an engine executed successfully, once per
/// parameter set (an execute_many of 100 sets calls it 100 times), e.g. to
/// count statements.  engine_listener (relate/engine_events.hpp) gives one
/// call per execution, failures and connection events.  Must be thread-safe
/// if the engine is shared.
using statement_listener = std::function<void(std::string_view sql, std::span<const value> params)>;

namespace detail {
class engine_state;
class pooled_connection;
}  // namespace detail

class result;
class transaction;

/// One row of a result: a view of the cursor's current position.
class RELATE_API row {
 public:
  explicit row(native_cursor& cursor) noexcept : cursor_(&cursor) {}

  std::size_t size() const { return cursor_->column_count(); }
  std::string_view column_name(std::size_t index) const { return cursor_->column_name(index); }
  bool is_null(std::size_t index) const { return cursor_->is_null(index); }
  value_kind kind(std::size_t index) const { return cursor_->kind(index); }

  /// The cell converted to T: integers, bool, double, std::string, blob,
  /// timestamp, date, or std::optional of any of them.  NULL into a
  /// non-optional T, or an unconvertible cell, throws usage_error naming the column.
  template <class T>
  T get(std::size_t index) const;
  template <class T>
  T get(std::string_view column) const {
    return get<T>(index_of(column));
  }
  /// The cell as a value (a copy).
  value get_value(std::size_t index) const;

  std::size_t index_of(std::string_view column) const;  // throws usage_error if absent
  native_cursor& cursor() const noexcept { return *cursor_; }

 private:
  [[noreturn]] void throw_null(std::size_t index) const;
  [[noreturn]] void throw_out_of_range(std::size_t index, std::int64_t v, std::string_view type) const;
  native_cursor* cursor_;
};

/// The rows of one statement, read once, front to back (an input range).
class RELATE_API result {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = row;
    using difference_type = std::ptrdiff_t;
    using pointer = const row*;
    using reference = const row&;

    iterator() = default;
    explicit iterator(result* owner) : owner_(owner) { advance(); }
    reference operator*() const { return owner_->current_; }
    pointer operator->() const { return &owner_->current_; }
    iterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const iterator& a, const iterator& b) { return a.owner_ == b.owner_; }

   private:
    void advance() {
      if (owner_ && !owner_->cursor_->next()) owner_ = nullptr;
    }
    result* owner_ = nullptr;
  };

  result(std::shared_ptr<detail::pooled_connection> keep_alive, std::unique_ptr<native_cursor> cursor);
  result(result&&) noexcept;
  result& operator=(result&&) noexcept;
  ~result();

  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

  /// Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t rows_affected() const { return cursor_->rows_affected(); }
  std::size_t column_count() const { return cursor_->column_count(); }

  /// The first column of the first row; std::nullopt when there is no row.
  template <class T>
  std::optional<T> scalar() {
    if (!cursor_->next()) return std::nullopt;
    return current_.get<T>(0);
  }
  /// Every row as values (materialises the result).
  std::vector<std::vector<value>> all();

  native_cursor& cursor() noexcept { return *cursor_; }

 private:
  std::shared_ptr<detail::pooled_connection> keep_alive_;
  std::unique_ptr<native_cursor> cursor_;
  row current_;
};

class engine;

/// A connection checked out of an engine's pool.  Move-only; returns to the
/// pool (after rolling back an uncommitted transaction) when destroyed.
class RELATE_API connection {
 public:
  connection(connection&&) noexcept;
  connection& operator=(connection&&) noexcept;
  ~connection();

  /// Raw SQL with positional parameters in the dialect's placeholder style
  /// ("?" on SQLite, "$1" on PostgreSQL).  Begins a transaction if none is open.
  result execute(std::string_view sql, std::initializer_list<value> params = {});
  result execute(std::string_view sql, std::span<const value> params, fetch_mode mode = fetch_mode::buffered);
  /// A statement of the expression tree, compiled by the engine's dialect.
  result execute(const sql::node& statement, fetch_mode mode = fetch_mode::buffered);
  /// Runs the same SQL, which returns no rows, once per parameter set
  /// (executemany) and returns each execution's row count.  On PostgreSQL the
  /// executions go out in a pipeline, without a round trip each.  Throws at
  /// the first that fails: later ones take no effect, earlier ones stay in the
  /// (still open) transaction.
  std::vector<std::int64_t> execute_many(std::string_view sql,
                                         std::span<const std::vector<value>> param_sets);

  /// Begins a transaction explicitly (or a savepoint if one is open) and
  /// returns its guard, which rolls back unless committed.
  transaction begin();
  /// A savepoint inside the current transaction (SQLAlchemy's begin_nested()).
  transaction begin_nested();
  /// Commits / rolls back the transaction begun implicitly or by begin().
  void commit();
  void rollback();
  bool in_transaction() const noexcept;

  /// The kind of transaction this connection begins from now on (isolation
  /// level, read-only, deferrable); starts as the engine's.  Throws
  /// usage_error while a transaction is open: a level cannot change midway.
  void set_transaction_options(const transaction_options& options);
  const transaction_options& get_transaction_options() const;

  /// Returns the connection to the pool now.
  void close();
  bool closed() const noexcept { return !conn_; }

  /// Where the primary's log stood after this connection's last commit of a
  /// read-write transaction, when its engine has replicas: a read after it
  /// (session_options::read_after, connect_for_read) sees that commit.
  /// Empty otherwise.
  relate::read_token read_token() const;

  /// The engine the connection came from: for a connection to a replica, the
  /// replica's engine (same options and listeners, no replicas of its own).
  const engine& get_engine() const;
  const sql::dialect& dialect() const;
  native_connection& native();

 private:
  friend class engine;
  friend class transaction;
  explicit connection(std::shared_ptr<detail::pooled_connection> conn) : conn_(std::move(conn)) {}
  void close_quietly() noexcept;
  std::shared_ptr<detail::pooled_connection> conn_;
};

/// RAII guard for a transaction or savepoint: rolls back when destroyed
/// without commit(), so an exception never leaves half a unit of work behind.
class RELATE_API transaction {
 public:
  transaction(transaction&&) noexcept;
  transaction& operator=(transaction&&) = delete;
  ~transaction();

  void commit();
  void rollback();
  bool is_active() const noexcept { return active_; }

 private:
  friend class connection;
  transaction(std::shared_ptr<detail::pooled_connection> conn, std::string savepoint);
  std::shared_ptr<detail::pooled_connection> conn_;
  std::string savepoint_;         // empty for the outermost transaction
  std::uint64_t generation_ = 0;  // which transaction of the connection an outer guard owns
  bool active_ = true;
};

class RELATE_API engine {
 public:
  /// Checks out a connection (opening one if the pool is empty), from the
  /// primary.
  connection connect() const;
  /// A connection for reading, whose transactions are READ ONLY: from a
  /// healthy replica that has replayed `after` (waiting up to
  /// options().replica_wait for one) and is no further behind than
  /// options().max_replica_lag; from the primary when no replica qualifies
  /// or the engine has none.
  connection connect_for_read(const relate::read_token& after = {}) const;
  /// How many replicas the engine routes reads to (options().replicas).
  std::size_t replica_count() const noexcept;

  const url& get_url() const noexcept;
  const sql::dialect& dialect() const noexcept;
  std::string_view driver_name() const noexcept;
  const std::shared_ptr<spdlog::logger>& logger() const noexcept;
  const engine_options& options() const noexcept;

  /// Statements executed through this engine so far (all connections).
  std::uint64_t statements_executed() const noexcept;
  /// Registers a listener called after every statement; returns an id for remove_listener.
  std::size_t add_listener(statement_listener listener) const;
  /// Registers engine event callbacks (relate/engine_events.hpp); returns an
  /// id for remove_listener.
  std::size_t add_listener(engine_listener listener) const;
  void remove_listener(std::size_t id) const;

  /// Closes the idle pooled connections (checked-out ones close on return).
  void dispose() const;
  /// The pool's counts now: open, idle, checked out, waiting, and its limits.
  relate::pool_status pool_status() const;

 private:
  friend engine create_engine(std::string_view, engine_options);
  /// A read from one replica; nullopt when it cannot serve it now.
  std::optional<connection> connect_to_replica(const std::shared_ptr<detail::engine_state>& replica,
                                               const relate::read_token& after, bool& may_catch_up) const;
  explicit engine(std::shared_ptr<detail::engine_state> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::engine_state> state_;
};

/// Parses the URL, loads the driver plugin its scheme names, and makes an
/// engine.  No connection is opened until the first connect().
RELATE_API engine create_engine(std::string_view url, engine_options options = {});

// ---- row::get ---------------------------------------------------------------

template <class T>
T row::get(std::size_t index) const {
  if constexpr (detail::is_optional<T>::value) {
    if (cursor_->is_null(index)) return std::nullopt;
    return get<typename T::value_type>(index);
  } else {
    if (cursor_->is_null(index)) throw_null(index);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      const auto v = cursor_->get_int64(index);
      if (!detail::fits_in<T>(v))
        throw_out_of_range(index, v, std::is_signed_v<T> ? "signed integer" : "unsigned integer");
      return static_cast<T>(v);
    } else if constexpr (detail::conversion<T>::supported) {
      return detail::conversion<T>::from_cursor(*cursor_, index);
    } else if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(cursor_->get_double(index));
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      return cursor_->get_text(index);
    } else if constexpr (std::is_same_v<T, value>) {
      return get_value(index);
    } else {
      static_assert(sizeof(T) == 0, "relate::row::get<T>: T is not a supported column type");
    }
  }
}

}  // namespace relate
