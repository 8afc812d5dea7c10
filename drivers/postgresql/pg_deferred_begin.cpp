// SPDX-License-Identifier: MIT
// BEGIN sent with the transaction's first statement.  A short transaction
// (one lookup, then COMMIT or ROLLBACK) paid a round trip for BEGIN alone;
// now BEGIN and its SET LOCALs travel with the first statement: in the same
// simple query when it has no parameters, in one pipeline when it has.  The
// server takes the transaction's snapshot at its first statement either way.
//
// And the other end: a READ ONLY transaction that ran only queries is rolled
// back without waiting, in a pipeline of its own; the reply is read when the
// connection is next used -- after the next transaction's BEGIN and first
// statement went out behind it, when that is the next use.
// Such a transaction holds no row locks (PostgreSQL refuses SELECT FOR UPDATE
// in it), so nothing another connection could observe waits on that reply --
// except an advisory lock taken by pg_advisory_xact_lock(), which is released
// a moment after rollback() returns (docs/postgresql.md).
#include "pg_connection.hpp"
#include "pg_errors.hpp"

#include <spdlog/logger.h>

#include <cctype>
#include <utility>

namespace relate::postgresql {

namespace {

// "BEGIN ...; SET LOCAL a = 1; SET LOCAL b = 2" -> its statements.  The text
// is the driver's own (no quoted ';' in it): the extended protocol takes one
// statement per message.
std::vector<std::string> split_statements(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < text.size()) {
    auto end = text.find(';', from);
    if (end == std::string::npos) end = text.size();
    auto part = text.substr(from, end - from);
    const auto first = part.find_first_not_of(' ');
    if (first != std::string::npos) out.push_back(part.substr(first));
    from = end + 1;
  }
  return out;
}

}  // namespace

namespace {

// Whether sql starts with the keyword (any case), as a whole word.
bool starts_with_keyword(std::string_view sql, std::string_view keyword) {
  if (sql.size() < keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(sql[i])) != keyword[i]) return false;
  if (sql.size() == keyword.size()) return true;
  const auto next = static_cast<unsigned char>(sql[keyword.size()]);
  return !std::isalnum(next) && next != '_';
}

}  // namespace

void pg_connection::note_statement(std::string_view sql) noexcept {
  if (!read_only_queries_) return;
  const auto start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return;
  sql.remove_prefix(start);
  if (!starts_with_keyword(sql, "select") && !starts_with_keyword(sql, "with")) read_only_queries_ = false;
}

void pg_connection::read_rollback_reply(bool exit_pipeline) noexcept {
  rollback_in_flight_ = false;
  read_to_sync(
      conn_,
      [&](result_ptr r) {
        if (!succeeded(r.get()) && logger_)
          logger_->warn("postgresql: ROLLBACK of a read-only transaction failed: {}",
                        PQresultErrorMessage(r.get()));
      },
      exit_pipeline);
}

void pg_connection::settle_rollback() noexcept {
  if (rollback_in_flight_) read_rollback_reply(true);
}

bool pg_connection::in_transaction() const {
  return !deferred_begin_.empty() || PQtransactionStatus(conn_) == PQTRANS_INTRANS;
}

void pg_connection::send_deferred_begin() {
  if (deferred_begin_.empty()) return;
  const std::string text = std::exchange(deferred_begin_, {});
  result_ptr result(PQexec(conn_, text.c_str()));
  if (!succeeded(result.get())) throw_error(conn_, result.get(), text);
}

result_ptr pg_connection::begin_and_execute(std::string_view sql, const std::string& name,
                                            const wire_params& wire) {
  const auto begin = split_statements(std::exchange(deferred_begin_, {}));
  // Behind a ROLLBACK in flight the connection is in pipeline mode already
  // (entering it again does nothing), and that ROLLBACK's reply comes first.
  if (!PQenterPipelineMode(conn_)) throw_error(conn_, nullptr, sql);
  bool sent = true;
  for (const auto& statement : begin) {
    sent = PQsendQueryParams(conn_, statement.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 0;
    if (!sent) break;
  }
  sent = sent && send(sql, name, wire) && PQpipelineSync(conn_) != 0;
  if (!sent) {
    settle_rollback();
    PQexitPipelineMode(conn_);
    throw_error(conn_, nullptr, sql);
  }
  if (rollback_in_flight_) read_rollback_reply(false);

  // One result per statement; after an error the rest report
  // PGRES_PIPELINE_ABORTED.
  std::size_t index = 0;  // of the statement whose result comes next
  result_ptr begin_failure, last;
  const bool synced = read_to_sync(conn_, [&](result_ptr r) {
    const auto status = PQresultStatus(r.get());
    if (index++ < begin.size()) {
      if (status != PGRES_COMMAND_OK && status != PGRES_PIPELINE_ABORTED && !begin_failure)
        begin_failure = std::move(r);
    } else {
      last = std::move(r);
    }
  });
  if (begin_failure) throw_error(conn_, begin_failure.get(), begin[0]);
  if (!synced || !last) throw_error(conn_, nullptr, sql);
  return last;
}

}  // namespace relate::postgresql
