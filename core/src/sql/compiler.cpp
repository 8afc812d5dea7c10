// SPDX-License-Identifier: MIT
// The generic SQL compiler: ANSI SQL for every node kind, with values as
// placeholders.  Dialects override single visits or hooks (placeholders,
// quoting, LIMIT syntax, ...) and declare their abilities as capabilities.
#include <relate/sql/compiler.hpp>

#include <relate/error.hpp>

#include "sql/array_parameter.hpp"
#include "sql/noop_visitor.hpp"
#include "sql/statement_cache.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace relate::sql {

namespace {

using detail::noop_visitor;

/// The label of a labeled node (for ORDER BY / GROUP BY by output name).
const labeled* as_labeled(const node& n) {
  struct probe final : noop_visitor {
    const labeled* found = nullptr;
    void visit(const labeled& l) override { found = &l; }
  } p;
  n.accept(p);
  return p.found;
}

/// Whether a member of a compound SELECT needs parentheses: a nested
/// compound, or a SELECT with its own ORDER BY / LIMIT / OFFSET.
bool needs_parentheses_in_compound(const node& n) {
  struct probe final : noop_visitor {
    bool result = false;
    void visit(const select_stmt& s) override {
      result = !s.order_by.empty() || s.limit.has_value() || s.offset.has_value();
    }
    void visit(const compound_select&) override { result = true; }
  } p;
  n.accept(p);
  return p.result;
}

bool is_star(const node& n) {
  struct probe final : noop_visitor {
    bool result = false;
    void visit(const star&) override { result = true; }
  } p;
  n.accept(p);
  return p.result;
}

bool is_arithmetic(const node& n) {
  struct probe final : noop_visitor {
    bool result = false;
    void visit(const binary_op& b) override {
      switch (b.op) {
        case binary_operator::add:
        case binary_operator::subtract:
        case binary_operator::multiply:
        case binary_operator::divide:
        case binary_operator::modulo:
          result = true;
          break;
        default:
          break;
      }
    }
  } p;
  n.accept(p);
  return p.result;
}

}  // namespace

sql_compiler::~sql_compiler() = default;

compiled_statement sql_compiler::compile(const node& root) {
  out_.clear();
  params_.clear();
  origins_.clear();
  constants_.clear();
  cacheable_ = true;
  root.accept(*this);
  return {std::move(out_), std::move(params_)};
}

void sql_compiler::record_origin(const void* address) {
  if (!sources_) return;
  auto it = sources_->find(address);
  if (it == sources_->end()) {
    cacheable_ = false;
  } else {
    origins_.push_back(it->second);
  }
}

void sql_compiler::bind(const relate::value& v) {
  params_.push_back(v);
  write(dialect_.placeholder(params_.size()));
  record_origin(&v);
}

void sql_compiler::bind_count(const std::optional<std::int64_t>& count) {
  if (!count) throw usage_error("bind_count() needs a count");
  params_.emplace_back(*count);
  write(dialect_.placeholder(params_.size()));
  record_origin(&count);
}

void sql_compiler::bind_constant(const relate::value& v) {
  params_.push_back(v);
  write(dialect_.placeholder(params_.size()));
  if (sources_) {
    origins_.push_back(detail::constant_origin | constants_.size());
    constants_.push_back(v);
  }
}

void sql_compiler::unsupported(std::string_view node_kind) const {
  error_info info;
  info.driver = std::string(dialect_.name());
  info.native_message =
      "unsupported compilation: the " + info.driver + " dialect cannot render " + std::string(node_kind);
  throw not_supported_error(std::move(info));
}

