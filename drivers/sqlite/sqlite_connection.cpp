// SPDX-License-Identifier: MIT
#include "sqlite_connection.hpp"

#include "sqlite_binding.hpp"
#include "sqlite_cursor.hpp"
#include "sqlite_errors.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <filesystem>
#include <span>
#include <utility>

namespace relate::sqlite {
namespace {

// URI parameters SQLite itself understands (https://sqlite.org/uri.html).
constexpr std::array<std::string_view, 7> uri_parameters = {"vfs",    "mode",      "cache", "psow",
                                                            "nolock", "immutable", "modeof"};
constexpr std::array<std::string_view, 5> driver_parameters = {"timeout", "transaction_mode", "foreign_keys",
                                                               "journal_mode", "statement_cache_size"};
constexpr std::array<std::string_view, 6> journal_modes = {"delete", "truncate", "persist",
                                                           "memory", "wal",      "off"};

template <std::size_t N>
bool one_of(std::string_view v, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string known_options() {
  std::string out;
  for (auto list : {std::span<const std::string_view>(uri_parameters),
                    std::span<const std::string_view>(driver_parameters)}) {
    for (auto name : list) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

[[noreturn]] void bad_url(const url& target, const std::string& what) {
  throw url_error("invalid SQLite URL '" + target.str() + "': " + what);
}

bool parse_flag(const url& target, std::string_view key, std::string_view text) {
  const std::string v = lower(text);
  if (v == "1" || v == "on" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "off" || v == "false" || v == "no") return false;
  bad_url(target, std::string(key) + "=" + std::string(text) + " is not a boolean (on/off, true/false, 1/0)");
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// Says in words why sqlite3_open_v2 failed: SQLite's own "unable to open
// database file" does not tell a missing directory from a read-only one.
std::string explain_open_failure(const open_settings& s) {
  namespace fs = std::filesystem;
  const std::string what = "cannot open SQLite database '" + s.path + "'";
  if (s.in_memory) return "cannot open the in-memory SQLite database";
  std::error_code ec;
  const fs::path file(s.path);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::exists(dir, ec)) return what + ": directory '" + dir.string() + "' does not exist";
  if (!fs::is_directory(dir, ec)) return what + ": '" + dir.string() + "' is not a directory";
  if (fs::is_directory(file, ec)) return what + ": it is a directory";
  if (!fs::exists(file, ec)) {
    if (s.read_only)
      return what + ": the file does not exist, and a read-only open (mode=ro) does not create it";
    if (s.mode == "rw") return what + ": the file does not exist, and mode=rw does not create it";
    if (::access(dir.c_str(), W_OK) != 0) {
      return what + ": the file does not exist and directory '" + dir.string() + "' is not writable";
    }
  } else if (::access(file.c_str(), R_OK) != 0) {
    return what + ": the file is not readable";
  }
  return what;
}

[[noreturn]] void misuse(std::string_view sql, std::string message) {
  error_info info;
  info.driver = "sqlite";
  info.sql = std::string(sql);
  info.native_message = std::move(message);
  throw_database_error(error_category::programming, std::move(info));
}

// Steps a statement whose rows nobody reads (BEGIN, PRAGMA, a script's
// earlier statements) to its end.
void step_to_end(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) throw_error(db, sqlite3_extended_errcode(db), sql);
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    }
  }
  return out;
}

open_settings open_settings::from_url(const url& target, const connect_options& options) {
  if (!target.host().empty()) {
    bad_url(target, "a SQLite URL has no host; write sqlite:///relative.db or sqlite:////absolute/path.db");
  }
  if (target.username() || target.password() || target.port()) {
    bad_url(target, "a SQLite URL takes no user, password or port");
  }

  open_settings s;
  s.busy_timeout = options.busy_timeout;
  s.path = target.database();
  s.in_memory = s.path.empty() || s.path == ":memory:";
  if (s.path == ":memory:") s.path.clear();

  std::string uri_query;
  for (const auto& [key, text] : target.query()) {
    if (one_of(key, uri_parameters)) {
      if (key == "mode") {
        s.mode = lower(text);
        if (s.mode != "ro" && s.mode != "rw" && s.mode != "rwc" && s.mode != "memory") {
          bad_url(target, "mode=" + text + " is not one of ro, rw, rwc, memory");
        }
        if (s.mode == "ro") s.read_only = true;
        if (s.mode == "memory") s.in_memory = true;
      } else if (key == "cache" && text != "shared" && text != "private") {
        bad_url(target, "cache=" + text + " is not one of shared, private");
      } else if (key == "immutable" && parse_flag(target, key, text)) {
        s.read_only = true;
      }
      uri_query += (uri_query.empty() ? "?" : "&") + uri_encode(key, false) + "=" + uri_encode(text, false);
    } else if (key == "timeout") {
      double seconds = -1;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      if (ec != std::errc{} || end != text.data() + text.size() || !(seconds >= 0) ||
          seconds > 86400.0 * 365) {
        bad_url(target, "timeout=" + text + " is not a number of seconds");
      }
      s.busy_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + 0.5));
    } else if (key == "transaction_mode") {
      const std::string v = lower(text);
      if (v == "deferred") {
        s.begin_mode = transaction_mode::deferred;
      } else if (v == "immediate") {
        s.begin_mode = transaction_mode::immediate;
      } else if (v == "exclusive") {
        s.begin_mode = transaction_mode::exclusive;
      } else {
        bad_url(target, "transaction_mode=" + text + " is not one of deferred, immediate, exclusive");
      }
    } else if (key == "foreign_keys") {
      s.foreign_keys = parse_flag(target, key, text);
    } else if (key == "journal_mode") {
      const std::string v = lower(text);
      if (!one_of(v, journal_modes))
        bad_url(target,
                "journal_mode=" + text + " is not one of delete, truncate, persist, memory, wal, off");
      s.journal_mode = v;
    } else if (key == "statement_cache_size") {
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc{} || end != text.data() + text.size()) {
        bad_url(target, "statement_cache_size=" + text + " is not a count");
      }
      s.statement_cache_size = n;
    } else {
      bad_url(target, "unknown option '" + key + "' (known: " + known_options() + ")");
    }
  }

  if (s.in_memory && s.path.empty()) {
    s.uri = "file::memory:";
  } else if (!s.path.empty() && s.path.front() == '/') {
    s.uri = "file://" + uri_encode(s.path, true);  // empty authority: "file:///abs/path.db"
  } else {
    s.uri = "file:" + uri_encode(s.path, true);
  }
  s.uri += uri_query;
  return s;
}

