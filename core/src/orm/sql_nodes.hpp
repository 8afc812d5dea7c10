// SPDX-License-Identifier: MIT
// The one expression node the ORM makes from its own mapping data: a mapped
// column on a table or alias.  Everything else it builds with the public
// node builders of relate/sql/nodes.hpp.
#pragma once

#include <relate/orm/mapping.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/nodes.hpp>

namespace relate::orm::detail {

/// table.column for a mapped column (table may be an alias).
inline sql::node_ptr column_on(const sql::table_ptr& table, const column_entry& c) {
  return sql::column_of(table, c.def);
}

}  // namespace relate::orm::detail