int sql_compiler::precedence_of(const node& n) const {
  struct probe final : noop_visitor {
    int result = prec_atom;
    void visit(const unary_op& u) override {
      switch (u.op) {
        case unary_operator::logical_not:
        case unary_operator::not_exists:
          result = prec_not;
          break;
        case unary_operator::negate:
          result = prec_unary;
          break;
        case unary_operator::is_null:
        case unary_operator::is_not_null:
          result = prec_comparison;
          break;
        case unary_operator::exists:
          result = prec_atom;
          break;
      }
    }
    void visit(const binary_op& b) override {
      switch (b.op) {
        case binary_operator::logical_or:
          result = prec_or;
          break;
        case binary_operator::logical_and:
          result = prec_and;
          break;
        case binary_operator::concat:
          result = prec_concat;
          break;
        case binary_operator::add:
        case binary_operator::subtract:
          result = prec_additive;
          break;
        case binary_operator::multiply:
        case binary_operator::divide:
        case binary_operator::modulo:
          result = prec_multiplicative;
          break;
        default:
          result = prec_comparison;
          break;
      }
    }
    void visit(const like_op&) override { result = prec_comparison; }
    void visit(const in_list&) override { result = prec_comparison; }
    void visit(const in_select&) override { result = prec_comparison; }
    void visit(const between_op&) override { result = prec_comparison; }
    void visit(const text_clause&) override { result = prec_raw; }
  } p;
  n.accept(p);
  return p.result;
}

void sql_compiler::emit_operand(const node_ptr& child, int parent, bool right_side) {
  if (!child) throw usage_error("an operator is missing an operand");
  const int own = precedence_of(*child);
  bool parenthesise = own < parent;
  if (own == parent) {
    // Comparisons do not chain in SQL; for the rest, only AND/OR are
    // associative enough that the right operand needs no parentheses.
    parenthesise = parent == prec_comparison || parent == prec_not ||
                   (right_side && parent != prec_and && parent != prec_or);
  }
  // SQLite binds || tighter than arithmetic, PostgreSQL looser: never rely on either.
  if (parent == prec_concat && is_arithmetic(*child)) parenthesise = true;
  if (parenthesise) write("(");
  emit(child);
  if (parenthesise) write(")");
}

std::string_view sql_compiler::binary_operator_sql(binary_operator op) const {
  switch (op) {
    case binary_operator::eq:
      return " = ";
    case binary_operator::ne:
      return " <> ";
    case binary_operator::lt:
      return " < ";
    case binary_operator::le:
      return " <= ";
    case binary_operator::gt:
      return " > ";
    case binary_operator::ge:
      return " >= ";
    case binary_operator::logical_and:
      return " AND ";
    case binary_operator::logical_or:
      return " OR ";
    case binary_operator::add:
      return " + ";
    case binary_operator::subtract:
      return " - ";
    case binary_operator::multiply:
      return " * ";
    case binary_operator::divide:
      return " / ";
    case binary_operator::modulo:
      return " % ";
    case binary_operator::concat:
      return " || ";
    case binary_operator::is_distinct_from:
      return " IS DISTINCT FROM ";
    case binary_operator::is_not_distinct_from:
      return " IS NOT DISTINCT FROM ";
  }
  unsupported("binary operator");
}

// ---- FROM items ----------------------------------------------------------------

void sql_compiler::write_table_name(const table_ref& table) {
  if (!table.schema.empty()) {
    write_identifier(table.schema);
    write(".");
  }
  write_identifier(table.name);
}

void sql_compiler::visit(const table_ref& n) {
  write_table_name(n);
  if (!n.alias.empty()) {
    write(" AS ");
    write_identifier(n.alias);
  }
}

void sql_compiler::visit(const derived_table& n) {
  if (!n.query) throw usage_error("derived table without a query");
  if (n.alias.empty()) throw usage_error("a derived table (subquery in FROM) needs an alias");
  write("(");
  emit(n.query);
  write(") AS ");
  write_identifier(n.alias);
}

// ---- expressions -----------------------------------------------------------------

namespace {

/// A column or parameter of an array type where the database has none: never
/// sent as the text it would be stored as.
void refuse_array(const dialect& d, const sql_type& type, std::string_view what) {
  if (type.kind != type_kind::array || d.capabilities().arrays) return;
  error_info info;
  info.driver = std::string(d.name());
  info.native_message = "unsupported compilation: the " + info.driver + " dialect has no array types (" +
                        std::string(what) + " of " + std::string(to_string(type.element)) +
                        " array); arrays are a PostgreSQL type";
  throw not_supported_error(std::move(info));
}

}  // namespace

