// SPDX-License-Identifier: MIT
// The SQL of querying across relationships: joins along a relationship,
// EXISTS subqueries for any/has/contains, and the many-to-one filter.
#include <relate/orm/relationship_queries.hpp>

#include "orm/relationship_info.hpp"
#include "orm/sql_nodes.hpp"

namespace relate::orm::detail {

namespace {

sql::node_ptr exists(sql::node_ptr select) { return sql::exists_of(std::move(select)); }

value member_value(const instance_state& s, std::size_t column) {
  const auto& c = s.get_mapper().columns()[column];
  return c.ops->read(static_cast<const char*>(s.object()) + c.offset);
}

// The alias of a table's second occurrence in a self-referential subquery.
std::string self_alias(const mapper& m) {
  return sql::generated_name(m.table_name() + "_1", sql::portable_identifier_length);
}

}  // namespace

// RELATE_API: called by the query templates of relationship_queries.hpp.
RELATE_API std::vector<sql::join_clause> relationship_joins(const mapper& owner, std::size_t offset,
                                                            sql::join_kind kind,
                                                            const sql::table_ptr& owner_table,
                                                            const sql::table_ptr& target_table) {
  const relationship_info& rel = owner.relationship_at_offset(offset);
  const mapper& target = *rel.target;
  const sql::table_ptr& from = owner_table ? owner_table : owner.table();
  const sql::table_ptr& to = target_table ? target_table : target.table();
  if (rel.owner == rel.target && !target_table && !owner_table)
    throw usage_error("relate::query::join: " + rel.name +
                      " joins its own table; join into an alias: join(&" + owner.type_name() +
                      "::member, relate::aliased<" + owner.type_name() + ">(\"name\"))");
  if (rel.kind == relationship_kind::many_to_many) {
    const mapper& sec = *rel.secondary;
    return {{kind, sec.table(),
             sql::equal(column_on(sec.table(), sec.columns()[rel.secondary_to_owner]),
                        column_on(from, owner.columns()[rel.local_column]))},
            {kind, to,
             sql::equal(column_on(to, target.columns()[rel.remote_column]),
                        column_on(sec.table(), sec.columns()[rel.secondary_to_target]))}};
  }
  return {{kind, to,
           sql::equal(column_on(to, target.columns()[rel.remote_column]),
                      column_on(from, owner.columns()[rel.local_column]))}};
}

sql::node_ptr relationship_exists(const mapper& owner, std::size_t offset, const sql::node_ptr& condition,
                                  const sql::table_ptr& target_table, bool condition_given) {
  const relationship_info& rel = owner.relationship_at_offset(offset);
  const mapper& target = *rel.target;
  sql::table_ptr inner = target_table;
  if (!inner && rel.owner == rel.target) {
    if (condition_given)
      throw usage_error(
          "relate::any/has: " + rel.name +
          " is self-referential, so a condition on its columns would name the outer row; give the "
          "related rows an alias: any(&" +
          owner.type_name() + "::member, alias, alias.col(...) == ...)");
    inner = sql::alias(target.table(), self_alias(target));
  }
  if (!inner) inner = target.table();
  auto stmt = std::make_shared<sql::select_stmt>();
  stmt->from = {inner};
  sql::node_ptr link;
  if (rel.kind == relationship_kind::many_to_many) {
    const mapper& sec = *rel.secondary;
    stmt->joins.push_back({sql::join_kind::inner, sec.table(),
                           sql::equal(column_on(sec.table(), sec.columns()[rel.secondary_to_target]),
                                      column_on(inner, target.columns()[rel.remote_column]))});
    link = sql::equal(column_on(sec.table(), sec.columns()[rel.secondary_to_owner]),
                      column_on(owner.table(), owner.columns()[rel.local_column]));
  } else {
    link = sql::equal(column_on(inner, target.columns()[rel.remote_column]),
                      column_on(owner.table(), owner.columns()[rel.local_column]));
  }
  stmt->where = sql::conjoin(link, condition);
  return exists(stmt);
}

RELATE_API sql::node_ptr relationship_contains(const mapper& owner, std::size_t offset,
                                               const instance_state& target) {
  const relationship_info& rel = owner.relationship_at_offset(offset);
  const mapper& t = *rel.target;
  if (&target.get_mapper() != &t) throw usage_error("relate::contains: the object is not a " + t.type_name());
  if (target.status() != object_status::persistent && target.status() != object_status::detached)
    throw usage_error("relate::contains: the object has no row yet (flush it first)");
  if (rel.kind == relationship_kind::many_to_many) {
    const mapper& sec = *rel.secondary;
    auto stmt = std::make_shared<sql::select_stmt>();
    stmt->from = {sec.table()};
    stmt->where = sql::conjoin(sql::equal(column_on(sec.table(), sec.columns()[rel.secondary_to_owner]),
                                          column_on(owner.table(), owner.columns()[rel.local_column])),
                               sql::equal(column_on(sec.table(), sec.columns()[rel.secondary_to_target]),
                                          sql::bind_for(member_value(target, rel.remote_column),
                                                        sec.columns()[rel.secondary_to_target].def)));
    return exists(stmt);
  }
  // One-to-many: the object's key, among the rows that point at the owner.
  sql::node_ptr key;
  const auto inner = rel.owner == rel.target ? sql::alias(t.table(), self_alias(t)) : t.table();
  for (auto k : t.primary_key()) {
    auto eq = sql::equal(column_on(inner, t.columns()[k]),
                         sql::bind_for(member_value(target, k), t.columns()[k].def));
    key = sql::conjoin(key, eq);
  }
  auto stmt = std::make_shared<sql::select_stmt>();
  stmt->from = {inner};
  stmt->where = sql::conjoin(sql::equal(column_on(inner, t.columns()[rel.remote_column]),
                                        column_on(owner.table(), owner.columns()[rel.local_column])),
                             key);
  return exists(stmt);
}

RELATE_API sql::node_ptr relationship_is(const mapper& owner, std::size_t offset,
                                         const instance_state* target) {
  const relationship_info& rel = owner.relationship_at_offset(offset);
  if (!rel.owner_holds_key())
    throw usage_error("relate: comparing " + rel.name + " with an object needs a many-to-one relationship");
  auto fk = column_on(owner.table(), owner.columns()[rel.local_column]);
  value key = target ? member_value(*target, rel.remote_column) : value();
  if (key.is_null()) {
    auto n = std::make_shared<sql::unary_op>();
    n->op = sql::unary_operator::is_null;
    n->operand = fk;
    return n;
  }
  return sql::equal(fk, sql::bind_for(std::move(key), owner.columns()[rel.local_column].def));
}

}  // namespace relate::orm::detail
