// SPDX-License-Identifier: MIT
#include "sqlite_cursor.hpp"

#include "sqlite_errors.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

namespace relate::sqlite {
namespace {

std::string_view storage_name(int type) {
  switch (type) {
    case SQLITE_INTEGER:
      return "an integer";
    case SQLITE_FLOAT:
      return "a real";
    case SQLITE_TEXT:
      return "text";
    case SQLITE_BLOB:
      return "a blob";
    default:
      return "NULL";
  }
}

// Numbers read as text are spelled as SQLite spells them (SQLite's own
// conversion), so a NUMERIC column stored as REAL reads back the same way on
// every cursor kind.
std::string number_text(int type, std::int64_t integer, double real) {
  if (type == SQLITE_INTEGER) return std::to_string(integer);
  char buffer[64];
  sqlite3_snprintf(sizeof buffer, buffer, "%!.15g", real);
  return buffer;
}

}  // namespace

std::unique_ptr<sqlite_cursor> sqlite_cursor::streamed(sqlite3* db, statement_lease stmt, int first_rc,
                                                       std::int64_t total_changes_before) {
  std::unique_ptr<sqlite_cursor> c(new sqlite_cursor());
  c->db_ = db;
  c->total_changes_before_ = total_changes_before;
  c->columns_ = stmt.columns();
  c->stmt_ = std::move(stmt);
  c->streaming_ = true;
  if (first_rc == SQLITE_ROW) {
    c->first_row_pending_ = true;
    // RETURNING statements make all their changes in the first step.
    if (sqlite3_total_changes64(db) != total_changes_before) c->rows_affected_ = sqlite3_changes64(db);
  } else {
    c->finish();
  }
  return c;
}

std::unique_ptr<sqlite_cursor> sqlite_cursor::buffered(sqlite3* db, statement_lease stmt, int first_rc,
                                                       std::int64_t total_changes_before) {
  std::unique_ptr<sqlite_cursor> c(new sqlite_cursor());
  c->db_ = db;
  c->total_changes_before_ = total_changes_before;
  sqlite3_stmt* s = stmt.get();
  c->columns_ = stmt.columns();
  const int columns = static_cast<int>(c->column_count());
  for (int rc = first_rc; rc != SQLITE_DONE; rc = sqlite3_step(s)) {
    if (rc != SQLITE_ROW) throw_error(db, sqlite3_extended_errcode(db), sqlite3_sql(s));
    for (int i = 0; i < columns; ++i) {
      buffered_cell& cell = c->cells_.emplace_back();
      cell.type = sqlite3_column_type(s, i);
      cell.size = 0;
      switch (cell.type) {
        case SQLITE_INTEGER:
          cell.integer = sqlite3_column_int64(s, i);
          break;
        case SQLITE_FLOAT:
          cell.real = sqlite3_column_double(s, i);
          break;
        case SQLITE_TEXT:
        case SQLITE_BLOB: {
          // Pointer first, then the size (SQLite's advice).  NULL: a
          // zero-length blob, or text SQLite ran out of memory converting.
          const void* data = cell.type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(s, i))
                                                      : sqlite3_column_blob(s, i);
          cell.offset = c->bytes_.size();
          cell.size = data ? static_cast<std::size_t>(sqlite3_column_bytes(s, i)) : 0;
          if (cell.size) c->bytes_.append(static_cast<const char*>(data), cell.size);
          break;
        }
        default:
          cell.offset = 0;
          break;
      }
    }
    ++c->row_count_;
  }
  c->stmt_ = std::move(stmt);
  c->finish();
  return c;
}

std::unique_ptr<sqlite_cursor> sqlite_cursor::empty() {
  return std::unique_ptr<sqlite_cursor>(new sqlite_cursor());
}

sqlite_cursor::~sqlite_cursor() = default;

void sqlite_cursor::finish() {
  // total_changes moves only if this statement changed rows; sqlite3_changes
  // alone would repeat the count of an earlier INSERT after a SELECT or DDL.
  if (db_ && sqlite3_total_changes64(db_) != total_changes_before_) rows_affected_ = sqlite3_changes64(db_);
  // Give the statement back at once: it can serve the next execute() and it
  // no longer holds the read lock.
  stmt_.release();
  on_row_ = false;
}