void sql_compiler::visit(const column_ref& n) {
  refuse_array(dialect_, n.type, "column \"" + n.name + "\"");
  if (n.table) {
    if (!n.table->alias.empty()) {
      write_identifier(n.table->alias);
    } else {
      write_table_name(*n.table);
    }
    write(".");
  }
  write_identifier(n.name);
}

void sql_compiler::visit(const bind_param& n) {
  if (n.type) refuse_array(dialect_, *n.type, "a parameter");
  bind(n.value);
}

void sql_compiler::visit(const null_literal&) { write("NULL"); }

void sql_compiler::visit(const star& n) {
  if (n.table) {
    if (!n.table->alias.empty()) {
      write_identifier(n.table->alias);
    } else {
      write_table_name(*n.table);
    }
    write(".");
  }
  write("*");
}

void sql_compiler::visit(const unary_op& n) {
  switch (n.op) {
    case unary_operator::logical_not:
      write("NOT ");
      emit_operand(n.operand, prec_atom);
      break;
    case unary_operator::negate:
      write("-");
      emit_operand(n.operand, prec_atom);
      break;
    case unary_operator::is_null:
      emit_operand(n.operand, prec_comparison);
      write(" IS NULL");
      break;
    case unary_operator::is_not_null:
      emit_operand(n.operand, prec_comparison);
      write(" IS NOT NULL");
      break;
    case unary_operator::exists:
    case unary_operator::not_exists:
      if (!n.operand) throw usage_error("EXISTS without a query");
      write(n.op == unary_operator::exists ? "EXISTS (" : "NOT EXISTS (");
      emit(n.operand);
      write(")");
      break;
  }
}

void sql_compiler::visit(const binary_op& n) {
  const int own = precedence_of(n);
  if (is_chain_operator(n.op)) {
    // a OR b OR c ...: one flat list, however it was grouped and however long.
    bool first = true;
    for_each_chained(n, [&](const node_ptr& operand) {
      if (!first) write(binary_operator_sql(n.op));
      first = false;
      emit_operand(operand, own);
    });
    return;
  }
  emit_operand(n.left, own);
  write(binary_operator_sql(n.op));
  emit_operand(n.right, own, true);
}

void sql_compiler::visit(const like_op& n) {
  const bool lower = n.case_insensitive && !dialect_.capabilities().native_ilike;
  if (lower) {
    write("lower(");
    emit(n.subject);
    write(")");
  } else {
    emit_operand(n.subject, prec_comparison);
  }
  if (n.negated) write(" NOT");
  write(n.case_insensitive && !lower ? " ILIKE " : " LIKE ");
  if (lower) {
    write("lower(");
    emit(n.pattern);
    write(")");
  } else {
    emit_operand(n.pattern, prec_comparison, true);
  }
  if (n.escape) {
    if (*n.escape == '\0') throw usage_error("LIKE escape character cannot be NUL");
    write(" ESCAPE '");
    if (*n.escape == '\'') write("'");
    out_.push_back(*n.escape);
    write("'");
  }
}

void sql_compiler::visit(const in_list& n) {
  if (n.items.empty()) {
    // "x IN ()" is not valid SQL; an empty set matches nothing (SQLAlchemy's
    // "empty IN" behaviour), and NOT IN of it matches everything.
    write(n.negated ? "1 = 1" : "1 != 1");
    return;
  }
  const std::size_t threshold = dialect_.capabilities().array_in_lists_over;
  if (threshold && n.items.size() > threshold) {
    if (auto array = detail::as_array_parameter(n.items)) {
      // Not a value of the tree: bind() marks the statement uncacheable.
      emit_operand(n.subject, prec_comparison);
      write(n.negated ? " <> ALL(CAST(" : " = ANY(CAST(");
      bind(array->literal);
      write(" AS " + dialect_.type_name(array->element) + "[]))");
      return;
    }
  }
  emit_operand(n.subject, prec_comparison);
  write(n.negated ? " NOT IN (" : " IN (");
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    if (i) write(", ");
    emit(n.items[i]);
  }
  write(")");
}

void sql_compiler::visit(const in_select& n) {
  emit_operand(n.subject, prec_comparison);
  write(n.negated ? " NOT IN (" : " IN (");
  if (!n.query) throw usage_error("IN without a query");
  emit(n.query);
  write(")");
}

