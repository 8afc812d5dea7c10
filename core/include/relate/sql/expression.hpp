// SPDX-License-Identifier: MIT
// Typed SQL expressions: the user-facing way to build the expression tree.
//
//   auto users = relate::sql::table("users");
//   relate::sql::column<std::int64_t> id(users, "id");
//   relate::sql::column<std::string> name(users, "name");
//   auto predicate = name.like("J%") && (id == 7 || id.in_({1, 2, 3}));
//
// An expr<T> is an immutable handle on a node of the tree (ast.hpp) that
// remembers the C++ type T of the value it yields: std::int64_t (or another
// integer), double, bool, std::string, blob, timestamp, date, or
// std::optional of one of them for a nullable value.  Operators check the
// types at compile time, so a comparison of a string column with a number, or
// arithmetic on a string and an integer, does not compile; the diagnostic
// starts with "relate::sql:".  Values given as operands become bound
// parameters, never SQL text.
//
// The statements built from expressions (select, insert, update, delete) are
// in relate/sql/statements.hpp.
#pragma once

#include <relate/export.hpp>

#include <relate/sql/ast.hpp>
#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate {
class json;  // relate/types/json.hpp
}

namespace relate::sql {

/// The deepest expression the builders make: building one level deeper
/// (NOT NOT ... NOT x, (((a + 1) + 1) + 1) ..., f(f(f(...)))) is a
/// usage_error, so that compiling and destroying a tree never exhaust the
/// stack.  SQLite refuses trees deeper than this itself (its
/// SQLITE_MAX_EXPR_DEPTH).  A chain of one AND or OR (a || b || c ..., or
/// repeated filter() calls) counts as one level however long it is: it is
/// compiled as one flat list, as SQLAlchemy flattens and_()/or_().
inline constexpr std::uint32_t max_expression_depth = 1000;

template <class T>
class expr;

// ---- C++ types and their SQL counterparts -------------------------------------------

namespace detail {

using relate::detail::optional_traits;  // relate/value.hpp

/// T without cv/ref, array decay and std::optional.
template <class T>
using base_type_t = std::decay_t<typename optional_traits<std::remove_cvref_t<T>>::base>;
template <class T>
inline constexpr bool is_optional_v = optional_traits<std::remove_cvref_t<T>>::nullable;

/// What values of a type can be compared or combined with.
enum class category : std::uint8_t {
  none,
  null,
  numeric,
  text,
  boolean,
  binary,
  time_point,
  calendar_date,
  duration
};

template <class T>
inline constexpr bool is_duration_v = false;
template <class Rep, class Period>
inline constexpr bool is_duration_v<std::chrono::duration<Rep, Period>> = true;

template <class B>
consteval category category_of_base() {
  if constexpr (relate::detail::has_type_conversion<B>) {
    // A user type (relate/type_conversion.hpp) compares as the type it is stored as.
    return category_of_base<std::decay_t<typename type_conversion<B>::base_type>>();
  } else if constexpr (is_duration_v<B>) {
    return category::duration;
  } else if constexpr (std::is_same_v<B, null_t> || std::is_same_v<B, std::nullopt_t>) {
    return category::null;
  } else if constexpr (std::is_same_v<B, bool>) {
    return category::boolean;
  } else if constexpr (std::is_same_v<B, char> || std::is_same_v<B, long double>) {
    return category::none;  // a char is a character or a number; relate::value holds neither
  } else if constexpr (std::is_arithmetic_v<B>) {
    return category::numeric;
  } else if constexpr (std::is_same_v<B, std::string> || std::is_same_v<B, std::string_view> ||
                       std::is_same_v<B, const char*> || std::is_same_v<B, char*>) {
    return category::text;
  } else if constexpr (std::is_same_v<B, blob>) {
    return category::binary;
  } else if constexpr (std::is_same_v<B, timestamp>) {
    return category::time_point;
  } else if constexpr (std::is_same_v<B, date>) {
    return category::calendar_date;
  } else {
    return category::none;
  }
}

template <class T>
inline constexpr category category_v = category_of_base<base_type_t<T>>();

template <class T>
struct is_expr_impl : std::false_type {};
template <class T>
struct is_expr_impl<expr<T>> : std::true_type {};

}  // namespace detail

/// An expression of the typed API: expr<T>, column<T>, or anything derived from them.
template <class E>
concept expression = requires {
  typename std::remove_cvref_t<E>::value_type;
}
&&std::derived_from<std::remove_cvref_t<E>, expr<typename std::remove_cvref_t<E>::value_type>>;

/// A C++ value that can be bound as a parameter.
template <class V>
concept sql_value = !expression<V> && detail::category_v<V> != detail::category::none;

/// An operand: an expression or a value.
template <class X>
concept operand = expression<X> || sql_value<X>;

/// A boolean expression: what where(), having() and the ORM's filter() take.
template <class E>
concept boolean_expression =
    expression<E> && std::is_same_v < detail::base_type_t<typename std::remove_cvref_t<E>::value_type>,
bool > ;

/// a AND b; the other one alone when either is null, so a condition can be
/// built up from nothing.  Every AND relate builds goes through here.
RELATE_API node_ptr conjoin(node_ptr a, node_ptr b);

namespace detail {

template <class X>
struct value_type_of {
  using type = std::remove_cvref_t<X>;
};
template <expression X>
struct value_type_of<X> {
  using type = typename std::remove_cvref_t<X>::value_type;
};
/// The C++ value type an operand yields (for values: the value's own type).
template <class X>
using value_type_of_t = typename value_type_of<X>::type;

template <class A, class B>
inline constexpr bool comparable_v =
    category_v<value_type_of_t<A>> == category_v<value_type_of_t<B>> ||
    category_v<value_type_of_t<A>> == category::null || category_v<value_type_of_t<B>> == category::null;

}  // namespace detail

/// Two operands whose SQL comparison makes sense: numbers with numbers,
/// strings with strings, ... (NULL with anything).
template <class A, class B>
concept comparable_with = operand<A> && operand<B> && detail::comparable_v<A, B>;

/// The portable column type of a C++ value type (std::optional<T>: T's).
template <class T>
sql_type sql_type_of() {
  using B = detail::base_type_t<T>;
  constexpr auto c = detail::category_v<B>;
  if constexpr (relate::detail::has_type_conversion<B>) {
    if constexpr (requires { type_conversion<B>::sql_type(); })
      return type_conversion<B>::sql_type();
    else
      return sql_type_of<typename type_conversion<B>::base_type>();
  } else if constexpr (c == detail::category::duration) {
    return {type_kind::interval};
  } else if constexpr (c == detail::category::boolean) {
    return {type_kind::boolean};
  } else if constexpr (c == detail::category::numeric && std::is_integral_v<B>) {
    return {sizeof(B) <= 2   ? type_kind::small_integer
            : sizeof(B) <= 4 ? type_kind::integer
                             : type_kind::big_integer};
  } else if constexpr (c == detail::category::numeric) {
    return {type_kind::real};
  } else if constexpr (c == detail::category::binary) {
    return {type_kind::blob};
  } else if constexpr (c == detail::category::time_point) {
    return {type_kind::timestamp};
  } else if constexpr (c == detail::category::calendar_date) {
    return {type_kind::date};
  } else {
    return {type_kind::text};
  }
}

// ---- node construction (out of line, in core) ----------------------------------------

namespace detail {
RELATE_API node_ptr make_bind(relate::value v, std::optional<sql_type> type);
RELATE_API node_ptr make_column(table_ptr table, std::string name, sql_type type);
RELATE_API node_ptr make_unary(unary_operator op, node_ptr operand);
RELATE_API node_ptr make_binary(binary_operator op, node_ptr left, node_ptr right);
RELATE_API node_ptr make_like(node_ptr subject, node_ptr pattern, bool negated, bool case_insensitive,
                              std::optional<char> escape);
RELATE_API node_ptr make_in_list(node_ptr subject, std::vector<node_ptr> items, bool negated);
RELATE_API node_ptr make_in_select(node_ptr subject, node_ptr query, bool negated);
RELATE_API node_ptr make_between(node_ptr subject, node_ptr low, node_ptr high, bool negated);
RELATE_API node_ptr make_function(std::string name, std::vector<node_ptr> args, bool distinct);
RELATE_API node_ptr make_known_function(known_function function, datetime_field field,
                                        std::vector<node_ptr> args);
/// round(operand, digits); usage_error for negative digits.
RELATE_API node_ptr make_round(node_ptr operand, int digits);
RELATE_API node_ptr make_case(std::vector<std::pair<node_ptr, node_ptr>> whens, node_ptr otherwise);
RELATE_API node_ptr make_cast(node_ptr operand, sql_type type);
/// operand -> step (a JSON member), appended to operand's steps when it is a path already.
RELATE_API node_ptr make_json_step(node_ptr operand, relate::value step);
/// A JSON path's last step as text (->>); a document that is no path, cast to text.
RELATE_API node_ptr make_json_text(node_ptr operand);
/// A JSON document expression (relate::json, or an optional one).
template <class T>
inline constexpr bool is_json_v = std::is_same_v<base_type_t<T>, relate::json>;
RELATE_API node_ptr make_label(node_ptr expr, std::string label);
RELATE_API node_ptr make_star(table_ptr table);
RELATE_API node_ptr make_text(std::string sql, std::vector<std::pair<std::string, relate::value>> params);
/// s with the LIKE wildcards % and _ (and escape itself) escaped by escape.
RELATE_API std::string escape_like(std::string_view s, char escape);

/// The node for an operand; a value is bound with the SQL type of Hint.
template <class Hint, class X>
node_ptr to_node(const X& x) {
  if constexpr (expression<X>) {
    return x.node();
  } else if constexpr (category_v<X> == category::null) {
    return make_bind(relate::value(), sql_type_of<Hint>());
  } else {
    return make_bind(relate::detail::to_value(x), sql_type_of<Hint>());
  }
}

/// Whether an operand is a value that is NULL now (an empty optional, relate::null).
template <class X>
bool is_null_value(const X& x) {
  if constexpr (expression<X>) {
    return false;
  } else if constexpr (category_v<X> == category::null) {
    return true;
  } else if constexpr (is_optional_v<X>) {
    return !x.has_value();
  } else {
    return false;
  }
}

template <class A, class B>
inline constexpr bool is_floating_v = std::is_floating_point_v<base_type_t<value_type_of_t<A>>> ||
                                      std::is_floating_point_v<base_type_t<value_type_of_t<B>>>;
template <class A, class B>
inline constexpr bool is_nullable_v = is_optional_v<value_type_of_t<A>> || is_optional_v<value_type_of_t<B>>;

template <class T, bool Nullable>
using maybe_optional_t = std::conditional_t<Nullable, std::optional<T>, T>;

/// The type of a + b etc.: double if either is floating, else std::int64_t;
/// optional if either is.
template <class A, class B>
using arithmetic_result_t =
    maybe_optional_t<std::conditional_t<is_floating_v<A, B>, double, std::int64_t>, is_nullable_v<A, B>>;

}  // namespace detail

/// How an ORDER BY item sorts.
class ordering {
 public:
  ordering(node_ptr e, bool descending) : item_{std::move(e), descending, nulls_order::unspecified} {}
  ordering nulls_first() const { return with(nulls_order::first); }
  ordering nulls_last() const { return with(nulls_order::last); }
  const order_item& item() const noexcept { return item_; }