void sqlite_cursor::step_failed() const {
  throw_error(db_, sqlite3_extended_errcode(db_), stmt_ ? sqlite3_sql(stmt_.get()) : "");
}

void sqlite_cursor::load_current_types() {
  const std::size_t columns = column_count();
  types_.resize(columns);
  for (std::size_t i = 0; i < columns; ++i) types_[i] = sqlite3_column_type(stmt_.get(), static_cast<int>(i));
}

bool sqlite_cursor::next() {
  if (!streaming_) {
    if (row_ < row_count_) {
      ++row_;
      scratch_.clear();
      return true;
    }
    row_ = row_count_ + 1;
    return false;
  }
  if (first_row_pending_) {
    first_row_pending_ = false;
    on_row_ = true;
    load_current_types();
    return true;
  }
  if (!stmt_) {
    on_row_ = false;
    return false;
  }
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) {
    on_row_ = true;
    load_current_types();
    return true;
  }
  if (rc != SQLITE_DONE) {
    on_row_ = false;
    step_failed();
  }
  finish();
  return false;
}

std::string_view sqlite_cursor::column_name(std::size_t index) const {
  if (index >= column_count()) {
    throw usage_error("column index " + std::to_string(index) + " is out of range: the result has " +
                      std::to_string(column_count()) + " columns");
  }
  return columns_->names[index];
}

void sqlite_cursor::bad_cell(std::size_t index) const {
  column_name(index);  // throws if out of range
  throw usage_error("no current row: call next() first (column '" + columns_->names[index] + "')");
}

void sqlite_cursor::check_cell(std::size_t index) const {
  const bool has_row = streaming_ ? on_row_ : (row_ >= 1 && row_ <= row_count_);
  if (index >= column_count() || !has_row) bad_cell(index);
}

int sqlite_cursor::storage(std::size_t index) const {
  check_cell(index);
  if (streaming_) return types_[index];
  return cell(index).type;
}

std::int64_t sqlite_cursor::raw_int(std::size_t index) const {
  if (streaming_) return sqlite3_column_int64(stmt_.get(), static_cast<int>(index));
  return cell(index).integer;
}

double sqlite_cursor::raw_double(std::size_t index) const {
  if (streaming_) return sqlite3_column_double(stmt_.get(), static_cast<int>(index));
  return cell(index).real;
}

std::string_view sqlite_cursor::raw_text(std::size_t index) const {
  if (streaming_) {
    // sqlite3_column_text also spells numbers as text (SQLite's own format).
    const auto* text =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), static_cast<int>(index)));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), static_cast<int>(index)));
    return text ? std::string_view(text, size) : std::string_view{};
  }
  const buffered_cell& c = cell(index);
  if (c.type == SQLITE_TEXT) return std::string_view(bytes_).substr(c.offset, c.size);
  return scratch_.emplace_front(
      number_text(c.type, c.type == SQLITE_INTEGER ? c.integer : 0, c.type == SQLITE_FLOAT ? c.real : 0));
}

void sqlite_cursor::cannot_read(std::size_t index, std::string_view wanted) const {
  throw usage_error("column '" + columns_->names[index] + "' (index " + std::to_string(index) + ") holds " +
                    std::string(storage_name(storage(index))) + ", which cannot be read as " +
                    std::string(wanted) + " (SQLite driver: no implicit conversion)");
}

value_kind sqlite_cursor::kind(std::size_t index) const {
  switch (storage(index)) {
    case SQLITE_INTEGER:
      if (columns_->declared[index] == declared::boolean) {
        const auto v = raw_int(index);
        if (v == 0 || v == 1) return value_kind::boolean;
      }
      return value_kind::integer;
    case SQLITE_FLOAT:
      return value_kind::real;
    case SQLITE_TEXT:
      if (columns_->declared[index] == declared::timestamp && parse_timestamp(raw_text(index)))
        return value_kind::timestamp;
      if (columns_->declared[index] == declared::date && parse_date(raw_text(index))) return value_kind::date;
      return value_kind::text;
    case SQLITE_BLOB:
      return value_kind::blob;
    default:
      return value_kind::null;
  }
}