void sql_compiler::visit(const between_op& n) {
  emit_operand(n.subject, prec_comparison);
  write(n.negated ? " NOT BETWEEN " : " BETWEEN ");
  emit_operand(n.low, prec_comparison, true);
  write(" AND ");
  emit_operand(n.high, prec_comparison, true);
}

void sql_compiler::visit(const function_call& n) {
  // count(DISTINCT *) is no SQL of any database: say so rather than write it.
  if (n.distinct &&
      std::any_of(n.args.begin(), n.args.end(), [](const node_ptr& a) { return a && is_star(*a); }))
    throw usage_error(n.name + "(DISTINCT *): DISTINCT needs an expression, not *");
  write(n.name);
  write("(");
  if (n.distinct) write("DISTINCT ");
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    if (i) write(", ");
    emit(n.args[i]);
  }
  write(")");
}

void sql_compiler::check_arguments(const known_function_call& n) {
  std::size_t expected = 0;
  switch (n.function) {
    case known_function::current_timestamp:
      expected = 0;
      break;
    case known_function::round:
      expected = 2;
      break;
    case known_function::extract:
      expected = 1;
      break;
  }
  if (n.args.size() != expected ||
      std::any_of(n.args.begin(), n.args.end(), [](const node_ptr& a) { return a == nullptr; }))
    throw usage_error("relate::sql: a known function call with " + std::to_string(n.args.size()) +
                      " arguments where its function takes " + std::to_string(expected));
}

namespace {
std::string_view extract_field_sql(datetime_field f) {
  switch (f) {
    case datetime_field::year:
      return "YEAR";
    case datetime_field::month:
      return "MONTH";
    case datetime_field::day:
      return "DAY";
    case datetime_field::hour:
      return "HOUR";
    case datetime_field::minute:
      return "MINUTE";
    case datetime_field::second:
      return "SECOND";
  }
  return "YEAR";
}
}  // namespace

void sql_compiler::visit(const known_function_call& n) {
  check_arguments(n);
  switch (n.function) {
    case known_function::current_timestamp:
      write("CURRENT_TIMESTAMP");
      return;
    case known_function::round:
      // round(double precision, integer) does not exist in PostgreSQL: only
      // NUMERIC rounds to a number of places.  The result goes back to the
      // double the builder promises.
      write("CAST(round(CAST(");
      emit(n.args[0]);
      write(" AS ");
      write(dialect_.type_name({type_kind::numeric}));
      write("), ");
      emit(n.args[1]);
      write(") AS ");
      write(dialect_.type_name({type_kind::real}));
      write(")");
      return;
    case known_function::extract: {
      // EXTRACT yields NUMERIC (PostgreSQL 14 on), with the fraction of a
      // second: as BIGINT it is the whole number the builder promises, the
      // seconds floored rather than rounded up to 60.
      const bool second = n.field == datetime_field::second;
      write("CAST(");
      if (second) write("floor(");
      write("EXTRACT(");
      write(extract_field_sql(n.field));
      write(" FROM ");
      emit(n.args[0]);
      write(")");
      if (second) write(")");
      write(" AS ");
      write(dialect_.type_name({type_kind::big_integer}));
      write(")");
      return;
    }
  }
}

void sql_compiler::visit(const case_expr& n) {
  if (n.whens.empty()) throw usage_error("CASE needs at least one WHEN");
  write("CASE");
  for (const auto& [condition, result] : n.whens) {
    write(" WHEN ");
    emit(condition);
    write(" THEN ");
    emit(result);
  }
  if (n.otherwise) {
    write(" ELSE ");
    emit(n.otherwise);
  }
  write(" END");
}

void sql_compiler::visit(const cast_expr& n) {
  write("CAST(");
  emit(n.operand);
  write(" AS ");
  write(dialect_.type_name(n.type));
  write(")");
}

void sql_compiler::visit(const json_path& n) {
  struct key_probe final : noop_visitor {
    bool key = false;
    void visit(const bind_param& b) override { key = b.value.kind() == value_kind::text; }
  };
  // Parenthesised: -> binds differently in each database's grammar.
  write("(");
  emit(n.operand);
  for (std::size_t i = 0; i < n.steps.size(); ++i) {
    write(n.as_text && i + 1 == n.steps.size() ? " ->> " : " -> ");
    key_probe probe;
    n.steps[i]->accept(probe);
    write_json_step(n.steps[i], probe.key);
  }
  write(")");
}