 private:
  ordering with(nulls_order n) const {
    ordering o = *this;
    o.item_.nulls = n;
    return o;
  }
  order_item item_;
};

/// An expression with a name in a select list ("expr AS name"): selectable
/// and orderable, not an operand (SQL cannot use the name there).
template <class T>
class labeled_expr {
 public:
  using value_type = T;
  labeled_expr(node_ptr labeled_node, std::string name)
      : node_(std::move(labeled_node)), name_(std::move(name)) {}
  const node_ptr& node() const noexcept { return node_; }
  const std::string& name() const noexcept { return name_; }
  ordering asc() const { return {node_, false}; }
  ordering desc() const { return {node_, true}; }

 private:
  node_ptr node_;
  std::string name_;
};

/// A typed expression yielding values of C++ type T.
template <class T>
class expr {
 public:
  using value_type = T;

  explicit expr(node_ptr n) : node_(std::move(n)) {}

  const node_ptr& node() const noexcept { return node_; }

  // -- NULL tests and ranges ----------------------------------------------------------
  expr<bool> is_null() const { return expr<bool>(detail::make_unary(unary_operator::is_null, node_)); }
  expr<bool> is_not_null() const {
    return expr<bool>(detail::make_unary(unary_operator::is_not_null, node_));
  }

  template <class Low, class High>
  expr<bool> between(const Low& low, const High& high) const {
    static_assert(comparable_with<expr, Low> && comparable_with<expr, High>,
                  "relate::sql: the bounds of between() must be comparable with the expression");
    return expr<bool>(detail::make_between(node_, detail::to_node<T>(low), detail::to_node<T>(high), false));
  }
  template <class Low, class High>
  expr<bool> not_between(const Low& low, const High& high) const {
    static_assert(comparable_with<expr, Low> && comparable_with<expr, High>,
                  "relate::sql: the bounds of not_between() must be comparable with the expression");
    return expr<bool>(detail::make_between(node_, detail::to_node<T>(low), detail::to_node<T>(high), true));
  }

