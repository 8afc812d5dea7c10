// SPDX-License-Identifier: MIT
// The expression tree: immutable, backend-neutral nodes for expressions and
// statements.
//
// Nodes are shared (std::shared_ptr<const node>) and never modified after
// construction, so a tree can be reused, cached and compiled for several
// dialects at once.  Values appear only in bind nodes: compiling a tree turns
// each of them into a placeholder and a bound parameter, never into SQL text.
// Identifiers are plain strings here; the dialect quotes every one of them.
//
// This header is the SQL layer's data model.  The typed, user-facing builders
// (relate/sql/expression.hpp) and the ORM build these nodes; compilers
// (relate/sql/compiler.hpp) walk them through node_visitor.
#pragma once

#include <relate/export.hpp>

#include <relate/sql/types.hpp>
#include <relate/value.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relate::sql {

class node_visitor;

/// Every node kind, once, in the order of node_visitor's vtable.  node_visitor
/// has one pure visit per kind generated from this list, so a visitor that
/// misses a kind is abstract and fails to compile where it is made.  Adding a
/// kind also trips node_kind_count's checks: in core/src/sql/noop_visitor.hpp
/// (the probes that skip kinds on purpose must be looked at) and in
/// core/src/sql/ast.cpp (drivers inherit node_visitor through sql_compiler,
/// so the plugin ABI version must change with it).
// clang-format off
#define RELATE_SQL_NODE_KINDS(X) \
  X(table_ref) \
  X(derived_table) \
  X(column_ref) \
  X(bind_param) \
  X(null_literal) \
  X(star) \
  X(unary_op) \
  X(binary_op) \
  X(like_op) \
  X(in_list) \
  X(in_select) \
  X(between_op) \
  X(function_call) \
  X(known_function_call) \
  X(case_expr) \
  X(cast_expr) \
  X(json_path) \
  X(labeled) \
  X(scalar_subquery) \
  X(text_clause) \
  X(select_stmt) \
  X(compound_select) \
  X(insert_stmt) \
  X(update_stmt) \
  X(delete_stmt)
// clang-format on

/// Base of every node.  accept() dispatches to the visit of the node's kind.
class RELATE_API node {
 public:
  virtual ~node();
  virtual void accept(node_visitor& v) const = 0;
  /// Levels of nesting at and below this node, set by the builders
  /// (expression.cpp), which refuse trees deeper than max_expression_depth.
  /// A chain of one AND or OR (a || b || c ...) counts once, however long.
  std::uint32_t depth = 1;
};
using node_ptr = std::shared_ptr<const node>;

// ---- FROM items -------------------------------------------------------------

/// A table by name, optionally schema-qualified and aliased.
struct RELATE_API table_ref final : node {
  std::string name;
  std::string schema;  // empty: the connection's default
  std::string alias;   // empty: none
  void accept(node_visitor& v) const override;
};
using table_ptr = std::shared_ptr<const table_ref>;

struct select_stmt;
using select_ptr = std::shared_ptr<const select_stmt>;

/// (SELECT ...) AS alias in a FROM clause.
struct RELATE_API derived_table final : node {
  node_ptr query;  // select_stmt or compound_select
  std::string alias;
  void accept(node_visitor& v) const override;
};

enum class join_kind : std::uint8_t { inner, left_outer, full_outer, cross };

struct join_clause {
  join_kind kind = join_kind::inner;
  node_ptr target;  // table_ref or derived_table
  node_ptr on;      // null for cross joins
};

// ---- expressions ------------------------------------------------------------

/// table.column; table may be null for an unqualified name (e.g. a label).
struct RELATE_API column_ref final : node {
  table_ptr table;
  std::string name;
  sql_type type;
  void accept(node_visitor& v) const override;
};

/// A bound parameter.  type is a hint for dialects that need one (PostgreSQL
/// casts of untyped parameters); value.kind() is always authoritative.
struct RELATE_API bind_param final : node {
  relate::value value;
  std::optional<sql_type> type;
  void accept(node_visitor& v) const override;
};

/// SQL keywords that are not values: NULL, TRUE/FALSE are bound, not literal.
struct RELATE_API null_literal final : node {
  void accept(node_visitor& v) const override;
};

/// `*` or `table.*`.
struct RELATE_API star final : node {
  table_ptr table;
  void accept(node_visitor& v) const override;
};

enum class unary_operator : std::uint8_t { logical_not, negate, is_null, is_not_null, exists, not_exists };

struct RELATE_API unary_op final : node {
  unary_operator op;
  node_ptr operand;
  void accept(node_visitor& v) const override;
};