void sql_compiler::write_json_step(const node_ptr& step, bool) { emit(step); }

void sql_compiler::visit(const labeled& n) {
  emit(n.expr);
  write(" AS ");
  write_identifier(n.label);
}

void sql_compiler::visit(const scalar_subquery& n) {
  if (!n.query) throw usage_error("scalar subquery without a query");
  write("(");
  emit(n.query);
  write(")");
}

namespace {
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
}  // namespace

void sql_compiler::visit(const text_clause& n) {
  // Rewrites ":name" into the dialect's placeholders, left to right.  Quoted
  // strings, quoted identifiers and comments are copied untouched, "::" is a
  // PostgreSQL cast and "\:" a literal colon, so none of them is a parameter.
  const std::string& sql = n.sql;
  std::size_t i = 0;
  auto copy_quoted = [&](char quote) {
    std::size_t end = i + 1;
    while (end < sql.size()) {
      if (sql[end] == quote) {
        if (end + 1 < sql.size() && sql[end + 1] == quote) {
          end += 2;  // doubled quote inside the literal
          continue;
        }
        break;
      }
      ++end;
    }
    end = std::min(end + 1, sql.size());
    out_.append(sql, i, end - i);
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_quoted(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string::npos ? sql.size() : end;
      out_.append(sql, i, end - i);
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      end = end == std::string::npos ? sql.size() : end + 2;
      out_.append(sql, i, end - i);
      i = end;
    } else if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out_.push_back(':');
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out_.append("::");
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() && is_name_start(sql[i + 1])) {
      std::size_t end = i + 1;
      while (end < sql.size() && is_name_char(sql[end])) ++end;
      const std::string_view name(sql.data() + i + 1, end - i - 1);
      const relate::value* found = nullptr;
      for (const auto& [param_name, v] : n.params) {
        if (param_name == name) {
          found = &v;
          break;
        }
      }
      if (!found) throw usage_error("text(): no value bound for :" + std::string(name));
      bind(*found);
      i = end;
    } else {
      out_.push_back(c);
      ++i;
    }
  }
}

// ---- statements ----------------------------------------------------------------

void sql_compiler::write_order_by(const std::vector<order_item>& items) {
  if (items.empty()) return;
  write(" ORDER BY ");
  bool first = true;
  for (const auto& item : items) {
    if (!item.expr) throw usage_error("ORDER BY item without an expression");
    if (!first) write(", ");
    first = false;
    auto write_expr = [&] {
      if (const labeled* l = as_labeled(*item.expr)) {
        write_identifier(l->label);  // order by the output column's name
      } else {
        emit(item.expr);
      }
    };
    const bool emulate = item.nulls != nulls_order::unspecified && !dialect_.capabilities().nulls_ordering;
    if (emulate) {
      // "x IS NULL" is 1 for NULLs: descending puts them first.
      if (const labeled* l = as_labeled(*item.expr)) {
        write_identifier(l->label);
      } else {
        emit_operand(item.expr, prec_comparison);
      }
      write(item.nulls == nulls_order::first ? " IS NULL DESC, " : " IS NULL, ");
    }
    write_expr();
    if (item.descending) write(" DESC");
    if (!emulate && item.nulls == nulls_order::first) write(" NULLS FIRST");
    if (!emulate && item.nulls == nulls_order::last) write(" NULLS LAST");
  }
}

void sql_compiler::write_limit_offset(const std::optional<std::int64_t>& limit,
                                      const std::optional<std::int64_t>& offset) {
  if (limit) {
    write(" LIMIT ");
    bind_count(limit);
  }
  if (offset && !limit) {
    // SQLite accepts OFFSET only after a LIMIT; PostgreSQL rejects a negative
    // one.  The largest count means "no limit" to both.
    write(" LIMIT ");
    bind_constant(std::numeric_limits<std::int64_t>::max());
  }
  if (offset) {
    write(" OFFSET ");
    bind_count(offset);
  }
}