  // -- IN -----------------------------------------------------------------------------
  /// expr IN (values...); an empty list is a false predicate.
  template <class V = detail::base_type_t<T>>
  expr<bool> in_(std::initializer_list<V> values) const {
    return in_list_of(values, false);
  }
  template <class V = detail::base_type_t<T>>
  expr<bool> not_in(std::initializer_list<V> values) const {
    return in_list_of(values, true);
  }
  /// Any range of values or expressions, e.g. a std::vector.
  template <class R>
  requires requires(const R& r) {
    r.begin();
    r.end();
  } &&(!requires { R::is_query; })expr<bool> in_(const R& values) const {
    return in_list_of(values, false);
  }
  template <class R>
  requires requires(const R& r) {
    r.begin();
    r.end();
  } &&(!requires { R::is_query; })expr<bool> not_in(const R& values) const {
    return in_list_of(values, true);
  }
  /// expr IN (SELECT ...): Q is a select_query (statements.hpp).
  template <class Q>
  requires requires { Q::is_query; }
  expr<bool> in_(const Q& query) const {
    return expr<bool>(detail::make_in_select(node_, query.node(), false));
  }
  template <class Q>
  requires requires { Q::is_query; }
  expr<bool> not_in(const Q& query) const {
    return expr<bool>(detail::make_in_select(node_, query.node(), true));
  }

