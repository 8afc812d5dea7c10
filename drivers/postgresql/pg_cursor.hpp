// SPDX-License-Identifier: MIT
// The cursor over one PostgreSQL result, decoding text-format cells by the
// column's type OID.  Three sources of rows:
//  - buffered: one complete PGresult;
//  - a server-side cursor (DECLARE ... CURSOR inside the transaction, read
//    with FETCH in batches): the connection stays free for other statements
//    between batches, so a lazy load or another query inside a stream loop
//    does not disturb it, and memory stays bounded by one batch;
//  - single-row mode, for the streamed statements a cursor cannot run
//    (INSERT ... RETURNING, several statements, outside a transaction): if
//    the connection needs to run something else while such a stream is open,
//    the rest of its rows is read into memory first, never dropped.
// A server-side cursor ends with its transaction (or the savepoint it was
// declared in): the connection tells it so, and the next read that needs the
// server raises an operational_error saying why instead of ending quietly.
#pragma once

#include <relate/driver/driver.hpp>

#include <libpq-fe.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace relate::postgresql {

class pg_connection;

struct result_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

/// Reads a pipeline's results up to its sync, handing each one (aborted
/// ones included) to on_result, and leaves pipeline mode -- unless
/// exit_pipeline is false: more statements are queued behind this sync.
/// Each result is followed by a null; two nulls in a row mean the connection
/// went away before the sync arrived: then false, and the connection stays
/// as it is.
template <class OnResult>
bool read_to_sync(PGconn* conn, OnResult&& on_result, bool exit_pipeline = true) {
  int nulls = 0;
  for (;;) {
    result_ptr r(PQgetResult(conn));
    if (!r) {
      if (++nulls > 1 || PQstatus(conn) == CONNECTION_BAD) return false;
      continue;
    }
    nulls = 0;
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) {
      if (exit_pipeline) PQexitPipelineMode(conn);
      return true;
    }
    on_result(std::move(r));
  }
}

/// Rows changed by the statement that produced result: INSERT/UPDATE/DELETE/
/// MERGE only (libpq also counts SELECT rows, which native_cursor does not).
std::int64_t affected_rows(const PGresult* result);

/// Whether sql can run as a server-side cursor (DECLARE ... CURSOR FOR sql):
/// one SELECT/VALUES/TABLE/WITH query that changes nothing.
bool fits_in_cursor(std::string_view sql) noexcept;

class pg_cursor final : public native_cursor {
 public:
  /// Rows per FETCH of a server-side cursor: bounds the memory a stream holds
  /// while keeping round trips rare.
  static constexpr int fetch_batch = 1000;

  /// A cursor over a complete result.
  explicit pg_cursor(result_ptr result);
  /// A cursor streaming the rows of the query just sent on owner in
  /// single-row mode.  Reads the first result now, so errors surface here.
  pg_cursor(pg_connection& owner, std::string sql);
  /// A cursor reading the server-side cursor `name`, already declared on
  /// owner for sql with `savepoint_depth` savepoints open.  Fetches the first
  /// batch now, so errors surface here.
  pg_cursor(pg_connection& owner, std::string sql, std::string name, std::size_t savepoint_depth);
  ~pg_cursor() override;

  bool next() override;
  std::size_t column_count() const override;
  std::string_view column_name(std::size_t index) const override;
  value_kind kind(std::size_t index) const override;
  bool get_bool(std::size_t index) const override;
  std::int64_t get_int64(std::size_t index) const override;
  double get_double(std::size_t index) const override;
  std::string_view get_text(std::size_t index) const override;
  blob get_blob(std::size_t index) const override;
  timestamp get_timestamp(std::size_t index) const override;
  date get_date(std::size_t index) const override;
  std::int64_t rows_affected() const override;
  interval get_interval(std::size_t index) const override;

  // Called by the connection (pg_connection.cpp):
  /// Single-row mode: reads the rest of the result into memory so the
  /// connection can run the next statement; next() serves it from there.
  void buffer_rest();
  /// The server closed this cursor (how: "COMMIT", "ROLLBACK", ...).
  void transaction_ended(std::string_view how) noexcept;
  /// The connection is being destroyed: never touch it again.
  void connection_closed() noexcept;
  bool reads_server_cursor() const noexcept { return !cursor_name_.empty(); }
  std::size_t savepoint_depth() const noexcept { return savepoint_depth_; }
  /// A savepoint this cursor was declared inside of was released: it now
  /// belongs to the enclosing level.
  void lower_savepoint_depth(std::size_t depth) noexcept {
    if (savepoint_depth_ > depth) savepoint_depth_ = depth;
  }

 private:
  void check_row(std::size_t index) const;
  /// The cell's text-format bytes, whatever the column's type.
  std::string_view cell_text(std::size_t index) const;
  Oid type_of(std::size_t index) const { return PQftype(meta_.get(), static_cast<int>(index)); }
  [[noreturn]] void conversion_error(std::size_t index, std::string_view wanted) const;
  /// The end of a single-row result: its final status result, or an error.
  void end_stream(result_ptr last);
  /// Stops being an open stream of the connection.
  void detach() noexcept;
  bool next_single_row();
  bool next_from_server_cursor();
  /// Runs FETCH; the batch becomes the current result source.
  void fetch();
  [[noreturn]] void throw_cursor_gone() const;

  result_ptr meta_;  // column names and types; for buffered cursors also the rows
  result_ptr row_;   // streamed: the current single row, or the current FETCH batch
  const PGresult* current_ = nullptr;
  int row_index_ = -1;
  std::int64_t rows_affected_ = 0;
  bool streamed_ = false;
  bool pending_first_row_ = false;  // single-row: meta_ holds an unread first row

  pg_connection* owner_ = nullptr;  // streamed and not yet finished
  std::string sql_;

  // Single-row mode, after buffer_rest(): the rows not yet read, and the
  // error the statement ended with (thrown once those rows are read).
  std::deque<result_ptr> buffered_rows_;
  result_ptr deferred_error_;
  bool buffered_ = false;

  // Server-side cursor.
  std::string cursor_name_;
  std::size_t savepoint_depth_ = 0;
  bool exhausted_ = false;      // the last FETCH returned fewer rows than asked
  bool server_closed_ = false;  // the server no longer has the cursor (or will not, at exhaustion)
  std::string gone_reason_;     // why, said when a read needs it
};

}  // namespace relate::postgresql