void sql_compiler::write_returning(const std::vector<node_ptr>& columns) {
  if (columns.empty()) return;
  if (!dialect_.capabilities().returning) unsupported("RETURNING");
  write(" RETURNING ");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) write(", ");
    emit(columns[i]);
  }
}

void sql_compiler::write_on_conflict(const on_conflict& clause) {
  if (!dialect_.capabilities().upsert) unsupported("ON CONFLICT (upsert)");
  write(" ON CONFLICT");
  if (!clause.target_columns.empty()) {
    write(" (");
    for (std::size_t i = 0; i < clause.target_columns.size(); ++i) {
      if (i) write(", ");
      write_identifier(clause.target_columns[i]);
    }
    write(")");
  }
  if (clause.set.empty()) {
    write(" DO NOTHING");
    return;
  }
  if (clause.target_columns.empty()) throw usage_error("ON CONFLICT DO UPDATE needs conflict target columns");
  write(" DO UPDATE SET ");
  for (std::size_t i = 0; i < clause.set.size(); ++i) {
    if (i) write(", ");
    write_identifier(clause.set[i].first);
    write(" = ");
    emit(clause.set[i].second);
  }
}

void sql_compiler::write_compound_member(const node& member) {
  if (!needs_parentheses_in_compound(member)) {
    member.accept(*this);
    return;
  }
  // "(SELECT ... LIMIT 1) UNION ..." is standard but SQLite cannot parse a
  // parenthesised member; a derived table means the same everywhere.
  write("SELECT * FROM (");
  member.accept(*this);
  write(") AS ");
  write_identifier("anon");
}

void sql_compiler::visit(const select_stmt& n) {
  write(n.distinct ? "SELECT DISTINCT " : "SELECT ");
  if (n.columns.empty()) {
    write("*");
  } else {
    for (std::size_t i = 0; i < n.columns.size(); ++i) {
      if (i) write(", ");
      emit(n.columns[i]);
    }
  }
  if (!n.from.empty()) {
    write(" FROM ");
    for (std::size_t i = 0; i < n.from.size(); ++i) {
      if (i) write(", ");
      emit(n.from[i]);
    }
  } else if (!n.joins.empty()) {
    throw usage_error("a JOIN needs a FROM table to join to");
  }
  for (const auto& j : n.joins) {
    switch (j.kind) {
      case join_kind::inner:
        write(" JOIN ");
        break;
      case join_kind::left_outer:
        write(" LEFT OUTER JOIN ");
        break;
      case join_kind::full_outer:
        write(" FULL OUTER JOIN ");
        break;
      case join_kind::cross:
        write(" CROSS JOIN ");
        break;
    }
    if (!j.target) throw usage_error("JOIN without a target");
    emit(j.target);
    if (j.on) {
      write(" ON ");
      emit(j.on);
    } else if (j.kind != join_kind::cross) {
      throw usage_error("JOIN without an ON condition (use a cross join for a cartesian product)");
    }
  }
  if (n.where) {
    write(" WHERE ");
    emit(n.where);
  }
  if (!n.group_by.empty()) {
    write(" GROUP BY ");
    for (std::size_t i = 0; i < n.group_by.size(); ++i) {
      if (i) write(", ");
      if (const labeled* l = as_labeled(*n.group_by[i])) {
        write_identifier(l->label);
      } else {
        emit(n.group_by[i]);
      }
    }
  }
  if (n.having) {
    write(" HAVING ");
    emit(n.having);
  }
  write_order_by(n.order_by);
  write_limit_offset(n.limit, n.offset);
  // Without the capability FOR UPDATE is omitted, not an error: SQLite, the
  // dialect that lacks it, serialises writers at the database level, so the
  // rows cannot change under the transaction anyway.
  if (n.lock.strength != lock_strength::none && dialect_.capabilities().for_update) write_row_lock(n.lock);
}

