// SPDX-License-Identifier: MIT
// Typed statement builders: select, union, insert, update, delete.
//
//   auto q = select(name, count(posts_id).label("n"))
//                .join(posts, posts_user_id == users_id)
//                .where(name.like("J%"))
//                .group_by(name)
//                .order_by(desc(name))
//                .limit(10);
//   auto compiled = dialect.compile(*q.node());
//
// Every builder is an immutable value: each call returns a new statement and
// leaves the one it was called on unchanged, so a base query can be shared
// and refined.  node() hands the finished tree to a dialect or the engine.
#pragma once

#include <relate/export.hpp>

#include <relate/error.hpp>
#include <relate/sql/expression.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace relate::sql {

class select_query;

/// (SELECT ...) AS alias, usable in FROM and joins, with typed access to the
/// columns it yields by name: sub.c<std::int64_t>("n").
class RELATE_API aliased_subquery {
 public:
  aliased_subquery(node_ptr query, std::string alias);
  template <class T>
  column<T> c(std::string name) const {
    return column<T>(table_, std::move(name));
  }
  /// The alias as a table, for column references.
  const table_ptr& table() const noexcept { return table_; }
  /// The derived_table node, for FROM.
  const node_ptr& node() const noexcept { return derived_; }

 private:
  node_ptr derived_;
  table_ptr table_;
};

namespace detail {

/// Something with a node(): an expression, a labeled expression, star(), text().
template <class X>
concept selectable = requires(const X& x) {
  { x.node() } -> std::convertible_to<node_ptr>;
};

/// A condition: a boolean expression or text().
template <class X>
concept predicate = (expression<X> && is_boolean_v<X>) || requires {
  X::is_text;
};

template <class X>
order_item order_item_of(const X& x) {
  if constexpr (std::is_same_v<X, ordering>) {
    return x.item();
  } else {
    static_assert(selectable<X>, "relate::sql: order_by() takes expressions, asc()/desc() or labels");
    return {x.node(), false, nulls_order::unspecified};
  }
}

inline node_ptr from_node(const table_ptr& t) { return t; }
inline node_ptr from_node(const aliased_subquery& s) { return s.node(); }

}  // namespace detail

/// The statement with FROM inferred from the tables of its select list when
/// no FROM was given (SQLAlchemy's behaviour).  Tables named only in WHERE
/// are not added, so a subquery correlates with the enclosing query.
RELATE_API node_ptr finish_select(const std::shared_ptr<const select_stmt>& statement);

/// A FROM item: a table or an aliased subquery.
template <class X>
concept from_item =
    std::convertible_to<X, table_ptr> || std::same_as<std::remove_cvref_t<X>, aliased_subquery>;

/// SELECT ...: built by select(columns...).
class RELATE_API select_query {
 public:
  static constexpr bool is_query = true;

  explicit select_query(std::vector<node_ptr> columns);

  /// The finished statement (FROM inferred when not given).
  node_ptr node() const { return finish_select(stmt_); }
  const select_stmt& statement() const noexcept { return *stmt_; }

