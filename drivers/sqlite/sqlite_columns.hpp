// SPDX-License-Identifier: MIT
// The result columns of a prepared statement: their names and the family of
// their declared type.
//
// A cursor needs both for every statement it reads (names for errors and
// row.get("name"), declared types to tell a boolean or a timestamp from an
// integer or text).  Reading them from SQLite copies every name and
// upper-cases every declared type, which for a one-row lookup by key cost
// about as much as binding and stepping it, so the statement cache keeps the
// description with each cached statement and cursors share it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct sqlite3_stmt;

namespace relate::sqlite {

/// The declared type family of a result column (from sqlite3_column_decltype).
enum class declared_type : std::uint8_t { other, boolean, timestamp, date };

struct result_columns {
  std::vector<std::string> names;
  std::vector<declared_type> declared;

  /// Reads the description of stmt from SQLite.
  static std::shared_ptr<const result_columns> of(sqlite3_stmt* stmt);
  /// No columns (an empty SQL text).
  static const std::shared_ptr<const result_columns>& none();
};

}  // namespace relate::sqlite