void sql_compiler::write_row_lock(const row_lock& lock) {
  switch (lock.strength) {
    case lock_strength::none:
      return;
    case lock_strength::update:
      write(" FOR UPDATE");
      break;
    case lock_strength::no_key_update:
      write(" FOR NO KEY UPDATE");
      break;
    case lock_strength::share:
      write(" FOR SHARE");
      break;
    case lock_strength::key_share:
      write(" FOR KEY SHARE");
      break;
  }
  for (std::size_t i = 0; i < lock.of.size(); ++i) {
    if (!lock.of[i]) throw usage_error("relate::sql: FOR UPDATE OF names a null table");
    write(i == 0 ? " OF " : ", ");
    // A locking clause names a FROM item as the query does: its alias, else its bare name.
    write_identifier(lock.of[i]->alias.empty() ? lock.of[i]->name : lock.of[i]->alias);
  }
  if (lock.wait == lock_wait::nowait) write(" NOWAIT");
  if (lock.wait == lock_wait::skip_locked) write(" SKIP LOCKED");
}

void sql_compiler::visit(const compound_select& n) {
  if (n.selects.size() < 2) throw usage_error("a compound SELECT needs at least two queries");
  std::string_view keyword;
  switch (n.kind) {
    case compound_kind::union_distinct:
      keyword = " UNION ";
      break;
    case compound_kind::union_all:
      keyword = " UNION ALL ";
      break;
    case compound_kind::intersect:
      keyword = " INTERSECT ";
      break;
    case compound_kind::except:
      keyword = " EXCEPT ";
      break;
  }
  for (std::size_t i = 0; i < n.selects.size(); ++i) {
    if (i) write(keyword);
    if (!n.selects[i]) throw usage_error("compound SELECT with a missing query");
    write_compound_member(*n.selects[i]);
  }
  write_order_by(n.order_by);
  write_limit_offset(n.limit, n.offset);
}

void sql_compiler::visit(const insert_stmt& n) {
  if (!n.table) throw usage_error("INSERT without a table");
  write("INSERT INTO ");
  visit(*n.table);
  auto write_columns = [&] {
    if (n.columns.empty()) return;
    write(" (");
    for (std::size_t i = 0; i < n.columns.size(); ++i) {
      if (i) write(", ");
      write_identifier(n.columns[i]);
    }
    write(")");
  };
  if (n.from_select) {
    if (!n.rows.empty()) throw usage_error("INSERT has both VALUES rows and a SELECT");
    write_columns();
    write(" ");
    emit(n.from_select);
  } else if (n.rows.empty()) {
    if (!n.columns.empty()) throw usage_error("INSERT names columns but has no VALUES rows");
    write(" DEFAULT VALUES");
  } else {
    if (n.rows.size() > 1 && !dialect_.capabilities().multi_row_insert) unsupported("multi-row INSERT");
    write_columns();
    write(" VALUES ");
    for (std::size_t r = 0; r < n.rows.size(); ++r) {
      const auto& row = n.rows[r];
      if (row.empty() || (!n.columns.empty() && row.size() != n.columns.size())) {
        throw usage_error("INSERT row " + std::to_string(r + 1) + " has " + std::to_string(row.size()) +
                          " values for " + std::to_string(n.columns.size()) + " columns");
      }
      if (r) write(", ");
      write("(");
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) write(", ");
        emit(row[i]);
      }
      write(")");
    }
  }
  if (n.upsert) write_on_conflict(*n.upsert);
  write_returning(n.returning);
}

void sql_compiler::visit(const update_stmt& n) {
  if (!n.table) throw usage_error("UPDATE without a table");
  if (n.assignments.empty()) throw usage_error("UPDATE without SET assignments");
  write("UPDATE ");
  visit(*n.table);
  write(" SET ");
  for (std::size_t i = 0; i < n.assignments.size(); ++i) {
    if (i) write(", ");
    write_identifier(n.assignments[i].first);
    write(" = ");
    emit(n.assignments[i].second);
  }
  if (n.where) {
    write(" WHERE ");
    emit(n.where);
  }
  write_returning(n.returning);
}

void sql_compiler::visit(const delete_stmt& n) {
  if (!n.table) throw usage_error("DELETE without a table");
  write("DELETE FROM ");
  visit(*n.table);
  if (n.where) {
    write(" WHERE ");
    emit(n.where);
  }
  write_returning(n.returning);
}

}  // namespace relate::sql
