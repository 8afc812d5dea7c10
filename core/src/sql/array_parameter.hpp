// SPDX-License-Identifier: MIT
// A long IN list as one array parameter (x = ANY(CAST($1 AS BIGINT[]))), for
// dialects that read arrays (dialect_capabilities::array_in_lists_over):
// PostgreSQL's protocol takes at most 65,535 parameters per statement, and
// one parameter is also one plan instead of one per list length.
#pragma once

#include <relate/sql/ast.hpp>

#include <optional>
#include <string>
#include <vector>

namespace relate::sql::detail {

struct array_parameter {
  relate::value literal;  // the array's text form, '{1,2,3}'
  sql_type element;       // what to cast it to, as an array of this type
};

/// The array form of items, when every item is a bound value of one kind the
/// text form spells exactly (integers, text, booleans, timestamps, dates; not
/// NULL, doubles or blobs); nothing otherwise.
std::optional<array_parameter> as_array_parameter(const std::vector<node_ptr>& items);

}  // namespace relate::sql::detail
