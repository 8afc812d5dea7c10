// SPDX-License-Identifier: MIT
// Node construction for the typed builders: kept out of line so that the
// templates in expression.hpp stay small.
#include <relate/sql/expression.hpp>

#include <relate/error.hpp>

#include "sql/noop_visitor.hpp"

#include <algorithm>
#include <string>

namespace relate::sql {

namespace detail {

namespace {
template <class T>
node_ptr share(T&& n) {
  return std::make_shared<const std::remove_cvref_t<T>>(std::forward<T>(n));
}
node_ptr require(node_ptr n, const char* what) {
  if (!n) throw usage_error(std::string("relate::sql: ") + what + " is missing");
  return n;
}

std::uint32_t depth_of(const node_ptr& n) noexcept { return n ? n->depth : 0; }

// n sits one level above its deepest child (below); refused past the limit.
void nest(node& n, std::uint32_t below) {
  if (below >= max_expression_depth)
    throw usage_error("relate::sql: the expression is nested more than relate::sql::max_expression_depth (" +
                      std::to_string(max_expression_depth) +
                      ") levels deep; build long conditions as one chain of && or || (which counts once), "
                      "or an in_() list");
  n.depth = below + 1;
}

template <class... N>
std::uint32_t deepest(const N&... nodes) noexcept {
  return std::max({std::uint32_t{0}, depth_of(nodes)...});
}
std::uint32_t deepest_of(const std::vector<node_ptr>& nodes) noexcept {
  std::uint32_t d = 0;
  for (const auto& n : nodes) d = std::max(d, depth_of(n));
  return d;
}
}  // namespace

node_ptr make_bind(relate::value v, std::optional<sql_type> type) {
  bind_param n;
  n.value = std::move(v);
  n.type = type;
  return share(std::move(n));
}

node_ptr make_column(table_ptr table, std::string name, sql_type type) {
  if (name.empty()) throw usage_error("relate::sql: a column needs a name");
  column_ref n;
  n.table = std::move(table);
  n.name = std::move(name);
  n.type = type;
  return share(std::move(n));
}

node_ptr make_unary(unary_operator op, node_ptr operand) {
  unary_op n;
  n.op = op;
  n.operand = require(std::move(operand), "an operand");
  nest(n, depth_of(n.operand));
  return share(std::move(n));
}

node_ptr make_binary(binary_operator op, node_ptr left, node_ptr right) {
  binary_op n;
  n.op = op;
  n.left = require(std::move(left), "an operand");
  n.right = require(std::move(right), "an operand");
  // An operand that continues the same AND/OR chain is not a level deeper.
  const auto below = [&](const node_ptr& operand) {
    const auto* b = dynamic_cast<const binary_op*>(operand.get());
    return b && is_chain_operator(op) && b->op == op ? operand->depth - 1 : operand->depth;
  };
  nest(n, std::max(below(n.left), below(n.right)));
  return share(std::move(n));
}

node_ptr make_like(node_ptr subject, node_ptr pattern, bool negated, bool case_insensitive,
                   std::optional<char> escape) {
  like_op n;
  n.subject = require(std::move(subject), "the subject of LIKE");
  n.pattern = require(std::move(pattern), "the pattern of LIKE");
  n.negated = negated;
  n.case_insensitive = case_insensitive;
  n.escape = escape;
  nest(n, deepest(n.subject, n.pattern));
  return share(std::move(n));
}

node_ptr make_in_list(node_ptr subject, std::vector<node_ptr> items, bool negated) {
  in_list n;
  n.subject = require(std::move(subject), "the subject of IN");
  n.items = std::move(items);
  n.negated = negated;
  nest(n, std::max(depth_of(n.subject), deepest_of(n.items)));
  return share(std::move(n));
}

node_ptr make_in_select(node_ptr subject, node_ptr query, bool negated) {
  in_select n;
  n.subject = require(std::move(subject), "the subject of IN");
  n.query = require(std::move(query), "the query of IN");
  n.negated = negated;
  nest(n, deepest(n.subject, n.query));
  return share(std::move(n));
}

node_ptr make_between(node_ptr subject, node_ptr low, node_ptr high, bool negated) {
  between_op n;
  n.subject = require(std::move(subject), "the subject of BETWEEN");
  n.low = require(std::move(low), "the lower bound of BETWEEN");
  n.high = require(std::move(high), "the upper bound of BETWEEN");
  n.negated = negated;
  nest(n, deepest(n.subject, n.low, n.high));
  return share(std::move(n));
}

node_ptr make_function(std::string name, std::vector<node_ptr> args, bool distinct) {
  if (name.empty()) throw usage_error("relate::sql: a function needs a name");
  function_call n;
  n.name = std::move(name);
  n.args = std::move(args);
  n.distinct = distinct;
  nest(n, deepest_of(n.args));
  return share(std::move(n));
}

node_ptr make_known_function(known_function function, datetime_field field, std::vector<node_ptr> args) {
  for (const auto& a : args) require(a, "an argument of a function");
  known_function_call n;
  n.function = function;
  n.field = field;
  n.args = std::move(args);
  nest(n, deepest_of(n.args));
  return share(std::move(n));
}

node_ptr make_round(node_ptr operand, int digits) {
  // SQLite takes a negative number of places as 0, PostgreSQL rounds to
  // tens, hundreds ...: one meaning on both, or none.
  if (digits < 0)
    throw usage_error("relate::sql::round: " + std::to_string(digits) +
                      " decimal places; give 0 or more (databases differ on negative places)");
  return make_known_function(
      known_function::round, datetime_field::year,
      {std::move(operand), make_bind(relate::value(std::int64_t{digits}), sql_type{type_kind::integer})});
}

node_ptr make_case(std::vector<std::pair<node_ptr, node_ptr>> whens, node_ptr otherwise) {
  case_expr n;
  n.whens = std::move(whens);
  n.otherwise = std::move(otherwise);
  std::uint32_t below = depth_of(n.otherwise);
  for (const auto& [when, then] : n.whens) below = std::max(below, deepest(when, then));
  nest(n, below);
  return share(std::move(n));
}

node_ptr make_cast(node_ptr operand, sql_type type) {
  cast_expr n;
  n.operand = require(std::move(operand), "the operand of CAST");
  n.type = type;
  nest(n, depth_of(n.operand));
  return share(std::move(n));
}

/// The JSON path `operand` is, or null when it is another node.
static const json_path* as_json_path(const node_ptr& operand) {
  struct path_probe final : noop_visitor {
    const json_path* path = nullptr;
    void visit(const json_path& p) override { path = &p; }
  } probe;
  operand->accept(probe);
  return probe.path;
}

node_ptr make_json_step(node_ptr operand, relate::value step) {
  if (step.kind() != value_kind::text && step.kind() != value_kind::integer)
    throw usage_error("relate::sql: a JSON path step is a key (text) or an index (integer)");
  auto key = make_bind(std::move(step), std::nullopt);
  require(operand, "the JSON document");
  // A step of a path that is not read as text yet extends it: x -> a -> b.
  const json_path* path = as_json_path(operand);
  json_path n;
  if (path && !path->as_text) {
    n = *path;
  } else {
    n.operand = std::move(operand);
  }
  n.steps.push_back(std::move(key));
  nest(n, depth_of(n.operand) + 1);
  return share(std::move(n));
}

node_ptr make_json_text(node_ptr operand) {
  require(operand, "the JSON document");
  const json_path* path = as_json_path(operand);
  if (!path) return make_cast(std::move(operand), sql_type{type_kind::text});
  json_path n = *path;
  n.as_text = true;
  return share(std::move(n));
}

node_ptr make_label(node_ptr expr, std::string label) {
  if (label.empty()) throw usage_error("relate::sql: a label needs a name");
  labeled n;
  n.expr = require(std::move(expr), "the labeled expression");
  n.label = std::move(label);
  nest(n, depth_of(n.expr));
  return share(std::move(n));
}

node_ptr make_star(table_ptr table) {
  star n;
  n.table = std::move(table);
  return share(std::move(n));
}

node_ptr make_text(std::string sql, std::vector<std::pair<std::string, relate::value>> params) {
  text_clause n;
  n.sql = std::move(sql);
  n.params = std::move(params);
  return share(std::move(n));
}

std::string escape_like(std::string_view s, char escape) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '%' || c == '_' || c == escape) out.push_back(escape);
    out.push_back(c);
  }
  return out;
}

}  // namespace detail

