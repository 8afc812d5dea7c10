// SPDX-License-Identifier: MIT
// The rows of one SQLite statement, with typed getters.
//
// SQLite stores a value in one of five storage classes whatever the column's
// declared type, so the getters decide which conversions are safe: integer to
// double, integer 0/1 to bool, text in SQLAlchemy's "YYYY-MM-DD HH:MM:SS.ffffff"
// format (or integer unix seconds) to timestamp and date, numbers to text.
// Anything else, e.g. text "12" read as an integer, is a usage_error naming the
// column and what it holds: a silent conversion would hide a schema mistake.
//
// A streamed cursor steps its leased statement as next() is called; a
// buffered one has stepped it to the end at construction and given the
// statement back, so it holds no lock and no statement while it is read.
#pragma once

#include "sqlite_columns.hpp"
#include "sqlite_statement_cache.hpp"

#include <relate/driver/driver.hpp>

#include <chrono>
#include <cstdint>
#include <forward_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace relate::sqlite {

class sqlite_cursor final : public native_cursor {
 public:
  /// first_rc: what the first sqlite3_step of stmt returned (SQLITE_ROW or
  /// SQLITE_DONE); total_changes_before: sqlite3_total_changes64 before it.
  static std::unique_ptr<sqlite_cursor> streamed(sqlite3* db, statement_lease stmt, int first_rc,
                                                 std::int64_t total_changes_before);
  static std::unique_ptr<sqlite_cursor> buffered(sqlite3* db, statement_lease stmt, int first_rc,
                                                 std::int64_t total_changes_before);
  /// No columns, no rows (an SQL text holding only comments).
  static std::unique_ptr<sqlite_cursor> empty();

  ~sqlite_cursor() override;

  bool next() override;
  std::size_t column_count() const override { return columns_->names.size(); }
  std::string_view column_name(std::size_t index) const override;
  value_kind kind(std::size_t index) const override;

  bool get_bool(std::size_t index) const override;
  std::int64_t get_int64(std::size_t index) const override;
  double get_double(std::size_t index) const override;
  std::string_view get_text(std::size_t index) const override;
  blob get_blob(std::size_t index) const override;
  timestamp get_timestamp(std::size_t index) const override;
  date get_date(std::size_t index) const override;

  std::int64_t rows_affected() const override { return rows_affected_; }

  using declared = declared_type;

 private:
  sqlite_cursor() = default;
  /// The current row's cell is index of a buffered cursor.
  struct buffered_cell;
  const buffered_cell& cell(std::size_t index) const;
  [[noreturn]] void bad_cell(std::size_t index) const;
  void finish();  // the statement reached SQLITE_DONE
  [[noreturn]] void step_failed() const;
  void load_current_types();

  void check_cell(std::size_t index) const;
  int storage(std::size_t index) const;  // SQLITE_INTEGER, ... for the current row
  std::int64_t raw_int(std::size_t index) const;
  /// An INTEGER cell as unix seconds for a timestamp or date (what), refused
  /// with a usage_error where a timestamp's microseconds would overflow.
  std::chrono::seconds unix_seconds(std::size_t index, std::string_view what) const;
  double raw_double(std::size_t index) const;
  std::string_view raw_text(std::size_t index) const;
  [[noreturn]] void cannot_read(std::size_t index, std::string_view wanted) const;

  sqlite3* db_ = nullptr;
  std::shared_ptr<const result_columns> columns_ = result_columns::none();
  std::int64_t total_changes_before_ = 0;
  std::int64_t rows_affected_ = 0;

  // Streamed: the live statement and the current row's storage classes (read
  // once per row: after a conversion sqlite3_column_type is undefined).
  statement_lease stmt_;
  bool streaming_ = false;
  bool first_row_pending_ = false;
  bool on_row_ = false;
  std::vector<int> types_;

  // Buffered: every cell, row-major, their text and blob bytes in one
  // buffer (one allocation for the whole result, not one per cell), and the
  // current row's position.
  std::vector<buffered_cell> cells_;
  std::string bytes_;
  std::size_t row_count_ = 0;
  std::size_t row_ = 0;  // 1-based once next() succeeded
  // Text of numbers read as text (buffered only); a list, so earlier views stay valid.
  mutable std::forward_list<std::string> scratch_;
};

struct sqlite_cursor::buffered_cell {
  int type;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL
  union {
    std::int64_t integer;  // SQLITE_INTEGER
    double real;           // SQLITE_FLOAT
    std::size_t offset;    // SQLITE_TEXT, SQLITE_BLOB: where the bytes start in bytes_
  };
  std::size_t size;  // SQLITE_TEXT, SQLITE_BLOB: how many bytes
};

// Defined here, where buffered_cell is complete (clang insists).
inline const sqlite_cursor::buffered_cell& sqlite_cursor::cell(std::size_t index) const {
  return cells_[(row_ - 1) * column_count() + index];
}

}  // namespace relate::sqlite
