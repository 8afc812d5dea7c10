// The few expression-tree nodes the ORM builds by hand (joins, key lists,
// association rows), on top of the SQL layer's own node factories.
#pragma once

#include <relate/orm/mapping.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/expression.hpp>

namespace relate::orm::detail {

/// table.column for a mapped column (table may be an alias).
inline sql::node_ptr column_on(const sql::table_ptr& table, const column_entry& c) {
  return sql::detail::make_column(table, c.def.name, c.def.type);
}
inline sql::node_ptr equals(sql::node_ptr a, sql::node_ptr b) {
  return sql::detail::make_binary(sql::binary_operator::eq, std::move(a), std::move(b));
}
inline sql::node_ptr both(sql::node_ptr a, sql::node_ptr b) {
  return sql::detail::make_binary(sql::binary_operator::logical_and, std::move(a), std::move(b));
}
/// A parameter holding v, typed as the column it is compared with or stored in.
inline sql::node_ptr bind_of(value v, const sql::column_def& def) {
  return sql::detail::make_bind(std::move(v), def.type);
}

}  // namespace relate::orm::detail
