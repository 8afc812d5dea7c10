// SPDX-License-Identifier: MIT
// Helpers that let one test text run on every backend: placeholders in the
// dialect's style and the few column type names that differ between backends.
#pragma once

#include <relate/engine.hpp>
#include <relate/sql/types.hpp>

#include <string>
#include <string_view>

namespace relate::testing {

/// Rewrites each "?" of text into the engine's placeholder ("?" or "$n").
/// Test SQL holds no "?" inside string literals.
inline std::string portable_sql(const engine& e, std::string_view text) {
  std::string out;
  std::size_t n = 0;
  for (char c : text) {
    if (c == '?') {
      out += e.dialect().placeholder(++n);
    } else {
      out += c;
    }
  }
  return out;
}

/// The backend's DDL name for a portable type (BLOB vs BYTEA, DATETIME vs TIMESTAMP).
inline std::string type_name(const engine& e, sql::type_kind kind) {
  return e.dialect().type_name(sql::sql_type{kind});
}

}  // namespace relate::testing