sqlite_connection::sqlite_connection(const url& target, const connect_options& options)
    : settings_(open_settings::from_url(target, options)), logger_(options.logger) {
  open(options);
}

void sqlite_connection::open(const connect_options&) {
  const int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX |
                    (settings_.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(settings_.uri.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const int code = db_ ? sqlite3_extended_errcode(db_) : rc;
    error_info info = make_error_info(db_, code, "");
    info.native_message = explain_open_failure(settings_) + " (" + info.native_message + ")";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw_database_error(error_category::operational, std::move(info));
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_,
                         static_cast<int>(std::min<std::int64_t>(settings_.busy_timeout.count(), INT32_MAX)));
    cache_ = std::make_shared<statement_cache>(db_, settings_.statement_cache_size);
    run(settings_.foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    if (settings_.journal_mode) run("PRAGMA journal_mode = " + *settings_.journal_mode);
  } catch (...) {
    cache_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
  if (logger_) {
    logger_->debug("sqlite: opened {} (SQLite {}, busy timeout {} ms)",
                   settings_.in_memory ? std::string("in-memory database") : "'" + settings_.path + "'",
                   sqlite3_libversion(), settings_.busy_timeout.count());
  }
}

sqlite_connection::~sqlite_connection() {
  if (!db_) return;
  // Statements still leased to live cursors keep the handle alive: close_v2
  // finishes closing when the last of them is finalized.
  cache_->clear();
  cache_.reset();
  sqlite3_close_v2(db_);
  if (logger_)
    logger_->debug("sqlite: closed {}",
                   settings_.in_memory ? std::string("in-memory database") : "'" + settings_.path + "'");
}

void sqlite_connection::run(std::string_view sql) {
  statement_lease stmt = cache_->acquire(sql);
  if (stmt) step_to_end(db_, stmt.get(), sql);
}

std::unique_ptr<native_cursor> sqlite_connection::execute(std::string_view sql, std::span<const value> params,
                                                          fetch_mode mode) {
  if (!db_) throw usage_error("the SQLite connection is closed");
  // A read-only transaction's PRAGMA query_only stays set after it ends, so
  // that the next read-only one (a session per request) sets nothing; a
  // statement outside any transaction runs as on any connection.
  if (query_only_ && sqlite3_get_autocommit(db_)) {
    run("PRAGMA query_only = 0");
    query_only_ = false;
  }
  statement_lease stmt = cache_->acquire(sql);

  // Several statements in one text (a script, e.g. a schema dump) run one
  // after the other; the cursor is the last one's.  Parameters would be
  // ambiguous across statements, so a script takes none.
  while (!stmt.tail().empty()) {
    if (!params.empty()) {
      misuse(sql, "the SQL holds more than one statement; a script cannot take parameters");
    }
    // Each statement runs before the next is prepared: it may use a table
    // the previous one created.
    if (stmt) step_to_end(db_, stmt.get(), sqlite3_sql(stmt.get()));
    const std::string rest(stmt.tail());
    stmt.release();
    stmt = cache_->acquire(rest);
    // SQLite reads SQL up to a NUL byte and no further: without progress the
    // rest would be prepared again forever.  (The engine refuses such text
    // before it reaches a driver; this keeps the driver safe on its own.)
    if (stmt.tail().size() >= rest.size()) misuse(sql, "the SQL text contains a NUL byte");
  }
  if (!stmt) {
    if (!params.empty()) misuse(sql, "the SQL holds no statement, but parameters were given");
    return sqlite_cursor::empty();
  }

  bind_parameters(
      db_, stmt.get(), params,
      mode == fetch_mode::buffered ? binding_lifetime::outlives_statement : binding_lifetime::copy);
  const std::int64_t changes_before = sqlite3_total_changes64(db_);
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_error(db_, sqlite3_extended_errcode(db_), sql);
  if (mode == fetch_mode::buffered) return sqlite_cursor::buffered(db_, std::move(stmt), rc, changes_before);
  return sqlite_cursor::streamed(db_, std::move(stmt), rc, changes_before);
}

void sqlite_connection::begin(const transaction_options& options) {
  if (options.read_only != query_only_) {
    run(options.read_only ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
    query_only_ = options.read_only;
  }
  switch (settings_.begin_mode) {
    case transaction_mode::deferred:
      run("BEGIN");
      break;
    case transaction_mode::immediate:
      run("BEGIN IMMEDIATE");
      break;
    case transaction_mode::exclusive:
      run("BEGIN EXCLUSIVE");
      break;
  }
}

void sqlite_connection::commit() { run("COMMIT"); }

void sqlite_connection::rollback() {
  // SQLite rolls back on its own after some errors (SQLITE_FULL, IOERR, a
  // failed COMMIT ...); rolling back again would fail with "no transaction is active".
  if (sqlite3_get_autocommit(db_)) return;
  run("ROLLBACK");
}

void sqlite_connection::savepoint(std::string_view name) { run("SAVEPOINT " + quote_identifier(name)); }

void sqlite_connection::release_savepoint(std::string_view name) {
  run("RELEASE SAVEPOINT " + quote_identifier(name));
}

void sqlite_connection::rollback_to_savepoint(std::string_view name) {
  run("ROLLBACK TO SAVEPOINT " + quote_identifier(name));
}

bool sqlite_connection::reset() {
  if (!db_) return false;
  try {
    if (!sqlite3_get_autocommit(db_)) run("ROLLBACK");
    return true;  // PRAGMA query_only, if set, is undone when a statement needs it undone (execute, begin)
  } catch (const std::exception&) {
    return false;
  }
}

bool sqlite_connection::ping() {
  if (!db_) return false;
  try {
    run("SELECT 1");
    return true;
  } catch (const database_error&) {
    return false;
  }
}

}  // namespace relate::sqlite