enum class binary_operator : std::uint8_t {
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logical_and,
  logical_or,
  add,
  subtract,
  multiply,
  divide,
  modulo,
  concat,
  is_distinct_from,
  is_not_distinct_from,
};

struct RELATE_API binary_op final : node {
  binary_operator op;
  node_ptr left;
  node_ptr right;
  void accept(node_visitor& v) const override;

  binary_op() = default;
  binary_op(const binary_op&) = default;
  binary_op(binary_op&&) = default;
  binary_op& operator=(const binary_op&) = default;
  binary_op& operator=(binary_op&&) = default;
  /// Iterative: a chain of a million ORs must not recurse a million times.
  ~binary_op() override;
};

/// Whether op chains (AND, OR): such chains are flattened, never recursed.
constexpr bool is_chain_operator(binary_operator op) noexcept {
  return op == binary_operator::logical_and || op == binary_operator::logical_or;
}

/// Calls f(node_ptr) for each operand of the chain of n.op that n heads
/// (a || b || c: a, b and c, in order, whatever the grouping), with an
/// explicit stack instead of recursion.
template <class F>
void for_each_chained(const binary_op& n, F&& f) {
  std::vector<const node_ptr*> stack{&n.right, &n.left};
  while (!stack.empty()) {
    const node_ptr& p = *stack.back();
    stack.pop_back();
    const auto* b = dynamic_cast<const binary_op*>(p.get());
    if (b && b->op == n.op) {
      stack.push_back(&b->right);
      stack.push_back(&b->left);
    } else {
      f(p);
    }
  }
}

/// subject [NOT] LIKE/ILIKE pattern [ESCAPE 'c'].  Dialects without ILIKE
/// render case_insensitive as lower(subject) LIKE lower(pattern).
struct RELATE_API like_op final : node {
  node_ptr subject;
  node_ptr pattern;
  bool negated = false;
  bool case_insensitive = false;
  std::optional<char> escape;
  void accept(node_visitor& v) const override;
};

/// subject [NOT] IN (items...).  An empty list compiles to a false (or, when
/// negated, true) predicate, as SQLAlchemy's "empty IN" does.
struct RELATE_API in_list final : node {
  node_ptr subject;
  std::vector<node_ptr> items;
  bool negated = false;
  void accept(node_visitor& v) const override;
};

/// subject [NOT] IN (SELECT ...).
struct RELATE_API in_select final : node {
  node_ptr subject;
  node_ptr query;
  bool negated = false;
  void accept(node_visitor& v) const override;
};

struct RELATE_API between_op final : node {
  node_ptr subject;
  node_ptr low;
  node_ptr high;
  bool negated = false;
  void accept(node_visitor& v) const override;
};

/// name(args...), e.g. count(*), lower(x), coalesce(a, b).  Names are emitted
/// as given (function names are not identifiers to quote); the builders only
/// create names from a fixed list or from the user's own code, never from data.
struct RELATE_API function_call final : node {
  std::string name;
  std::vector<node_ptr> args;
  bool distinct = false;  // count(DISTINCT x)
  void accept(node_visitor& v) const override;
};

/// A part of a date or time, as EXTRACT names it; the parts of the time of
/// day come last.
enum class datetime_field : std::uint8_t { year, month, day, hour, minute, second };

/// The functions whose SQL differs between databases, named by what they
/// compute rather than spelled (SQLAlchemy's extract and its per-dialect
/// visit_<name>_func): the generic compiler writes the standard spelling,
/// which PostgreSQL speaks, and a dialect overrides the visit of
/// known_function_call for the ones it spells otherwise.
enum class known_function : std::uint8_t {
  current_timestamp,  // no arguments: the current time
  round,              // (x, digits): x rounded to digits decimal places, a double precision number
  extract,            // (x): the part `field` of a date or time, a whole number (seconds floored)
};

struct RELATE_API known_function_call final : node {
  known_function function = known_function::current_timestamp;
  datetime_field field = datetime_field::year;  // of extract
  std::vector<node_ptr> args;
  void accept(node_visitor& v) const override;
};

/// CASE WHEN c THEN r ... ELSE e END.
struct RELATE_API case_expr final : node {
  std::vector<std::pair<node_ptr, node_ptr>> whens;
  node_ptr otherwise;  // may be null
  void accept(node_visitor& v) const override;
};

struct RELATE_API cast_expr final : node {
  node_ptr operand;
  sql_type type;
  void accept(node_visitor& v) const override;
};

/// A member of a JSON document: operand -> step -> step ..., the last step
/// with ->> (its value as SQL text or number) when as_text.  Each step is a
/// bound key (text) or array index (integer).
struct RELATE_API json_path final : node {
  node_ptr operand;
  std::vector<node_ptr> steps;
  bool as_text = false;
  void accept(node_visitor& v) const override;
};

