// SPDX-License-Identifier: MIT
// One SQLite database connection: opening the file a URL names, running
// statements through the prepared-statement cache, transactions and savepoints.
//
// URL mapping (SQLAlchemy's spelling):
//   sqlite:///rel.db         -> rel.db relative to the working directory
//   sqlite:////abs/path.db   -> /abs/path.db
//   sqlite://, sqlite:///:memory:  -> a private in-memory database
// Query parameters:
//   SQLite URI parameters, passed on in a percent-encoded file: URI:
//     mode=ro|rw|rwc|memory, cache=shared|private, immutable=1, nolock=1, psow=0|1, vfs=NAME, modeof=FILE
//   handled by the driver:
//     timeout=SECONDS        busy timeout (overrides connect_options::busy_timeout), fractions allowed
//     transaction_mode=deferred|immediate|exclusive
//                            how begin() starts a transaction.  The default, deferred (plain BEGIN),
//                            takes the write lock at the first write; a reader that later writes can
//                            then fail with SQLITE_BUSY at once, without waiting.  immediate takes the
//                            write lock at BEGIN (waiting up to the busy timeout), which is what
//                            read-modify-write loops across several connections need.
//     foreign_keys=on|off    PRAGMA foreign_keys (on by default, unlike SQLite's own default)
//     journal_mode=delete|truncate|persist|memory|wal|off
//     statement_cache_size=N prepared statements kept per connection (default 64, 0 disables the cache)
// Any other parameter is a url_error: a typo must not be ignored silently.
#pragma once

#include "sqlite_statement_cache.hpp"

#include <relate/driver/driver.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace relate::sqlite {

enum class transaction_mode { deferred, immediate, exclusive };

/// What a URL and the connect options ask for, before anything is opened.
struct open_settings {
  std::string uri;   // the file: URI given to sqlite3_open_v2
  std::string path;  // the file path as given ("" for in-memory)
  std::string mode;  // the URI's mode parameter, lower case ("" when absent)
  bool in_memory = false;
  bool read_only = false;  // mode=ro or immutable=1: never create the file
  std::chrono::milliseconds busy_timeout{5'000};
  transaction_mode begin_mode = transaction_mode::deferred;
  bool foreign_keys = true;
  std::optional<std::string> journal_mode;
  std::size_t statement_cache_size = 64;

  /// Throws url_error for a URL the SQLite driver cannot serve.
  static open_settings from_url(const url& target, const connect_options& options);
};

/// Percent-encodes text for a SQLite file: URI (keeps '/' when keep_slash).
std::string uri_encode(std::string_view text, bool keep_slash);

class sqlite_connection final : public native_connection {
 public:
  sqlite_connection(const url& target, const connect_options& options);
  ~sqlite_connection() override;
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  std::unique_ptr<native_cursor> execute(std::string_view sql, std::span<const value> params,
                                         fetch_mode mode) override;

  /// SQLite's transactions are serializable whatever level is asked for
  /// (a stronger guarantee than each); read_only sets PRAGMA query_only.
  void begin(const transaction_options& options) override;
  void commit() override;
  void rollback() override;
  void savepoint(std::string_view name) override;
  void release_savepoint(std::string_view name) override;
  void rollback_to_savepoint(std::string_view name) override;

  bool is_open() const override { return db_ != nullptr; }
  bool ping() override;
  bool reset() override;

  /// The raw handle, for the driver's own tests and diagnostics.
  sqlite3* handle() const noexcept { return db_; }
  const open_settings& settings() const noexcept { return settings_; }
  statement_cache::stats cache_statistics() const noexcept { return cache_->statistics(); }

 private:
  void open(const connect_options& options);
  /// Runs a statement without parameters or rows (BEGIN, PRAGMA, ...).
  void run(std::string_view sql);

  open_settings settings_;
  std::shared_ptr<spdlog::logger> logger_;
  sqlite3* db_ = nullptr;
  std::shared_ptr<statement_cache> cache_;
  bool query_only_ = false;  // PRAGMA query_only as last set
};

}  // namespace relate::sqlite
