// SPDX-License-Identifier: MIT
// Look-ups on table definitions.
#include <relate/sql/schema.hpp>

#include <algorithm>

namespace relate::sql {

const column_def* table_def::find_column(std::string_view column_name) const {
  auto it = std::find_if(columns.begin(), columns.end(),
                         [&](const column_def& c) { return c.name == column_name; });
  return it == columns.end() ? nullptr : &*it;
}

}  // namespace relate::sql
