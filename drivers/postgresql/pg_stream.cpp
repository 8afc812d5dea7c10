// SPDX-License-Identifier: MIT
// Streamed results (see pg_cursor.hpp): a server-side cursor read in FETCH
// batches, or a single-row-mode result that is read into memory, never
// dropped, when the connection must run another statement before its end.
#include "pg_connection.hpp"
#include "pg_cursor.hpp"
#include "pg_errors.hpp"

#include <cctype>

namespace relate::postgresql {

bool fits_in_cursor(std::string_view sql) noexcept {
  // DECLARE takes one SELECT, VALUES or TABLE query without data-modifying
  // parts; anything else (or a word that might be one) streams in single-row
  // mode.  A false "no" costs only memory if the stream is interleaved.
  std::string upper;
  upper.reserve(sql.size());
  for (char c : sql) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  const auto word_at = [&](std::size_t at, std::string_view word) {
    const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    return upper.compare(at, word.size(), word) == 0 && (at == 0 || !is_word(upper[at - 1])) &&
           (at + word.size() >= upper.size() || !is_word(upper[at + word.size()]));
  };
  std::size_t start = upper.find_first_not_of(" \t\r\n(");
  if (start == std::string::npos || upper.find(';') != std::string::npos) return false;
  if (!word_at(start, "SELECT") && !word_at(start, "VALUES") && !word_at(start, "TABLE") &&
      !word_at(start, "WITH"))
    return false;
  for (std::string_view bad : {"INSERT", "UPDATE", "DELETE", "MERGE", "INTO"})
    for (auto at = upper.find(bad); at != std::string::npos; at = upper.find(bad, at + 1))
      if (word_at(at, bad)) return false;
  return true;
}

pg_cursor::pg_cursor(pg_connection& owner, std::string sql)
    : streamed_(true), owner_(&owner), sql_(std::move(sql)) {
  owner.open_streams_.push_back(this);
  result_ptr first(PQgetResult(owner.handle()));
  if (first && PQresultStatus(first.get()) == PGRES_SINGLE_TUPLE) {
    meta_ = std::move(first);
    pending_first_row_ = true;
    return;
  }
  end_stream(std::move(first));  // no rows (or an error, thrown from here)
}

pg_cursor::pg_cursor(pg_connection& owner, std::string sql, std::string name, std::size_t savepoint_depth)
    : streamed_(true),
      owner_(&owner),
      sql_(std::move(sql)),
      cursor_name_(std::move(name)),
      savepoint_depth_(savepoint_depth) {
  owner.open_streams_.push_back(this);
  try {
    fetch();
  } catch (...) {
    detach();
    throw;
  }
}

pg_cursor::~pg_cursor() {
  if (!owner_) return;
  if (reads_server_cursor()) {
    if (!server_closed_) owner_->close_cursor_quietly(cursor_name_);
  } else {
    // Read and discard the rest, so the connection can run the next statement.
    while (PGresult* rest = PQgetResult(owner_->handle())) PQclear(rest);
  }
  detach();
}

void pg_cursor::detach() noexcept {
  if (!owner_) return;
  std::erase(owner_->open_streams_, this);
  owner_ = nullptr;
}

void pg_cursor::connection_closed() noexcept {
  owner_ = nullptr;
  server_closed_ = true;
  if (!reads_server_cursor()) buffered_ = true;  // what was not read is lost: say so on the next read
  if (gone_reason_.empty()) gone_reason_ = "the connection was closed before all its rows were read";
}

void pg_cursor::transaction_ended(std::string_view how) noexcept {
  server_closed_ = true;  // not to be closed again: CLOSE of a missing cursor would fail the transaction
  if (!gone_reason_.empty()) return;
  gone_reason_ = std::string(how) +
                 " before all its rows were read, and PostgreSQL closes a cursor with the transaction or "
                 "savepoint it was opened in; read the rows first, or use a buffered result";
}

void pg_cursor::buffer_rest() {
  if (!owner_ || reads_server_cursor()) return;
  PGconn* conn = owner_->handle();
  detach();
  buffered_ = true;
  while (PGresult* raw = PQgetResult(conn)) {
    result_ptr result(raw);
    if (PQresultStatus(raw) == PGRES_SINGLE_TUPLE) {
      buffered_rows_.push_back(std::move(result));
    } else if (succeeded(raw)) {
      rows_affected_ = affected_rows(raw);
      if (!meta_) meta_ = std::move(result);
    } else if (!deferred_error_) {
      deferred_error_ = std::move(result);
    }
  }
}

void pg_cursor::end_stream(result_ptr last) {
  const bool ok = succeeded(last.get());
  if (ok) {
    rows_affected_ = affected_rows(last.get());
    if (!meta_) meta_ = std::move(last);
  }
  row_.reset();
  current_ = nullptr;
  PGconn* conn = owner_ ? owner_->handle() : nullptr;
  if (owner_) {
    while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
    detach();
  }
  // throw_error reads the error result, kept alive until here.
  if (!ok) throw_error(conn, last.get(), sql_);
}

bool pg_cursor::next() {
  if (pending_first_row_) {
    pending_first_row_ = false;
    current_ = meta_.get();
    row_index_ = 0;
    return true;
  }
  if (!streamed_) {
    if (row_index_ + 1 < PQntuples(meta_.get())) {
      current_ = meta_.get();
      ++row_index_;
      return true;
    }
    current_ = nullptr;
    return false;
  }
  return reads_server_cursor() ? next_from_server_cursor() : next_single_row();
}

bool pg_cursor::next_single_row() {
  if (buffered_) {
    if (!buffered_rows_.empty()) {
      row_ = std::move(buffered_rows_.front());
      buffered_rows_.pop_front();
      current_ = row_.get();
      row_index_ = 0;
      return true;
    }
    row_.reset();
    current_ = nullptr;
    if (deferred_error_) {
      const result_ptr failure = std::move(deferred_error_);
      throw_error(nullptr, failure.get(), sql_);
    }
    if (!gone_reason_.empty()) throw_cursor_gone();
    return false;
  }
  if (!owner_) {  // the stream already ended
    current_ = nullptr;
    return false;
  }
  result_ptr result(PQgetResult(owner_->handle()));
  if (result && PQresultStatus(result.get()) == PGRES_SINGLE_TUPLE) {
    row_ = std::move(result);
    current_ = row_.get();
    row_index_ = 0;
    return true;
  }
  end_stream(std::move(result));
  return false;
}

bool pg_cursor::next_from_server_cursor() {
  const PGresult* batch = row_ ? row_.get() : meta_.get();
  if (batch && row_index_ + 1 < PQntuples(batch)) {
    current_ = batch;
    ++row_index_;
    return true;
  }
  current_ = nullptr;
  if (exhausted_) {  // every row was fetched: a commit since then changes nothing
    if (owner_) {
      if (!server_closed_) owner_->close_cursor_quietly(cursor_name_);
      server_closed_ = true;
      detach();
    }
    return false;
  }
  if (server_closed_) throw_cursor_gone();
  fetch();
  return next_from_server_cursor();
}

void pg_cursor::fetch() {
  const std::string sql =
      "FETCH FORWARD " + std::to_string(fetch_batch) + " FROM " + quote_identifier(cursor_name_);
  owner_->check_usable(sql_);
  result_ptr result(PQexec(owner_->handle(), sql.c_str()));
  if (!succeeded(result.get())) {
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (state && std::string_view(state) == "34000") {  // closed behind our back (a raw COMMIT)
      transaction_ended("the transaction ended");
      throw_cursor_gone();
    }
    throw_error(owner_->handle(), result.get(), sql_);
  }
  exhausted_ = PQntuples(result.get()) < fetch_batch;
  row_index_ = -1;
  if (!meta_)
    meta_ = std::move(result);  // the first batch also describes the columns
  else
    row_ = std::move(result);
}

void pg_cursor::throw_cursor_gone() const {
  error_info info;
  info.driver = "postgresql";
  info.sql = sql_;
  info.native_code = "34000";
  info.native_message = "the streamed result cannot be read further: " + gone_reason_;
  throw operational_error(std::move(info));
}

}  // namespace relate::postgresql