  // -- strings -------------------------------------------------------------------------
  /// LIKE with a pattern in which % and _ are wildcards.
  template <class P>
  expr<bool> like(const P& pattern, std::optional<char> escape = std::nullopt) const {
    require_text<P>();
    return expr<bool>(detail::make_like(node_, detail::to_node<std::string>(pattern), false, false, escape));
  }
  template <class P>
  expr<bool> not_like(const P& pattern, std::optional<char> escape = std::nullopt) const {
    require_text<P>();
    return expr<bool>(detail::make_like(node_, detail::to_node<std::string>(pattern), true, false, escape));
  }
  /// Case-insensitive LIKE (ILIKE, or lower() on both sides where the database lacks it).
  template <class P>
  expr<bool> ilike(const P& pattern, std::optional<char> escape = std::nullopt) const {
    require_text<P>();
    return expr<bool>(detail::make_like(node_, detail::to_node<std::string>(pattern), false, true, escape));
  }
  template <class P>
  expr<bool> not_ilike(const P& pattern, std::optional<char> escape = std::nullopt) const {
    require_text<P>();
    return expr<bool>(detail::make_like(node_, detail::to_node<std::string>(pattern), true, true, escape));
  }
  /// LIKE matching text literally: its % and _ are escaped.
  expr<bool> like_literal(std::string_view text) const { return literal_like("", text, ""); }
  /// Substring, prefix and suffix matches of literal text (wildcards escaped).
  expr<bool> contains(std::string_view text) const { return literal_like("%", text, "%"); }
  expr<bool> startswith(std::string_view text) const { return literal_like("", text, "%"); }
  expr<bool> endswith(std::string_view text) const { return literal_like("%", text, ""); }

  // -- JSON documents (relate/types/json.hpp) ----------------------------------------
  // doc["address"]["city"], doc["tags"][0]: a member (NULL where there is
  // none), PostgreSQL's and SQLite's ->; then as_text() and the others read
  // it as an SQL value (->>, cast where a type is asked for).  Keys and
  // indexes are bound parameters.  As SQL text, a JSON true is "true" on
  // PostgreSQL and "1" on SQLite: compare booleans with as_bool().
  expr<std::optional<relate::json>> operator[](std::string_view key) const requires detail::is_json_v<T> {
    return expr<std::optional<relate::json>>(detail::make_json_step(node_, relate::value(key)));
  }
  expr<std::optional<relate::json>> operator[](std::int64_t index) const requires detail::is_json_v<T> {
    return expr<std::optional<relate::json>>(detail::make_json_step(node_, relate::value(index)));
  }
  expr<std::optional<std::string>> as_text() const requires detail::is_json_v<T> {
    return expr<std::optional<std::string>>(detail::make_json_text(node_));
  }
  expr<std::optional<std::int64_t>> as_integer() const requires detail::is_json_v<T> {
    return expr<std::optional<std::int64_t>>(
        detail::make_cast(detail::make_json_text(node_), {type_kind::big_integer}));
  }
  expr<std::optional<double>> as_double() const requires detail::is_json_v<T> {
    return expr<std::optional<double>>(detail::make_cast(detail::make_json_text(node_), {type_kind::real}));
  }
  expr<std::optional<bool>> as_bool() const requires detail::is_json_v<T> {
    return expr<std::optional<bool>>(detail::make_cast(detail::make_json_text(node_), {type_kind::boolean}));
  }

  // -- naming and ordering --------------------------------------------------------------
  labeled_expr<T> label(std::string name) const { return {detail::make_label(node_, name), name}; }
  ordering asc() const { return {node_, false}; }
  ordering desc() const { return {node_, true}; }

 private:
  static constexpr char like_escape = '\\';

  template <class P>
  static constexpr void require_text() {
    static_assert(detail::category_v<T> == detail::category::text,
                  "relate::sql: LIKE needs a string expression");
    static_assert(detail::category_v<detail::value_type_of_t<P>> == detail::category::text,
                  "relate::sql: a LIKE pattern must be a string");
  }

  expr<bool> literal_like(std::string_view before, std::string_view text, std::string_view after) const {
    require_text<std::string>();
    std::string pattern(before);
    pattern += detail::escape_like(text, like_escape);
    pattern += after;
    return expr<bool>(
        detail::make_like(node_, detail::make_bind(relate::value(std::move(pattern)), sql_type_of<T>()),
                          false, false, like_escape));
  }

