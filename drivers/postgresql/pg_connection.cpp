// SPDX-License-Identifier: MIT
#include "pg_connection.hpp"

#include "pg_errors.hpp"
#include "pg_values.hpp"

#include <spdlog/logger.h>

namespace relate::postgresql {

std::string quote_identifier(std::string_view identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

namespace {

spdlog::level::level_enum level_of(std::string_view severity) {
  if (severity == "WARNING") return spdlog::level::warn;
  if (severity == "NOTICE" || severity == "INFO") return spdlog::level::info;
  return spdlog::level::debug;  // DEBUG1..5, LOG
}

// 42P05 for a name this connection never used: the server connection is
// shared with other clients, as behind PgBouncer in transaction mode.
[[noreturn]] void throw_shared_server_connection(const PGresult* failure, std::string_view sql) {
  error_info info;
  info.driver = "postgresql";
  info.sql = std::string(sql);
  info.native_code = "42P05";
  const char* message = PQresultErrorField(failure, PG_DIAG_MESSAGE_PRIMARY);
  info.native_message = std::string(message ? message : "prepared statement already exists") +
                        " (the server connection is shared with other clients, as behind a pooler such as "
                        "PgBouncer in transaction mode: turn prepared statements off with "
                        "?prepared_statements=false in the URL or engine_options::prepared_statements)";
  throw programming_error(std::move(info));
}

[[noreturn]] void throw_connect_error(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  error_info info;
  info.driver = "postgresql";
  info.native_message = "cannot connect to PostgreSQL: " + message;
  throw operational_error(std::move(info));
}

// Sent once per connection: results are decoded as ISO text in UTC (so a
// timestamptz reads back as the same instant whatever the server's zone),
// intervals in the style pg_values.cpp parses, and floats print with full
// precision on servers older than 12.
constexpr const char* session_setup =
    "SET DateStyle = 'ISO'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3";

constexpr const char* local_session_setup =
    "; SET LOCAL DateStyle = 'ISO'; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'postgres'; "
    "SET LOCAL extra_float_digits = 3";

// "; SET [LOCAL] statement_timeout = 250; ..." for the timeouts that are set.
std::string timeout_settings(const connect_options& options, std::string_view scope) {
  std::string text;
  auto add = [&](std::string_view name, std::chrono::milliseconds limit) {
    if (limit.count() > 0)
      text += "; SET " + std::string(scope) + std::string(name) + " = " + std::to_string(limit.count());
  };
  add("statement_timeout", options.statement_timeout);
  add("lock_timeout", options.lock_timeout);
  return text;
}

std::string begin_statement(const transaction_options& options) {
  std::string text = "BEGIN";
  switch (options.isolation) {
    case isolation_level::read_committed:
      text += " ISOLATION LEVEL READ COMMITTED";
      break;
    case isolation_level::repeatable_read:
      text += " ISOLATION LEVEL REPEATABLE READ";
      break;
    case isolation_level::serializable:
      text += " ISOLATION LEVEL SERIALIZABLE";
      break;
    case isolation_level::database_default:
    case isolation_level::autocommit:
      break;
  }
  if (options.read_only) text += (text.size() > 5 ? "," : "") + std::string(" READ ONLY");
  if (options.deferrable) text += (text.size() > 5 ? "," : "") + std::string(" DEFERRABLE");
  return text;
}

}  // namespace

pg_connection::pg_connection(const url& target, const connect_options& options,
                             std::size_t statement_cache_size)
    : logger_(options.logger),
      statements_(statement_cache_size),
      prepare_(prepared_statements_enabled(target, options)),
      timeouts_(timeout_settings(options, "LOCAL ")) {
  // Behind a transaction pooler (the reason to turn prepared statements off)
  // a SET at connect reaches one server connection only: every transaction
  // repeats the settings results are decoded with, locally to itself.
  if (!prepare_) timeouts_ = local_session_setup + timeouts_;
  const conninfo info = build_conninfo(target, options);
  if (logger_) logger_->debug("postgresql: connecting with {}", info.describe());
  const auto keywords = info.keywords();
  const auto values = info.values();
  conn_ = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/0);
  if (!conn_) throw_connect_error("out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names host, port and user but never the password.
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw_connect_error(std::move(message));
  }
  PQsetNoticeReceiver(conn_, &pg_connection::on_notice, this);
  try {
    // Behind a pooler a session-level SET would stay on the server connection
    // and reach other clients: there the timeouts go with each BEGIN only.
    exec_simple(session_setup + (prepare_ ? timeout_settings(options, "") : std::string()));
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

pg_connection::~pg_connection() {
  for (pg_cursor* stream : open_streams_) stream->connection_closed();
  if (conn_) PQfinish(conn_);
}

void pg_connection::on_notice(void* self, const PGresult* notice) {
  auto* connection = static_cast<pg_connection*>(self);
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
  const char* code = PQresultErrorField(notice, PG_DIAG_SQLSTATE);
  // libpq hands a FATAL message that arrives while the connection is idle
  // (idle_in_transaction_session_timeout, an administrator's termination)
  // to the notice receiver: keep it, it says why the connection is gone.
  if (severity && (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC")) {
    connection->fatal_code_ = code ? code : "";
    connection->fatal_message_ = message ? message : "";
  }
  if (!connection->logger_) return;
  connection->logger_->log(level_of(severity ? severity : ""), "postgresql {} [{}]: {}",
                           severity ? severity : "NOTICE", code ? code : "", message ? message : "");
}

void pg_connection::check_usable(std::string_view sql, bool settle) {
  if (settle) settle_rollback();
  // Copied: buffer_rest() takes the stream off the list.
  for (pg_cursor* stream : std::vector<pg_cursor*>(open_streams_))
    if (!stream->reads_server_cursor()) stream->buffer_rest();
  // Read what the server sent while the connection was idle: a FATAL
  // message before it closed the connection reaches on_notice now, while it
  // can still be read (once a statement is written into the closed socket,
  // the reset discards it and libpq knows only that the server went away).
  if (is_open() && PQconsumeInput(conn_)) PQisBusy(conn_);
  if (!is_open()) {
    error_info info;
    info.driver = "postgresql";
    info.sql = std::string(sql);
    info.native_message = "the connection to the server is closed";
    if (!fatal_code_.empty()) {
      info.native_code = fatal_code_;
      info.native_message += ": " + fatal_message_;
    }
    throw operational_error(std::move(info));
  }
}

result_ptr pg_connection::exec_simple(std::string_view sql) {
  check_usable(sql);
  std::string text(sql);
  // One simple query: PQexec returns the last statement's result, or the
  // first error (the statements after it do not run).  The error names the
  // caller's statement; the server's message says when BEGIN was the cause.
  if (!deferred_begin_.empty()) text = std::exchange(deferred_begin_, {}) + "; " + text;
  result_ptr result(PQexec(conn_, text.c_str()));
  if (!succeeded(result.get())) throw_error(conn_, result.get(), sql);
  return result;
}

void pg_connection::deallocate(const std::string& name) {
  // DEALLOCATE fails inside a failed transaction: keep it for later then.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    pending_deallocations_.push_back(name);
    return;
  }
  result_ptr result(PQexec(conn_, ("DEALLOCATE " + quote_identifier(name)).c_str()));
  if (!succeeded(result.get()) && logger_)
    logger_->debug("postgresql: DEALLOCATE {} failed: {}", name, PQerrorMessage(conn_));
}

void pg_connection::flush_deallocations() {
  if (pending_deallocations_.empty()) return;
  settle_rollback();
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) return;
  auto names = std::move(pending_deallocations_);
  pending_deallocations_.clear();
  for (const auto& name : names) deallocate(name);
}

std::string pg_connection::prepared(const std::string& key, std::string_view sql,
                                    const std::vector<Oid>& types) {
  if (!prepare_) return {};
  if (const std::string* name = statements_.find(key)) return *name;
  settle_rollback();  // PQprepare waits for its reply: the connection must be idle
  std::string name = statements_.next_name();
  const std::string text(sql);
  result_ptr result(
      PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
  if (!succeeded(result.get())) {
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    if (state && std::string_view(state) == "42P05") throw_shared_server_connection(result.get(), sql);
    throw_error(conn_, result.get(), sql);
  }
  if (auto evicted = statements_.insert(key, name)) deallocate(*evicted);
  return name;
}

std::string pg_connection::statement_key(std::string_view sql, const std::vector<Oid>& types) {
  std::string key(sql);
  key.push_back('\0');
  for (Oid type : types) key += std::to_string(type) + ',';
  return key;
}

void pg_connection::forget_if_stale(const std::string& key, const std::string& name,
                                    const PGresult* failure) {
  const char* state = failure ? PQresultErrorField(failure, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state ? state : "";
  if (sqlstate == "26000" || sqlstate == "0A000") statements_.erase(key);
  if (sqlstate == "0A000") deallocate(name);  // still exists on the server
}

std::unique_ptr<native_cursor> pg_connection::execute(std::string_view sql, std::span<const value> params,
                                                      fetch_mode mode) {
  // A transaction's first statement with parameters goes out with its BEGIN
  // in one pipeline (begin_and_execute) -- behind a read-only ROLLBACK not
  // yet answered, if there is one; anything else waits for that reply.
  const bool with_begin = mode == fetch_mode::buffered && !params.empty() && !deferred_begin_.empty();
  check_usable(sql, !with_begin);
  flush_deallocations();
  note_statement(sql);

  // Streams read a server-side cursor where the query allows one and a
  // transaction is open to hold it, so other statements can run between rows.
  const bool cursor = mode == fetch_mode::streamed && in_transaction() && fits_in_cursor(sql);
  if (params.empty()) {
    if (mode == fetch_mode::buffered) return std::make_unique<pg_cursor>(exec_simple(sql));
    send_deferred_begin();
    if (cursor) return declare_cursor(sql, nullptr);
    if (!PQsendQuery(conn_, std::string(sql).c_str())) throw_error(conn_, nullptr, sql);
  } else {
    const wire_params wire = encode_params(params, sql);
    const std::string key = statement_key(sql, wire.types);
    const std::string name = cursor ? std::string() : prepared(key, sql, wire.types);
    if (with_begin) {
      auto result = begin_and_execute(sql, name, wire);
      if (!succeeded(result.get())) {
        if (!name.empty()) forget_if_stale(key, name, result.get());
        throw_error(conn_, result.get(), sql);
      }
      return std::make_unique<pg_cursor>(std::move(result));
    }
    send_deferred_begin();
    if (cursor) return declare_cursor(sql, &wire);

    if (mode == fetch_mode::buffered) {
      result_ptr result(
          name.empty() ? PQexecParams(conn_, std::string(sql).c_str(), wire.count(), wire.types.data(),
                                      wire.values.data(), wire.lengths.data(), wire.formats.data(),
                                      /*resultFormat=text*/ 0)
                       : PQexecPrepared(conn_, name.c_str(), wire.count(), wire.values.data(),
                                        wire.lengths.data(), wire.formats.data(), /*resultFormat=text*/ 0));
      if (!succeeded(result.get())) {
        if (!name.empty()) forget_if_stale(key, name, result.get());
        throw_error(conn_, result.get(), sql);
      }
      return std::make_unique<pg_cursor>(std::move(result));
    }
    if (!send(sql, name, wire)) throw_error(conn_, nullptr, sql);
  }
  if (!PQsetSingleRowMode(conn_)) {
    // Only fails if the query could not be sent; the result says why.
    result_ptr result(PQgetResult(conn_));
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    throw_error(conn_, result.get(), sql);
  }
  return std::make_unique<pg_cursor>(*this, std::string(sql));
}

std::unique_ptr<native_cursor> pg_connection::declare_cursor(std::string_view sql, const wire_params* wire) {
  const std::string name = "relate_cursor_" + std::to_string(++cursor_counter_);
  const std::string declare =
      "DECLARE " + quote_identifier(name) + " NO SCROLL CURSOR FOR " + std::string(sql);
  // Unnamed statement: a cursor is declared once, so preparing it would only
  // fill the statement cache.
  result_ptr result(wire ? PQexecParams(conn_, declare.c_str(), wire->count(), wire->types.data(),
                                        wire->values.data(), wire->lengths.data(), wire->formats.data(), 0)
                         : PQexec(conn_, declare.c_str()));
  if (!succeeded(result.get())) throw_error(conn_, result.get(), sql);
  return std::make_unique<pg_cursor>(*this, std::string(sql), name, savepoints_.size());
}

void pg_connection::close_cursor_quietly(const std::string& name) noexcept {
  if (!is_open() || PQtransactionStatus(conn_) != PQTRANS_INTRANS) return;
  try {
    check_usable("CLOSE");
  } catch (...) {
    return;
  }
  result_ptr result(PQexec(conn_, ("CLOSE " + quote_identifier(name)).c_str()));
  if (!succeeded(result.get()) && logger_)
    logger_->debug("postgresql: CLOSE {} failed: {}", name, PQerrorMessage(conn_));
}

void pg_connection::cursors_ended(std::size_t from_depth, std::string_view how) noexcept {
  for (pg_cursor* stream : open_streams_)
    if (stream->reads_server_cursor() && stream->savepoint_depth() >= from_depth)
      stream->transaction_ended(how);
}

bool pg_connection::send(std::string_view sql, const std::string& name, const wire_params& wire) {
  if (name.empty())
    return PQsendQueryParams(conn_, std::string(sql).c_str(), wire.count(), wire.types.data(),
                             wire.values.data(), wire.lengths.data(), wire.formats.data(), 0) != 0;
  return PQsendQueryPrepared(conn_, name.c_str(), wire.count(), wire.values.data(), wire.lengths.data(),
                             wire.formats.data(), 0) != 0;
}

void pg_connection::begin(const transaction_options& options) {
  // Nothing is sent yet: a ROLLBACK in flight is read with the first statement.
  check_usable("BEGIN", false);
  deferred_begin_ = begin_statement(options) + timeouts_;
  read_only_queries_ = options.read_only;
  savepoints_.clear();
}

void pg_connection::commit() {
  // A connection already known to be broken never received COMMIT: its
  // transaction is gone, and that is an ordinary operational_error.
  check_usable("COMMIT");
  cursors_ended(0, "the transaction ended (COMMIT)");
  savepoints_.clear();
  // Begun and never used: the server knows of no transaction to commit.
  if (!std::exchange(deferred_begin_, {}).empty()) return;
  result_ptr result;
  try {
    result = exec_simple("COMMIT");
  } catch (const operational_error& e) {
    // COMMIT went out (or was about to) and the connection broke before its
    // answer: whether the server committed cannot be known from here.
    if (is_open()) throw;
    error_info info = e.info();
    info.kind = error_kind::commit_outcome_unknown;
    info.retryable = false;
    info.native_message =
        "the connection was lost during COMMIT; the transaction may or may not have "
        "been committed (" +
        info.native_message + ")";
    throw commit_outcome_unknown_error(std::move(info));
  }
  // COMMIT of a transaction in which a statement failed succeeds with the
  // tag ROLLBACK: report it, or the caller would believe its work was saved.
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    // The caller (the engine) still holds the transaction open after a
    // failed commit, as it must for databases where a failed COMMIT leaves
    // it open.  Open a new one so that what it runs next is not silently
    // autocommitted, and its rollback() still means something.
    exec_simple("BEGIN");
    error_info info;
    info.driver = "postgresql";
    info.sql = "COMMIT";
    info.native_code = "25P02";
    info.native_message = "the transaction was rolled back, not committed: a statement in it had failed";
    throw_database_error(error_category::database, std::move(info));
  }
}

void pg_connection::rollback() {
  cursors_ended(0, "the transaction ended (ROLLBACK)");
  savepoints_.clear();
  if (!std::exchange(deferred_begin_, {}).empty()) return;  // nothing was sent
  if (std::exchange(read_only_queries_, false) && open_streams_.empty() && is_open() &&
      PQtransactionStatus(conn_) != PQTRANS_ACTIVE) {
    // In a pipeline of its own, so that the next transaction's first
    // statement can be queued behind it without reading its reply first.
    const bool sent = PQenterPipelineMode(conn_) &&
                      PQsendQueryParams(conn_, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0) &&
                      PQpipelineSync(conn_);
    if (!sent) {
      PQexitPipelineMode(conn_);
      throw_error(conn_, nullptr, "ROLLBACK");
    }
    rollback_in_flight_ = true;
    return;
  }
  exec_simple("ROLLBACK");
}

namespace {

// The index of the innermost savepoint called name, or size() if none.
std::size_t find_savepoint(const std::vector<std::string>& savepoints, std::string_view name) {
  for (std::size_t i = savepoints.size(); i-- > 0;)
    if (savepoints[i] == name) return i;
  return savepoints.size();
}

}  // namespace

void pg_connection::savepoint(std::string_view name) {
  exec_simple("SAVEPOINT " + quote_identifier(name));
  savepoints_.emplace_back(name);
}

void pg_connection::release_savepoint(std::string_view name) {
  exec_simple("RELEASE SAVEPOINT " + quote_identifier(name));
  // The cursors opened inside it now belong to the enclosing level.
  const std::size_t at = find_savepoint(savepoints_, name);
  if (at == savepoints_.size()) return;
  for (pg_cursor* stream : open_streams_) stream->lower_savepoint_depth(at);
  savepoints_.resize(at);
}

void pg_connection::rollback_to_savepoint(std::string_view name) {
  exec_simple("ROLLBACK TO SAVEPOINT " + quote_identifier(name));
  // The savepoint stays; what was opened inside it is gone.
  const std::size_t at = find_savepoint(savepoints_, name);
  if (at == savepoints_.size()) return;
  cursors_ended(at + 1, "the savepoint it was opened in was rolled back");
  savepoints_.resize(at + 1);
}

bool pg_connection::is_open() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

bool pg_connection::reset() {
  deferred_begin_.clear();  // never sent: nothing to end on the server
  // The ROLLBACK on its way ends the transaction; its reply is read by the
  // connection's next user, who need not wait for it.
  if (rollback_in_flight_) return is_open();
  // Copied: buffer_rest() takes the stream off the list.
  for (pg_cursor* stream : std::vector<pg_cursor*>(open_streams_))
    if (!stream->reads_server_cursor()) stream->buffer_rest();
  if (!is_open()) return false;
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_IDLE:
      return true;
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR: {
      // A transaction begun by raw SQL behind the engine's back, or one left
      // failed: rolled back here, never handed to the next user.
      cursors_ended(0, "the transaction ended (ROLLBACK)");
      savepoints_.clear();
      result_ptr result(PQexec(conn_, "ROLLBACK"));
      return succeeded(result.get()) && PQtransactionStatus(conn_) == PQTRANS_IDLE;
    }
    default:  // a command still running, or a broken connection
      return false;
  }
}

bool pg_connection::ping() {
  settle_rollback();
  for (pg_cursor* stream : std::vector<pg_cursor*>(open_streams_))
    if (!stream->reads_server_cursor()) stream->buffer_rest();
  if (!is_open()) return false;
  // An empty query is a full round trip that parses nothing and works even
  // inside a failed transaction.
  result_ptr result(PQexec(conn_, ""));
  return succeeded(result.get()) && is_open();
}

}  // namespace relate::postgresql