  template <from_item F>
  select_query from(const F& item) const {
    return modified([&](select_stmt& s) { s.from.push_back(detail::from_node(item)); });
  }
  template <from_item F, detail::predicate P>
  select_query join(const F& target, const P& on) const {
    return add_join(join_kind::inner, detail::from_node(target), on.node());
  }
  template <from_item F, detail::predicate P>
  select_query left_join(const F& target, const P& on) const {
    return add_join(join_kind::left_outer, detail::from_node(target), on.node());
  }
  template <from_item F, detail::predicate P>
  select_query full_join(const F& target, const P& on) const {
    return add_join(join_kind::full_outer, detail::from_node(target), on.node());
  }
  template <from_item F>
  select_query cross_join(const F& target) const {
    return add_join(join_kind::cross, detail::from_node(target), nullptr);
  }
  /// Adds a condition; several where() calls are combined with AND.
  template <class P>
  select_query where(const P& condition) const {
    static_assert(detail::predicate<P>, "relate::sql: where() needs a boolean expression or text()");
    return modified([&](select_stmt& s) { s.where = conjoin(s.where, condition.node()); });
  }
  template <detail::selectable... C>
  select_query group_by(const C&... items) const {
    return modified([&](select_stmt& s) { (s.group_by.push_back(items.node()), ...); });
  }
  /// Adds a HAVING condition, AND-combined like where().
  template <class P>
  select_query having(const P& condition) const {
    static_assert(detail::predicate<P>, "relate::sql: having() needs a boolean expression or text()");
    return modified([&](select_stmt& s) { s.having = conjoin(s.having, condition.node()); });
  }
  /// Adds ORDER BY items: expressions (ascending), asc(x)/desc(x) with
  /// optional .nulls_first()/.nulls_last(), or labels.
  template <class... O>
  select_query order_by(const O&... items) const {
    return modified([&](select_stmt& s) { (s.order_by.push_back(detail::order_item_of(items)), ...); });
  }
  select_query limit(std::int64_t n) const;
  select_query offset(std::int64_t n) const;
  select_query distinct(bool on = true) const;
  /// FOR UPDATE where the database has it; omitted on SQLite, which locks the
  /// whole database for a writer anyway.
  select_query for_update(bool on = true) const;
  /// FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF tables] [NOWAIT |
  /// SKIP LOCKED], where the database has row locks (see sql::row_lock).
  select_query with_for_update(row_lock lock) const;
  /// Adds columns to the select list.
  template <detail::selectable... C>
  select_query add_columns(const C&... items) const {
    return modified([&](select_stmt& s) { (s.columns.push_back(items.node()), ...); });
  }

  /// This query as a derived table: FROM (SELECT ...) AS alias.
  aliased_subquery subquery(std::string alias) const { return {node(), std::move(alias)}; }
  /// This query as a value, (SELECT ...): it should yield one row and column.
  template <class T>
  expr<T> scalar() const {
    return expr<T>(make_scalar(node()));
  }

 private:
  explicit select_query(std::shared_ptr<const select_stmt> s) : stmt_(std::move(s)) {}
  static node_ptr make_scalar(node_ptr query);
  select_query add_join(join_kind kind, node_ptr target, node_ptr on) const;
  template <class F>
  select_query modified(F&& change) const {
    auto copy = std::make_shared<select_stmt>(*stmt_);
    change(*copy);
    return select_query(std::shared_ptr<const select_stmt>(std::move(copy)));
  }

  std::shared_ptr<const select_stmt> stmt_;
};

/// SELECT columns... (no columns: SELECT *).  Columns are expressions,
/// labeled expressions, star() or text().
template <detail::selectable... C>
select_query select(const C&... columns) {
  return select_query(std::vector<node_ptr>{columns.node()...});
}

/// EXISTS (SELECT ...) and NOT EXISTS (SELECT ...).
RELATE_API expr<bool> exists(const select_query& query);
RELATE_API expr<bool> not_exists(const select_query& query);

/// SELECT ... UNION [ALL] / INTERSECT / EXCEPT SELECT ..., with its own
/// ORDER BY / LIMIT / OFFSET.
class RELATE_API compound_query {
 public:
  static constexpr bool is_query = true;
  compound_query(compound_kind kind, std::vector<node_ptr> selects);

  node_ptr node() const { return stmt_; }
  template <class... O>
  compound_query order_by(const O&... items) const {
    auto copy = std::make_shared<compound_select>(*stmt_);
    (copy->order_by.push_back(detail::order_item_of(items)), ...);
    return compound_query(std::move(copy));
  }
  compound_query limit(std::int64_t n) const;
  compound_query offset(std::int64_t n) const;
  aliased_subquery subquery(std::string alias) const { return {node(), std::move(alias)}; }

 private:
  explicit compound_query(std::shared_ptr<const compound_select> s) : stmt_(std::move(s)) {}
  std::shared_ptr<const compound_select> stmt_;
};