  template <class R>
  expr<bool> in_list_of(const R& values, bool negated) const {
    std::vector<node_ptr> items;
    for (const auto& v : values) {
      using V = std::remove_cvref_t<decltype(v)>;
      static_assert(comparable_with<expr, V>,
                    "relate::sql: the values of in_() must be comparable with the expression");
      items.push_back(detail::to_node<T>(v));
    }
    return expr<bool>(detail::make_in_list(node_, std::move(items), negated));
  }

  node_ptr node_;
};

/// A column of a table (or of a subquery or an aliased table).  Cheap to
/// construct: one node.
template <class T>
class column : public expr<T> {
 public:
  column(table_ptr table, std::string name) : column(table, name, sql_type_of<T>()) {}
  column(table_ptr table, std::string name, sql_type type)
      : expr<T>(detail::make_column(table, name, type)), table_(std::move(table)), name_(std::move(name)) {}

  const std::string& name() const noexcept { return name_; }
  const table_ptr& table() const noexcept { return table_; }

 private:
  table_ptr table_;
  std::string name_;
};

/// A table by name, optionally in a schema.
RELATE_API table_ptr table(std::string name, std::string schema = {});
/// The same table under another name (FROM users AS u), for self-joins.
RELATE_API table_ptr alias(const table_ptr& table, std::string alias_name);

/// `*`, or `table.*`: for select(all_columns(t)).
class star_expr {
 public:
  explicit star_expr(table_ptr t = nullptr) : node_(detail::make_star(std::move(t))) {}
  const node_ptr& node() const noexcept { return node_; }

 private:
  node_ptr node_;
};
inline star_expr all_columns(table_ptr t = nullptr) { return star_expr(std::move(t)); }

/// A value as an expression, e.g. for select(literal(1)) or func args.
template <sql_value V>
expr<detail::base_type_t<V>> literal(const V& v) {
  return expr<detail::base_type_t<V>>(detail::to_node<V>(v));
}

/// The same expression typed as nullable, expr<std::optional<T>>, for a value
/// SQL may make NULL although its type says it cannot: above all a column of
/// the outer side of an outer join, e.g.
/// as_optional(boss.col(&Employee::name)) after .outer_join(&Employee::manager, boss),
/// where boss is relate::aliased<Employee>.  The SQL is the same.
template <expression E>
expr<std::optional<detail::base_type_t<detail::value_type_of_t<E>>>> as_optional(const E& e) {
  return expr<std::optional<detail::base_type_t<detail::value_type_of_t<E>>>>(e.node());
}

/// Raw SQL with named parameters (":name"), the escape hatch:
///   text("price * :rate > :limit").bind("rate", 1.2).bind("limit", 100)
/// It is usable as a condition (where, on, having), as a selected column and
/// as a whole statement.  The text is SQL written by the programmer: never
/// build it from data, bind data instead.
class RELATE_API text_clause_builder {
 public:
  static constexpr bool is_text = true;
  explicit text_clause_builder(std::string sql) : sql_(std::move(sql)) {}
  /// Binds a value to :name (replacing an earlier binding of the same name).
  text_clause_builder bind(std::string name, relate::value v) const;
  /// The tree node (a text_clause).
  node_ptr node() const { return detail::make_text(sql_, params_); }
  /// As a typed expression, to combine with operators.
  template <class T = bool>
  expr<T> as() const {
    return expr<T>(node());
  }