bool sqlite_cursor::get_bool(std::size_t index) const {
  if (storage(index) == SQLITE_INTEGER) {
    const auto v = raw_int(index);
    if (v == 0 || v == 1) return v == 1;
    throw usage_error("column '" + columns_->names[index] + "' (index " + std::to_string(index) +
                      ") holds the integer " + std::to_string(v) + ", which is not a boolean (0 or 1)");
  }
  cannot_read(index, "a boolean");
}

std::int64_t sqlite_cursor::get_int64(std::size_t index) const {
  const int type = storage(index);
  if (type == SQLITE_INTEGER) return raw_int(index);
  if (type == SQLITE_FLOAT) {
    // A REAL column holding a whole number (SQLite may store 3 as 3.0) reads
    // as an integer; a fraction or an out-of-range value does not.
    const double d = raw_double(index);
    if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
      return static_cast<std::int64_t>(d);
    }
  }
  cannot_read(index, "an integer");
}

double sqlite_cursor::get_double(std::size_t index) const {
  const int type = storage(index);
  if (type == SQLITE_FLOAT) return raw_double(index);
  if (type == SQLITE_INTEGER) return static_cast<double>(raw_int(index));
  cannot_read(index, "a double");
}

std::string_view sqlite_cursor::get_text(std::size_t index) const {
  const int type = storage(index);
  if (type == SQLITE_TEXT || type == SQLITE_INTEGER || type == SQLITE_FLOAT) return raw_text(index);
  cannot_read(index, "text");
}

blob sqlite_cursor::get_blob(std::size_t index) const {
  if (storage(index) != SQLITE_BLOB) cannot_read(index, "a blob");
  if (!streaming_) {
    const buffered_cell& c = cell(index);
    const auto* data = reinterpret_cast<const std::byte*>(bytes_.data()) + c.offset;
    return blob(data, data + c.size);
  }
  const int column = static_cast<int>(index);
  const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(stmt_.get(), column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column));
  return data ? blob(data, data + size) : blob{};  // SQLite returns NULL for a zero-length blob
}

std::chrono::seconds sqlite_cursor::unix_seconds(std::size_t index, std::string_view what) const {
  // Unix seconds, as SQLite's unixepoch() and strftime('%s') produce.  Beyond
  // about +-292,000 years a timestamp's microsecond count would overflow;
  // dates refuse the same values, so a column reads the same as either.
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 1'000'000;
  const std::int64_t seconds = raw_int(index);
  if (seconds > limit || seconds < -limit) {
    throw usage_error("column '" + columns_->names[index] + "' (index " + std::to_string(index) +
                      ") holds an integer too large for a " + std::string(what) + " in unix seconds");
  }
  return std::chrono::seconds(seconds);
}

timestamp sqlite_cursor::get_timestamp(std::size_t index) const {
  const int type = storage(index);
  if (type == SQLITE_TEXT) {
    if (auto t = parse_timestamp(raw_text(index))) return *t;
    throw usage_error("column '" + columns_->names[index] + "' (index " + std::to_string(index) +
                      ") holds text that is not a timestamp (expected \"YYYY-MM-DD HH:MM:SS[.ffffff]\")");
  }
  if (type == SQLITE_INTEGER) return timestamp(std::chrono::seconds(unix_seconds(index, "timestamp")));
  cannot_read(index, "a timestamp");
}

date sqlite_cursor::get_date(std::size_t index) const {
  const int type = storage(index);
  if (type == SQLITE_TEXT) {
    const std::string_view text = raw_text(index);
    if (auto d = parse_date(text)) return *d;
    // A DATETIME value read as a date (SQLAlchemy's func.date() returns text).
    if (auto t = parse_timestamp(text)) return std::chrono::floor<std::chrono::days>(*t);
    throw usage_error("column '" + columns_->names[index] + "' (index " + std::to_string(index) +
                      ") holds text that is not a date (expected \"YYYY-MM-DD\")");
  }
  if (type == SQLITE_INTEGER)
    return std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(unix_seconds(index, "date")));
  cannot_read(index, "a date");
}

}  // namespace relate::sqlite