template <std::same_as<select_query>... More>
compound_query union_(const select_query& a, const select_query& b, const More&... more) {
  return compound_query(compound_kind::union_distinct, {a.node(), b.node(), more.node()...});
}
template <std::same_as<select_query>... More>
compound_query union_all(const select_query& a, const select_query& b, const More&... more) {
  return compound_query(compound_kind::union_all, {a.node(), b.node(), more.node()...});
}
template <std::same_as<select_query>... More>
compound_query intersect(const select_query& a, const select_query& b, const More&... more) {
  return compound_query(compound_kind::intersect, {a.node(), b.node(), more.node()...});
}
template <std::same_as<select_query>... More>
compound_query except_(const select_query& a, const select_query& b, const More&... more) {
  return compound_query(compound_kind::except, {a.node(), b.node(), more.node()...});
}

// ---- data modification ----------------------------------------------------------------

namespace detail {

/// A value (or expression) V that may be stored in a column of type T.
template <class T, class V>
constexpr void check_assignable() {
  static_assert(comparable_with<expr<T>, V>,
                "relate::sql: the value's type does not match the column's type");
  static_assert(is_optional_v<T> || (!is_optional_v<value_type_of_t<V>> && category_v<V> != category::null),
                "relate::sql: a non-optional column cannot be set to an optional or NULL value");
}

/// RETURNING support shared by insert/update/delete.
template <class Statement, class Query>
Query with_returning(const std::shared_ptr<const Statement>& s, std::vector<node_ptr> columns) {
  auto copy = std::make_shared<Statement>(*s);
  for (auto& c : columns) copy->returning.push_back(std::move(c));
  return Query(std::shared_ptr<const Statement>(std::move(copy)));
}

}  // namespace detail

/// The row an upsert tried to insert: excluded(col) in on_conflict_do_update().
template <class T>
column<T> excluded(const column<T>& c) {
  return column<T>(table("excluded"), c.name());
}

/// INSERT INTO table ...: built by insert(table).  Ts are the types of the
/// columns named with columns(), checked against each values() row.
template <class... Ts>
class insert_query {
 public:
  static constexpr bool is_statement = true;

  explicit insert_query(std::shared_ptr<const insert_stmt> s) : stmt_(std::move(s)) {}

  node_ptr node() const { return stmt_; }
  const insert_stmt& statement() const noexcept { return *stmt_; }

  /// Sets one column of the single inserted row: insert(t).value(name, "x").value(age, 3).
  template <class T, class V>
  insert_query value(const column<T>& c, const V& v) const requires(sizeof...(Ts) == 0) {
    detail::check_assignable<T, V>();
    return modified([&](insert_stmt& s) {
      if (s.rows.size() > 1) throw usage_error("insert().value() after several rows");
      if (s.rows.empty()) s.rows.emplace_back();
      s.columns.push_back(c.name());
      s.rows.front().push_back(detail::to_node<T>(v));
    });
  }
  /// Names the columns of rows given with values() (many rows, or INSERT ... SELECT).
  template <class... Us>
  insert_query<Us...> columns(const column<Us>&... cs) const requires(sizeof...(Ts) == 0) {
    auto copy = std::make_shared<insert_stmt>(*stmt_);
    copy->columns = {cs.name()...};
    return insert_query<Us...>(std::shared_ptr<const insert_stmt>(std::move(copy)));
  }
  /// Adds a row, one value per column named by columns().
  template <class... Vs>
  insert_query values(const Vs&... vs) const requires(sizeof...(Ts) > 0) {
    static_assert(sizeof...(Vs) == sizeof...(Ts), "relate::sql: values() needs one value per column");
    (detail::check_assignable<Ts, Vs>(), ...);
    return modified([&](insert_stmt& s) { s.rows.push_back({detail::to_node<Ts>(vs)...}); });
  }
  /// INSERT INTO t (columns...) SELECT ...
  insert_query from_select(const select_query& q) const {
    return modified([&](insert_stmt& s) { s.from_select = q.node(); });
  }
  template <detail::selectable... C>
  insert_query returning(const C&... columns) const {
    return detail::with_returning<insert_stmt, insert_query>(stmt_, {columns.node()...});
  }
  /// ON CONFLICT (target...) DO NOTHING
  template <class... Cs>
  insert_query on_conflict_do_nothing(const column<Cs>&... target) const {
    return modified([&](insert_stmt& s) { s.upsert = on_conflict{{target.name()...}, {}}; });
  }
  /// ON CONFLICT (target...) DO UPDATE SET ...: add the assignments with
  /// on_conflict_set(col, value) (e.g. excluded(col)).
  template <class... Cs>
  insert_query on_conflict_do_update(const column<Cs>&... target) const {
    return modified([&](insert_stmt& s) { s.upsert = on_conflict{{target.name()...}, {}}; });
  }
  template <class T, class V>
  insert_query on_conflict_set(const column<T>& c, const V& v) const {
    detail::check_assignable<T, V>();
    return modified([&](insert_stmt& s) {
      if (!s.upsert) throw usage_error("on_conflict_set() needs on_conflict_do_update() first");
      s.upsert->set.emplace_back(c.name(), detail::to_node<T>(v));
    });
  }

