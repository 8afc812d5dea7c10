// The cursor over one PostgreSQL result, decoding text-format cells by the
// column's type OID.  Buffered cursors own a complete PGresult; streamed ones
// read one row at a time from the connection in single-row mode, so memory
// stays bounded whatever the result size.
#pragma once

#include <relate/driver/driver.hpp>

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace relate::postgresql {

class pg_connection;

struct result_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

/// Rows changed by the statement that produced result: INSERT/UPDATE/DELETE/
/// MERGE only (libpq also counts SELECT rows, which native_cursor does not).
std::int64_t affected_rows(const PGresult* result);

class pg_cursor final : public native_cursor {
 public:
  /// A cursor over a complete result.
  explicit pg_cursor(result_ptr result);
  /// A cursor streaming the rows of the query just sent on owner in
  /// single-row mode.  Reads the first result now, so errors surface here.
  pg_cursor(pg_connection& owner, std::string sql);
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

  /// Reads and discards the rest of a streamed result so the connection can
  /// run the next statement.  Called by the connection before it does.
  void finish_stream() noexcept;

 private:
  void check_row(std::size_t index) const;
  Oid type_of(std::size_t index) const { return PQftype(meta_.get(), static_cast<int>(index)); }
  [[noreturn]] void conversion_error(std::size_t index, std::string_view wanted) const;
  /// The end of a streamed result: its final status result, or an error.
  void end_stream(result_ptr last);

  result_ptr meta_;  // column names and types; for buffered cursors also the rows
  result_ptr row_;   // streamed: the current single-row result
  const PGresult* current_ = nullptr;
  int row_index_ = -1;
  std::int64_t rows_affected_ = 0;
  bool streamed_ = false;
  bool pending_first_row_ = false;  // streamed: meta_ holds an unread first row

  pg_connection* owner_ = nullptr;  // streamed and not yet finished
  std::string sql_;
};

}  // namespace relate::postgresql