 private:
  std::string sql_;
  std::vector<std::pair<std::string, relate::value>> params_;
};
inline text_clause_builder text(std::string sql) { return text_clause_builder(std::move(sql)); }

// ---- operators -------------------------------------------------------------------------

namespace detail {

/// Operands of a binary operator: at least one expression, the other an
/// expression or a value.
template <class A, class B>
concept binary_operands = (expression<A> || expression<B>)&&operand<A>&& operand<B>;

template <class A, class B>
using hint_t = std::conditional_t<expression<A>, value_type_of_t<A>, value_type_of_t<B>>;

template <class A, class B>
expr<bool> compare(binary_operator op, const A& a, const B& b) {
  using H = hint_t<A, B>;
  // x == NULL is never true in SQL: a NULL value makes it IS [NOT] NULL.
  if (op == binary_operator::eq || op == binary_operator::ne) {
    const auto null_test = op == binary_operator::eq ? unary_operator::is_null : unary_operator::is_not_null;
    if (is_null_value(b)) return expr<bool>(make_unary(null_test, to_node<H>(a)));
    if (is_null_value(a)) return expr<bool>(make_unary(null_test, to_node<H>(b)));
  }
  return expr<bool>(make_binary(op, to_node<H>(a), to_node<H>(b)));
}

template <class A>
inline constexpr bool is_boolean_v = category_v<value_type_of_t<A>> == category::boolean;
template <class A>
inline constexpr bool is_numeric_v = category_v<value_type_of_t<A>> == category::numeric;
template <class A>
inline constexpr bool is_text_v = category_v<value_type_of_t<A>> == category::text;

}  // namespace detail

#define RELATE_SQL_COMPARISON(OP, KIND)                                                            \
  template <class A, class B>                                                                      \
  requires detail::binary_operands<A, B> expr<bool>                                                \
  operator OP(const A& a, const B& b) {                                                            \
    static_assert(comparable_with<A, B>,                                                           \
                  "relate::sql: cannot compare these types (e.g. a string column with a number)"); \
    return detail::compare(binary_operator::KIND, a, b);                                           \
  }
RELATE_SQL_COMPARISON(==, eq)
RELATE_SQL_COMPARISON(!=, ne)
RELATE_SQL_COMPARISON(<, lt)
RELATE_SQL_COMPARISON(<=, le)
RELATE_SQL_COMPARISON(>, gt)
RELATE_SQL_COMPARISON(>=, ge)
#undef RELATE_SQL_COMPARISON

/// a IS DISTINCT FROM b: a NULL-safe !=.
template <class A, class B>
requires detail::binary_operands<A, B> expr<bool> is_distinct_from(const A& a, const B& b) {
  static_assert(comparable_with<A, B>,
                "relate::sql: cannot compare these types (e.g. a string column with a number)");
  using H = detail::hint_t<A, B>;
  return expr<bool>(
      detail::make_binary(binary_operator::is_distinct_from, detail::to_node<H>(a), detail::to_node<H>(b)));
}
template <class A, class B>
requires detail::binary_operands<A, B> expr<bool> is_not_distinct_from(const A& a, const B& b) {
  static_assert(comparable_with<A, B>,
                "relate::sql: cannot compare these types (e.g. a string column with a number)");
  using H = detail::hint_t<A, B>;
  return expr<bool>(detail::make_binary(binary_operator::is_not_distinct_from, detail::to_node<H>(a),
                                        detail::to_node<H>(b)));
}

#define RELATE_SQL_LOGICAL(OP, KIND)                                                                     \
  template <class A, class B>                                                                            \
  requires detail::binary_operands<A, B> expr<bool>                                                      \
  operator OP(const A& a, const B& b) {                                                                  \
    static_assert(detail::is_boolean_v<A> && detail::is_boolean_v<B>,                                    \
                  "relate::sql: && and || need boolean expressions on both sides");                      \
    return expr<bool>(                                                                                   \
        detail::make_binary(binary_operator::KIND, detail::to_node<bool>(a), detail::to_node<bool>(b))); \
  }
RELATE_SQL_LOGICAL(&&, logical_and)
RELATE_SQL_LOGICAL(||, logical_or)
#undef RELATE_SQL_LOGICAL

template <expression A>
expr<bool> operator!(const A& a) {
  static_assert(detail::is_boolean_v<A>, "relate::sql: ! needs a boolean expression");
  return expr<bool>(detail::make_unary(unary_operator::logical_not, a.node()));
}

/// a + b: numbers add; strings concatenate (SQL ||).
template <class A, class B>
requires detail::binary_operands<A, B>
auto operator+(const A& a, const B& b) {
  if constexpr (detail::is_text_v<A> && detail::is_text_v<B>) {
    using R = detail::maybe_optional_t<std::string, detail::is_nullable_v<A, B>>;
    return expr<R>(detail::make_binary(binary_operator::concat, detail::to_node<std::string>(a),
                                       detail::to_node<std::string>(b)));
  } else {
    static_assert(detail::is_numeric_v<A> && detail::is_numeric_v<B>,
                  "relate::sql: + needs two numbers or two strings");
    using R = detail::arithmetic_result_t<A, B>;
    return expr<R>(detail::make_binary(binary_operator::add, detail::to_node<R>(a), detail::to_node<R>(b)));
  }
}

#define RELATE_SQL_ARITHMETIC(OP, KIND)                                                            \
  template <class A, class B>                                                                      \
  requires detail::binary_operands<A, B>                                                           \
  auto operator OP(const A& a, const B& b) {                                                       \
    static_assert(detail::is_numeric_v<A> && detail::is_numeric_v<B>,                              \
                  "relate::sql: arithmetic needs numbers on both sides");                          \
    using R = detail::arithmetic_result_t<A, B>;                                                   \
    return expr<R>(                                                                                \
        detail::make_binary(binary_operator::KIND, detail::to_node<R>(a), detail::to_node<R>(b))); \
  }
RELATE_SQL_ARITHMETIC(-, subtract)
RELATE_SQL_ARITHMETIC(*, multiply)
RELATE_SQL_ARITHMETIC(/, divide)
#undef RELATE_SQL_ARITHMETIC

template <class A, class B>
requires detail::binary_operands<A, B>
auto operator%(const A& a, const B& b) {
  static_assert(detail::is_numeric_v<A> && detail::is_numeric_v<B> && !detail::is_floating_v<A, B>,
                "relate::sql: % needs integers on both sides");
  using R = detail::arithmetic_result_t<A, B>;
  return expr<R>(detail::make_binary(binary_operator::modulo, detail::to_node<R>(a), detail::to_node<R>(b)));
}

template <expression A>
auto operator-(const A& a) {
  static_assert(detail::is_numeric_v<A>, "relate::sql: unary - needs a number");
  return expr<detail::value_type_of_t<A>>(detail::make_unary(unary_operator::negate, a.node()));
}

/// a || b || ... for strings (a + b is the same): NULL if any of them is,
/// hence optional if any is, on every database (PostgreSQL's concat()
/// function would skip NULLs instead, so it is not what this writes).
template <class A, class B, class... Rest>
requires detail::binary_operands<A, B>
auto concat(const A& a, const B& b, const Rest&... rest) {
  static_assert(detail::is_text_v<A> && detail::is_text_v<B> && (detail::is_text_v<Rest> && ...),
                "relate::sql: concat() needs strings");
  if constexpr (sizeof...(Rest) == 0)
    return a + b;
  else
    return concat(a + b, rest...);
}

// ---- ordering ---------------------------------------------------------------------------

template <expression E>
ordering asc(const E& e) {
  return e.asc();
}
template <expression E>
ordering desc(const E& e) {
  return e.desc();
}

// ---- functions -----------------------------------------------------------------------

/// count(*)
RELATE_API expr<std::int64_t> count();
/// count(x): the rows where x is not NULL.
template <expression E>
expr<std::int64_t> count(const E& e) {
  return expr<std::int64_t>(detail::make_function("count", {e.node()}, false));
}
/// count(DISTINCT x)
template <expression E>
expr<std::int64_t> count_distinct(const E& e) {
  return expr<std::int64_t>(detail::make_function("count", {e.node()}, true));
}

/// sum(x): NULL over no rows, hence optional.
template <expression E>
auto sum(const E& e) {
  static_assert(detail::is_numeric_v<E>, "relate::sql: sum() needs a number");
  using R = std::optional<std::conditional_t<detail::is_floating_v<E, E>, double, std::int64_t>>;
  return expr<R>(detail::make_function("sum", {e.node()}, false));
}
template <expression E>
expr<std::optional<double>> avg(const E& e) {
  static_assert(detail::is_numeric_v<E>, "relate::sql: avg() needs a number");
  return expr<std::optional<double>>(detail::make_function("avg", {e.node()}, false));
}
template <expression E>
auto min(const E& e) {
  return expr<std::optional<detail::base_type_t<detail::value_type_of_t<E>>>>(
      detail::make_function("min", {e.node()}, false));
}
template <expression E>
auto max(const E& e) {
  return expr<std::optional<detail::base_type_t<detail::value_type_of_t<E>>>>(
      detail::make_function("max", {e.node()}, false));
}
template <expression E>
expr<detail::value_type_of_t<E>> lower(const E& e) {
  static_assert(detail::is_text_v<E>, "relate::sql: lower() needs a string");
  return expr<detail::value_type_of_t<E>>(detail::make_function("lower", {e.node()}, false));
}
template <expression E>
expr<detail::value_type_of_t<E>> upper(const E& e) {
  static_assert(detail::is_text_v<E>, "relate::sql: upper() needs a string");
  return expr<detail::value_type_of_t<E>>(detail::make_function("upper", {e.node()}, false));
}

/// abs(x): x without its sign, of x's type (optional if x is).
template <expression E>
expr<detail::value_type_of_t<E>> abs(const E& e) {
  static_assert(detail::is_numeric_v<E>, "relate::sql: abs() needs a number");
  return expr<detail::value_type_of_t<E>>(detail::make_function("abs", {e.node()}, false));
}

/// round(x, digits): x rounded to `digits` (0 or more) decimal places, half
/// away from zero, as a double (optional if x is).  PostgreSQL rounds to
/// places only NUMERIC values, so there x goes through NUMERIC and back.
template <expression E>
auto round(const E& e, int digits = 0) {
  static_assert(detail::is_numeric_v<E>, "relate::sql: round() needs a number");
  using R = detail::maybe_optional_t<double, detail::is_optional_v<detail::value_type_of_t<E>>>;
  return expr<R>(detail::make_round(e.node(), digits));
}

/// length(s): the characters of a string (both SQLite and PostgreSQL count
/// characters of UTF-8 text, not bytes), or the bytes of a blob; optional if s is.
template <expression E>
auto length(const E& e) {
  static_assert(
      detail::is_text_v<E> || detail::category_v<detail::value_type_of_t<E>> == detail::category::binary,
      "relate::sql: length() needs a string or a blob");
  using R = detail::maybe_optional_t<std::int64_t, detail::is_optional_v<detail::value_type_of_t<E>>>;
  return expr<R>(detail::make_function("length", {e.node()}, false));
}

/// CURRENT_TIMESTAMP, the time now, in UTC (relate runs PostgreSQL sessions
/// in UTC; SQLite's is UTC).  PostgreSQL gives the start of the
/// transaction, to the microsecond; SQLite the time of the statement, to
/// the second.
RELATE_API expr<timestamp> now();

/// EXTRACT(field FROM x): the year, month (1-12), day of the month, hour,
/// minute or second of a timestamp or date (a date's time is midnight), as
/// a whole number: seconds without their fraction.  Optional if x is.
/// SQLite has no EXTRACT; its dialect spells it with strftime.
template <expression E>
auto extract(datetime_field field, const E& e) {
  constexpr auto c = detail::category_v<detail::value_type_of_t<E>>;
  static_assert(c == detail::category::time_point || c == detail::category::calendar_date,
                "relate::sql: extract() needs a timestamp or a date");
  using R = detail::maybe_optional_t<std::int64_t, detail::is_optional_v<detail::value_type_of_t<E>>>;
  node_ptr source = e.node();
  // PostgreSQL refuses a time part of a DATE: as a timestamp it is midnight.
  if (c == detail::category::calendar_date && field >= datetime_field::hour)
    source = detail::make_cast(std::move(source), sql_type{type_kind::timestamp});
  return expr<R>(detail::make_known_function(known_function::extract, field, {std::move(source)}));
}

/// coalesce(a, b, ...): the first non-NULL argument.  The result is optional
/// only when every argument is.
template <expression First, operand... Rest>
auto coalesce(const First& first, const Rest&... rest) {
  static_assert(sizeof...(Rest) > 0, "relate::sql: coalesce() needs at least two arguments");
  static_assert((comparable_with<First, Rest> && ...),
                "relate::sql: the arguments of coalesce() must have comparable types");
  using B = detail::base_type_t<detail::value_type_of_t<First>>;
  constexpr bool nullable = detail::is_optional_v<detail::value_type_of_t<First>> &&
                            ((detail::is_optional_v<detail::value_type_of_t<Rest>> ||
                              detail::category_v<Rest> == detail::category::null) &&
                             ...);
  using R = detail::maybe_optional_t<B, nullable>;
  return expr<R>(detail::make_function("coalesce", {first.node(), detail::to_node<B>(rest)...}, false));
}

/// Any SQL function by name, with the result type given: func<double>("round", price, 2).
/// The name is SQL written by the programmer: never build it from data.
template <class T, operand... Args>
expr<T> func(std::string name, const Args&... args) {
  return expr<T>(detail::make_function(std::move(name),
                                       {detail::to_node<detail::value_type_of_t<Args>>(args)...}, false));
}

/// CAST(e AS <the SQL type of T>).
template <class T, expression E>
expr<T> cast(const E& e) {
  return expr<T>(detail::make_cast(e.node(), sql_type_of<T>()));
}

// ---- CASE ---------------------------------------------------------------------------------

/// CASE WHEN c THEN r ... [ELSE e] END, built with case_().when(c, r).otherwise(e).
template <class T>
class case_builder {
 public:
  explicit case_builder(std::vector<std::pair<node_ptr, node_ptr>> whens) : whens_(std::move(whens)) {}