/// expr AS label, in a select list.
struct RELATE_API labeled final : node {
  node_ptr expr;
  std::string label;
  void accept(node_visitor& v) const override;
};

/// (SELECT ...) used as a value.
struct RELATE_API scalar_subquery final : node {
  node_ptr query;
  void accept(node_visitor& v) const override;
};

/// Raw SQL with its own bound parameters: the escape hatch (text()).  The
/// text uses named placeholders ":name"; the compiler rewrites them into the
/// dialect's placeholders and binds params by name.
struct RELATE_API text_clause final : node {
  std::string sql;
  std::vector<std::pair<std::string, relate::value>> params;
  void accept(node_visitor& v) const override;
};

// ---- statements -------------------------------------------------------------

enum class nulls_order : std::uint8_t { unspecified, first, last };

struct order_item {
  node_ptr expr;
  bool descending = false;
  nulls_order nulls = nulls_order::unspecified;
};

/// How strongly SELECT ... FOR locks the rows it reads (PostgreSQL's four
/// row-lock modes; SQLAlchemy's with_for_update(read=, key_share=)).
enum class lock_strength : std::uint8_t {
  none,           // no row lock
  update,         // FOR UPDATE
  no_key_update,  // FOR NO KEY UPDATE: lets others insert rows referring to these
  share,          // FOR SHARE
  key_share,      // FOR KEY SHARE
};

/// What a row-locking SELECT does about rows another transaction has locked.
enum class lock_wait : std::uint8_t {
  wait,         // wait for them (the default)
  nowait,       // fail at once (PostgreSQL 55P03, lock_not_available)
  skip_locked,  // leave them out: a work queue's consumers take different rows
};

/// The FOR ... clause of a SELECT.  Compiled where the dialect has the
/// capability for_update; omitted elsewhere (SQLite locks the whole database
/// for a writer, so rows cannot change under the transaction anyway).
struct row_lock {
  lock_strength strength = lock_strength::none;
  lock_wait wait = lock_wait::wait;
  std::vector<table_ptr> of{};  // FOR UPDATE OF these tables only (by alias when aliased); empty: all
};

struct RELATE_API select_stmt final : node {
  bool distinct = false;
  std::vector<node_ptr> columns;  // empty means *
  std::vector<node_ptr> from;     // table_ref / derived_table
  std::vector<join_clause> joins;
  node_ptr where;
  std::vector<node_ptr> group_by;
  node_ptr having;
  std::vector<order_item> order_by;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  row_lock lock;
  void accept(node_visitor& v) const override;
};

enum class compound_kind : std::uint8_t { union_distinct, union_all, intersect, except };

struct RELATE_API compound_select final : node {
  compound_kind kind = compound_kind::union_distinct;
  std::vector<node_ptr> selects;
  std::vector<order_item> order_by;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  void accept(node_visitor& v) const override;
};

/// ON CONFLICT (target) DO NOTHING / DO UPDATE SET ...
struct on_conflict {
  std::vector<std::string> target_columns;
  std::vector<std::pair<std::string, node_ptr>> set;  // empty: DO NOTHING
};

struct RELATE_API insert_stmt final : node {
  table_ptr table;
  std::vector<std::string> columns;
  std::vector<std::vector<node_ptr>> rows;  // one entry per VALUES row; empty rows: DEFAULT VALUES
  node_ptr from_select;                     // INSERT ... SELECT, instead of rows
  std::optional<on_conflict> upsert;
  std::vector<node_ptr> returning;
  void accept(node_visitor& v) const override;
};

struct RELATE_API update_stmt final : node {
  table_ptr table;
  std::vector<std::pair<std::string, node_ptr>> assignments;
  node_ptr where;
  std::vector<node_ptr> returning;
  void accept(node_visitor& v) const override;
};

struct RELATE_API delete_stmt final : node {
  table_ptr table;
  node_ptr where;
  std::vector<node_ptr> returning;
  void accept(node_visitor& v) const override;
};

/// The visitor every compiler implements: one visit per node kind.
class RELATE_API node_visitor {
 public:
  virtual ~node_visitor();
#define RELATE_SQL_VISIT(kind) virtual void visit(const kind&) = 0;
  RELATE_SQL_NODE_KINDS(RELATE_SQL_VISIT)
#undef RELATE_SQL_VISIT
};

/// How many node kinds there are (the length of RELATE_SQL_NODE_KINDS).
inline constexpr std::size_t node_kind_count = 0
#define RELATE_SQL_COUNT(kind) +1
    RELATE_SQL_NODE_KINDS(RELATE_SQL_COUNT)
#undef RELATE_SQL_COUNT
    ;

}  // namespace relate::sql
