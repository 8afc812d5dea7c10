// SPDX-License-Identifier: MIT
#include <relate/sql/expression.hpp>
#include <relate/sql/nodes.hpp>

#include "sql/generated_name.hpp"

namespace relate::sql {

node_ptr column_of(table_ptr table, const column_def& def) {
  return detail::make_column(std::move(table), def.name, def.type);
}

node_ptr bind_for(relate::value v, const column_def& def) {
  return detail::make_bind(std::move(v), def.type);
}

node_ptr equal(node_ptr a, node_ptr b) {
  return detail::make_binary(binary_operator::eq, std::move(a), std::move(b));
}

node_ptr conjoin(node_ptr a, node_ptr b) {
  if (!a) return b;
  if (!b) return a;
  return detail::make_binary(binary_operator::logical_and, std::move(a), std::move(b));
}

node_ptr exists_of(node_ptr query) { return detail::make_unary(unary_operator::exists, std::move(query)); }

std::string generated_name(std::string name, std::size_t limit) {
  return detail::fit_generated_name(std::move(name), limit);
}

}  // namespace relate::sql
