// SPDX-License-Identifier: MIT
// What a tuple query reads from the outer side of an outer join: a plain
// column of such a table is NULL wherever the join found nothing, which a
// non-optional element type cannot hold.  The C++ type of the tuple is fixed
// by the expressions given to session.query(...), before any join is added,
// so the fix is the user's (sql::as_optional); the error points at it.
#include <relate/orm/query.hpp>

#include <algorithm>

namespace relate::orm::detail {

namespace {

const sql::column_ref* plain_column(const sql::node& n) {
  if (const auto* c = dynamic_cast<const sql::column_ref*>(&n)) return c;
  if (const auto* l = dynamic_cast<const sql::labeled*>(&n); l && l->expr)
    return dynamic_cast<const sql::column_ref*>(l->expr.get());
  return nullptr;
}

bool is_table(const sql::node_ptr& target, const sql::table_ref& table) {
  if (target.get() == &table) return true;
  const auto* t = dynamic_cast<const sql::table_ref*>(target.get());
  return t && t->name == table.name && t->schema == table.schema && t->alias == table.alias;
}

}  // namespace

std::vector<std::size_t> outer_side_columns(const std::vector<sql::node_ptr>& columns,
                                            const std::vector<sql::join_clause>& joins,
                                            const bool* optional) {
  std::vector<std::size_t> out;
  const auto outer = [](const sql::join_clause& j) { return j.kind == sql::join_kind::left_outer; };
  if (std::none_of(joins.begin(), joins.end(), outer)) return out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (optional[i] || !columns[i]) continue;
    const sql::column_ref* c = plain_column(*columns[i]);
    if (!c || !c->table) continue;
    if (std::any_of(joins.begin(), joins.end(),
                    [&](const sql::join_clause& j) { return outer(j) && is_table(j.target, *c->table); }))
      out.push_back(i);
  }
  return out;
}

void throw_outer_side_null(const sql::node& column, std::size_t index) {
  const sql::column_ref* c = plain_column(column);
  std::string name = c ? c->name : std::string("?");
  if (c && c->table) name = (c->table->alias.empty() ? c->table->name : c->table->alias) + "." + name;
  throw usage_error("relate::tuple_query: column " + std::to_string(index) + " (" + name +
                    ") is NULL: its table is on the outer side of a LEFT OUTER JOIN, where rows without "
                    "a match are NULL; select relate::sql::as_optional(...) of it to read a std::optional");
}

}  // namespace relate::orm::detail
