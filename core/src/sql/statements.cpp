// SPDX-License-Identifier: MIT
// The non-template parts of the statement builders, and FROM inference.
#include <relate/sql/statements.hpp>

#include <relate/error.hpp>

#include "sql/noop_visitor.hpp"

#include <algorithm>

namespace relate::sql {

namespace detail {

namespace {

bool same_table(const table_ref& a, const table_ref& b) {
  return a.name == b.name && a.schema == b.schema && a.alias == b.alias;
}

/// Collects the tables of the column references in an expression, without
/// entering subqueries (their tables belong to them).
class table_collector final : public noop_visitor {
 public:
  std::vector<table_ptr> tables;

  void add(const table_ptr& t) {
    if (!t) return;
    for (const auto& known : tables) {
      if (same_table(*known, *t)) return;
    }
    tables.push_back(t);
  }
  void walk(const node_ptr& n) {
    if (n) n->accept(*this);
  }

  void visit(const column_ref& n) override { add(n.table); }
  void visit(const star& n) override { add(n.table); }
  void visit(const unary_op& n) override {
    // EXISTS (SELECT ...) is a subquery: its tables are its own.
    if (n.op != unary_operator::exists && n.op != unary_operator::not_exists) walk(n.operand);
  }
  void visit(const binary_op& n) override {
    if (is_chain_operator(n.op))
      for_each_chained(n, [this](const node_ptr& operand) { walk(operand); });
    else {
      walk(n.left);
      walk(n.right);
    }
  }
  void visit(const like_op& n) override {
    walk(n.subject);
    walk(n.pattern);
  }
  void visit(const in_list& n) override {
    walk(n.subject);
    for (const auto& i : n.items) walk(i);
  }
  void visit(const in_select& n) override { walk(n.subject); }
  void visit(const between_op& n) override {
    walk(n.subject);
    walk(n.low);
    walk(n.high);
  }
  void visit(const function_call& n) override {
    for (const auto& a : n.args) walk(a);
  }
  void visit(const known_function_call& n) override {
    for (const auto& a : n.args) walk(a);
  }
  void visit(const case_expr& n) override {
    for (const auto& [c, r] : n.whens) {
      walk(c);
      walk(r);
    }
    walk(n.otherwise);
  }
  void visit(const cast_expr& n) override { walk(n.operand); }
  void visit(const json_path& n) override { walk(n.operand); }
  void visit(const labeled& n) override { walk(n.expr); }
};

/// Whether a join target is table t: the same table, or a subquery whose
/// alias t stands for (aliased_subquery::table()).
bool is_join_target(const node_ptr& target, const table_ref& t) {
  struct probe final : noop_visitor {
    const table_ref& t;
    bool found = false;
    explicit probe(const table_ref& table) : t(table) {}
    void visit(const table_ref& r) override { found = same_table(r, t); }
    void visit(const derived_table& d) override {
      found = t.schema.empty() && t.alias.empty() && d.alias == t.name;
    }
  } p(t);
  if (target) target->accept(p);
  return p.found;
}

}  // namespace

}  // namespace detail

node_ptr finish_select(const std::shared_ptr<const select_stmt>& statement) {
  if (!statement->from.empty() || statement->columns.empty()) return statement;
  detail::table_collector collector;
  for (const auto& c : statement->columns) collector.walk(c);
  auto copy = std::make_shared<select_stmt>(*statement);
  for (const auto& t : collector.tables) {
    // Tables joined explicitly are not FROM items as well.
    const bool joined =
        std::any_of(statement->joins.begin(), statement->joins.end(),
                    [&](const join_clause& j) { return detail::is_join_target(j.target, *t); });
    if (!joined) copy->from.push_back(t);
  }
  if (copy->from.empty() && !statement->joins.empty()) {
    throw usage_error("relate::sql: select() with joins needs a FROM table: call from()");
  }
  return copy;
}

aliased_subquery::aliased_subquery(node_ptr query, std::string alias) {
  if (alias.empty()) throw usage_error("relate::sql: a subquery needs an alias");
  derived_table d;
  d.query = std::move(query);
  d.alias = alias;
  derived_ = std::make_shared<const derived_table>(std::move(d));
  table_ref t;
  t.name = std::move(alias);
  table_ = std::make_shared<const table_ref>(std::move(t));
}

select_query::select_query(std::vector<node_ptr> columns) {
  auto s = std::make_shared<select_stmt>();
  s->columns = std::move(columns);
  stmt_ = std::move(s);
}

node_ptr select_query::make_scalar(node_ptr query) {
  scalar_subquery n;
  n.query = std::move(query);
  return std::make_shared<const scalar_subquery>(std::move(n));
}

select_query select_query::add_join(join_kind kind, node_ptr target, node_ptr on) const {
  return modified([&](select_stmt& s) { s.joins.push_back({kind, std::move(target), std::move(on)}); });
}

select_query select_query::limit(std::int64_t n) const {
  if (n < 0) throw usage_error("relate::sql: limit() must not be negative");
  return modified([&](select_stmt& s) { s.limit = n; });
}

select_query select_query::offset(std::int64_t n) const {
  if (n < 0) throw usage_error("relate::sql: offset() must not be negative");
  return modified([&](select_stmt& s) { s.offset = n; });
}

select_query select_query::distinct(bool on) const {
  return modified([&](select_stmt& s) { s.distinct = on; });
}

select_query select_query::for_update(bool on) const {
  return modified(
      [&](select_stmt& s) { s.lock.strength = on ? lock_strength::update : lock_strength::none; });
}

select_query select_query::with_for_update(row_lock lock) const {
  return modified([&](select_stmt& s) { s.lock = std::move(lock); });
}

expr<bool> exists(const select_query& query) {
  return expr<bool>(detail::make_unary(unary_operator::exists, query.node()));
}

expr<bool> not_exists(const select_query& query) {
  return expr<bool>(detail::make_unary(unary_operator::not_exists, query.node()));
}

compound_query::compound_query(compound_kind kind, std::vector<node_ptr> selects) {
  auto s = std::make_shared<compound_select>();
  s->kind = kind;
  s->selects = std::move(selects);
  stmt_ = std::move(s);
}

compound_query compound_query::limit(std::int64_t n) const {
  if (n < 0) throw usage_error("relate::sql: limit() must not be negative");
  auto copy = std::make_shared<compound_select>(*stmt_);
  copy->limit = n;
  return compound_query(std::move(copy));
}

compound_query compound_query::offset(std::int64_t n) const {
  if (n < 0) throw usage_error("relate::sql: offset() must not be negative");
  auto copy = std::make_shared<compound_select>(*stmt_);
  copy->offset = n;
  return compound_query(std::move(copy));
}

insert_query<> insert(table_ptr table) {
  if (!table) throw usage_error("relate::sql: insert() of no table");
  auto s = std::make_shared<insert_stmt>();
  s->table = std::move(table);
  return insert_query<>(std::move(s));
}

update_query update(table_ptr table) {
  if (!table) throw usage_error("relate::sql: update() of no table");
  auto s = std::make_shared<update_stmt>();
  s->table = std::move(table);
  return update_query(std::move(s));
}

delete_query delete_from(table_ptr table) {
  if (!table) throw usage_error("relate::sql: delete_from() of no table");
  auto s = std::make_shared<delete_stmt>();
  s->table = std::move(table);
  return delete_query(std::move(s));
}

}  // namespace relate::sql
