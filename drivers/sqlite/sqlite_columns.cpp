// SPDX-License-Identifier: MIT
#include "sqlite_columns.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace relate::sqlite {
namespace {

// The declared type names SQLAlchemy and relate's dialect emit for booleans
// and times; the storage class alone cannot tell a boolean from an integer.
declared_type classify(const char* decltype_name) {
  if (!decltype_name) return declared_type::other;
  std::string name(decltype_name);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (name.find("BOOL") != std::string::npos) return declared_type::boolean;
  if (name.find("DATETIME") != std::string::npos || name.find("TIMESTAMP") != std::string::npos)
    return declared_type::timestamp;
  if (name == "DATE") return declared_type::date;
  return declared_type::other;
}

}  // namespace

std::shared_ptr<const result_columns> result_columns::of(sqlite3_stmt* stmt) {
  auto out = std::make_shared<result_columns>();
  const int columns = sqlite3_column_count(stmt);
  out->names.reserve(static_cast<std::size_t>(columns));
  out->declared.reserve(static_cast<std::size_t>(columns));
  for (int i = 0; i < columns; ++i) {
    const char* name = sqlite3_column_name(stmt, i);
    out->names.emplace_back(name ? name : "");
    out->declared.push_back(classify(sqlite3_column_decltype(stmt, i)));
  }
  return out;
}

const std::shared_ptr<const result_columns>& result_columns::none() {
  static const std::shared_ptr<const result_columns> empty = std::make_shared<result_columns>();
  return empty;
}

}  // namespace relate::sqlite