  template <class C, class R>
  case_builder when(const C& condition, const R& result) const {
    static_assert(detail::is_boolean_v<C>, "relate::sql: a WHEN condition must be boolean");
    static_assert(comparable_with<expr<T>, R>,
                  "relate::sql: every THEN of a CASE must have a comparable type");
    auto whens = whens_;
    whens.emplace_back(detail::to_node<bool>(condition), detail::to_node<T>(result));
    return case_builder(std::move(whens));
  }
  /// ... ELSE e END
  template <class E>
  expr<T> otherwise(const E& e) const {
    static_assert(comparable_with<expr<T>, E>, "relate::sql: the ELSE of a CASE must have a comparable type");
    return expr<T>(detail::make_case(whens_, detail::to_node<T>(e)));
  }
  /// ... END without ELSE: NULL when nothing matches.
  expr<std::optional<detail::base_type_t<T>>> end() const {
    return expr<std::optional<detail::base_type_t<T>>>(detail::make_case(whens_, nullptr));
  }

 private:
  std::vector<std::pair<node_ptr, node_ptr>> whens_;
};

class case_start {
 public:
  template <class C, class R>
  auto when(const C& condition, const R& result) const {
    static_assert(detail::is_boolean_v<C>, "relate::sql: a WHEN condition must be boolean");
    static_assert(operand<R>, "relate::sql: a THEN must be an expression or a value");
    using T =
        std::conditional_t<detail::is_text_v<R> && !expression<R>, std::string, detail::value_type_of_t<R>>;
    return case_builder<T>({{detail::to_node<bool>(condition), detail::to_node<T>(result)}});
  }
};
inline case_start case_() { return {}; }

}  // namespace relate::sql