table_ptr table(std::string name, std::string schema) {
  if (name.empty()) throw usage_error("relate::sql: a table needs a name");
  table_ref t;
  t.name = std::move(name);
  t.schema = std::move(schema);
  return std::make_shared<const table_ref>(std::move(t));
}

table_ptr alias(const table_ptr& table, std::string alias_name) {
  if (!table) throw usage_error("relate::sql: alias() of no table");
  if (alias_name.empty()) throw usage_error("relate::sql: an alias needs a name");
  table_ref t = *table;
  t.alias = std::move(alias_name);
  return std::make_shared<const table_ref>(std::move(t));
}

text_clause_builder text_clause_builder::bind(std::string name, relate::value v) const {
  if (name.empty()) throw usage_error("relate::sql: text() parameter without a name");
  text_clause_builder copy = *this;
  for (auto& [existing, value] : copy.params_) {
    if (existing == name) {
      value = std::move(v);
      return copy;
    }
  }
  copy.params_.emplace_back(std::move(name), std::move(v));
  return copy;
}

expr<std::int64_t> count() {
  return expr<std::int64_t>(detail::make_function("count", {detail::make_star(nullptr)}, false));
}

expr<timestamp> now() {
  return expr<timestamp>(
      detail::make_known_function(known_function::current_timestamp, datetime_field::year, {}));
}

}  // namespace relate::sql
