// SPDX-License-Identifier: MIT
#include "pg_cursor.hpp"

#include "pg_connection.hpp"
#include "pg_errors.hpp"
#include "pg_values.hpp"

#include <chrono>
#include <cmath>
#include <limits>

namespace relate::postgresql {

std::int64_t affected_rows(const PGresult* result) {
  const std::string_view status = PQcmdStatus(const_cast<PGresult*>(result));
  const bool changes = status.starts_with("INSERT") || status.starts_with("UPDATE") ||
                       status.starts_with("DELETE") || status.starts_with("MERGE");
  if (!changes) return 0;
  return parse_int64(PQcmdTuples(const_cast<PGresult*>(result))).value_or(0);
}

pg_cursor::pg_cursor(result_ptr result) : meta_(std::move(result)) {
  rows_affected_ = affected_rows(meta_.get());
}

std::size_t pg_cursor::column_count() const {
  return meta_ ? static_cast<std::size_t>(PQnfields(meta_.get())) : 0;
}

std::string_view pg_cursor::column_name(std::size_t index) const {
  if (index >= column_count())
    throw usage_error("column index " + std::to_string(index) + " is out of range");
  return PQfname(meta_.get(), static_cast<int>(index));
}

void pg_cursor::check_row(std::size_t index) const {
  if (!current_) throw usage_error("no current row: call next() first");
  if (index >= column_count())
    throw usage_error("column index " + std::to_string(index) + " is out of range (" +
                      std::to_string(column_count()) + " columns)");
}

value_kind pg_cursor::kind(std::size_t index) const {
  check_row(index);
  if (PQgetisnull(current_, row_index_, static_cast<int>(index))) return value_kind::null;
  return kind_of_type(type_of(index));
}

std::string_view pg_cursor::cell_text(std::size_t index) const {
  check_row(index);
  const int column = static_cast<int>(index);
  return {PQgetvalue(current_, row_index_, column),
          static_cast<std::size_t>(PQgetlength(current_, row_index_, column))};
}

std::string_view pg_cursor::get_text(std::size_t index) const {
  // bytea's text form ("\x00ff") is an encoding, not the value: as on
  // SQLite, bytes are read as a blob, never as text.
  if (check_row(index), type_of(index) == oid::bytea) conversion_error(index, "text");
  return cell_text(index);
}

void pg_cursor::conversion_error(std::size_t index, std::string_view wanted) const {
  // The cell's text is not quoted: it may be data the application keeps private.
  throw usage_error("column \"" + std::string(column_name(index)) + "\" holds PostgreSQL type " +
                    type_name(type_of(index)) + ", which cannot be read as " + std::string(wanted) +
                    " (PostgreSQL driver: no implicit conversion)");
}

bool pg_cursor::get_bool(std::size_t index) const {
  const std::string_view text = cell_text(index);
  if (type_of(index) == oid::boolean)
    if (auto b = parse_bool(text)) return *b;
  // An integer column holding 0 or 1 reads as a boolean, as on SQLite
  // (where booleans are integers); 2 is not a boolean.
  if (kind_of_type(type_of(index)) == value_kind::integer) {
    if (text == "0" || text == "1") return text == "1";
    conversion_error(index, "a boolean (an integer column reads as one only when it holds 0 or 1)");
  }
  conversion_error(index, "a boolean");
}

std::int64_t pg_cursor::get_int64(std::size_t index) const {
  const std::string_view text = cell_text(index);
  if (auto i = parse_int64(text)) return *i;
  if (type_of(index) == oid::boolean) return text == "t" ? 1 : 0;
  // numeric "42.000" or float "42" are integers too; 42.5 is not.
  if (auto d = parse_double(text); d && std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9.2e18)
    return static_cast<std::int64_t>(*d);
  conversion_error(index, "an integer");
}

double pg_cursor::get_double(std::size_t index) const {
  const std::string_view text = cell_text(index);
  if (auto d = parse_double(text)) return *d;
  if (type_of(index) == oid::boolean) return text == "t" ? 1.0 : 0.0;
  conversion_error(index, "a double");
}

blob pg_cursor::get_blob(std::size_t index) const {
  const std::string_view text = cell_text(index);
  // Text is not bytes: as on SQLite, only a bytea column reads as a blob.
  if (type_of(index) != oid::bytea) conversion_error(index, "a blob");
  if (auto b = decode_bytea(text)) return std::move(*b);
  conversion_error(index, "bytes (malformed bytea text)");
}

timestamp pg_cursor::get_timestamp(std::size_t index) const {
  const std::string_view text = cell_text(index);
  if (type_of(index) == oid::date) {
    if (auto d = parse_date(text)) return timestamp(std::chrono::sys_days(*d));
  } else if (auto t = parse_timestamp(text)) {
    return *t;
  }
  conversion_error(index, "a timestamp");  // also 'infinity', which has no C++ value
}

date pg_cursor::get_date(std::size_t index) const {
  const std::string_view text = cell_text(index);
  if (type_of(index) == oid::timestamp || type_of(index) == oid::timestamptz) {
    if (auto t = parse_timestamp(text)) return std::chrono::floor<std::chrono::days>(*t);
  } else if (auto d = parse_date(text)) {
    return *d;
  }
  conversion_error(index, "a date");
}

interval pg_cursor::get_interval(std::size_t index) const {
  if (auto i = parse_interval(cell_text(index))) return *i;
  conversion_error(index, "an interval");
}

std::int64_t pg_cursor::rows_affected() const { return rows_affected_; }

}  // namespace relate::postgresql