 private:
  template <class F>
  insert_query modified(F&& change) const {
    auto copy = std::make_shared<insert_stmt>(*stmt_);
    change(*copy);
    return insert_query(std::shared_ptr<const insert_stmt>(std::move(copy)));
  }
  std::shared_ptr<const insert_stmt> stmt_;
};

/// INSERT INTO table: add .value(col, v)..., or .columns(...).values(...)...;
/// nothing: DEFAULT VALUES.
RELATE_API insert_query<> insert(table_ptr table);

/// UPDATE table SET ... WHERE ...
class update_query {
 public:
  static constexpr bool is_statement = true;
  explicit update_query(std::shared_ptr<const update_stmt> s) : stmt_(std::move(s)) {}

  node_ptr node() const { return stmt_; }
  const update_stmt& statement() const noexcept { return *stmt_; }

  template <class T, class V>
  update_query set(const column<T>& c, const V& v) const {
    detail::check_assignable<T, V>();
    return modified([&](update_stmt& s) { s.assignments.emplace_back(c.name(), detail::to_node<T>(v)); });
  }
  template <class P>
  update_query where(const P& condition) const {
    static_assert(detail::predicate<P>, "relate::sql: where() needs a boolean expression or text()");
    return modified([&](update_stmt& s) { s.where = conjoin(s.where, condition.node()); });
  }
  template <detail::selectable... C>
  update_query returning(const C&... columns) const {
    return detail::with_returning<update_stmt, update_query>(stmt_, {columns.node()...});
  }

 private:
  template <class F>
  update_query modified(F&& change) const {
    auto copy = std::make_shared<update_stmt>(*stmt_);
    change(*copy);
    return update_query(std::shared_ptr<const update_stmt>(std::move(copy)));
  }
  std::shared_ptr<const update_stmt> stmt_;
};
RELATE_API update_query update(table_ptr table);

/// DELETE FROM table WHERE ...
class delete_query {
 public:
  static constexpr bool is_statement = true;
  explicit delete_query(std::shared_ptr<const delete_stmt> s) : stmt_(std::move(s)) {}

  node_ptr node() const { return stmt_; }
  const delete_stmt& statement() const noexcept { return *stmt_; }

  template <class P>
  delete_query where(const P& condition) const {
    static_assert(detail::predicate<P>, "relate::sql: where() needs a boolean expression or text()");
    auto copy = std::make_shared<delete_stmt>(*stmt_);
    copy->where = conjoin(copy->where, condition.node());
    return delete_query(std::shared_ptr<const delete_stmt>(std::move(copy)));
  }
  template <detail::selectable... C>
  delete_query returning(const C&... columns) const {
    return detail::with_returning<delete_stmt, delete_query>(stmt_, {columns.node()...});
  }

 private:
  std::shared_ptr<const delete_stmt> stmt_;
};
RELATE_API delete_query delete_from(table_ptr table);

}  // namespace relate::sql
