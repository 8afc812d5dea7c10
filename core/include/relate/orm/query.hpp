// SPDX-License-Identifier: MIT
// relate::orm::query<T>: SELECTs that return mapped objects (SQLAlchemy's
// session.query(User) / select(User)), and relate::col(&T::member), the
// typed column expression of a mapped member.
//
//   auto posts = session.query<Post>()
//       .filter(relate::col(&Post::title).like("First%") && relate::col(&Post::user_id) == john->id)
//       .order_by(relate::desc(&Post::id)).limit(10).all();
//
// A query is a value: each call adds to it and returns it, so it can be built
// step by step and run several times.  Running it autoflushes the session
// first (when enabled), so it sees the session's pending changes.  Objects
// come through the identity map: a row already loaded in the session gives
// the object the session has (its in-memory changes are kept), unless the
// query has populate_existing(), which overwrites it with the row.
//
// stream() reads rows as the cursor moves (fetch_mode::streamed) instead of
// materialising the result; its objects still enter the identity map (and
// the session keeps them).  scan() streams fresh, detached objects that the
// session does not track: constant memory for reading large tables.  While a
// stream is open, do not run other statements on the session.
//
// update()/delete_() run one UPDATE/DELETE with the query's criteria and
// return the number of rows.  Objects of T in the identity map that the
// statement touched are expired (reloaded on next access) after an update
// and detached (status deleted) after a delete; where the database cannot
// return the touched keys, every object of T in the session is expired.
#pragma once

#include <relate/orm/for_update.hpp>
#include <relate/orm/loading.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/orm/relationship_queries.hpp>
#include <relate/orm/session.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/nodes.hpp>
#include <relate/sql/statements.hpp>

#include <array>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate::orm {

namespace detail {
/// The expression type of a member type: the member's own, except that every
/// sys_time<D> other than a date is a relate::timestamp in SQL.
template <class M>
struct expression_type {
  using type = M;
};
template <class D>
requires(!std::is_same_v<std::chrono::sys_time<D>, date>) struct expression_type<std::chrono::sys_time<D>> {
  using type = timestamp;
};
template <class M>
struct expression_type<std::optional<M>> {
  using type = std::optional<typename expression_type<M>::type>;
};
}  // namespace detail

/// The column a member maps, as a typed expression bound to T's table:
/// relate::col(&Post::title).like("First%") && relate::col(&Post::user_id) == 7.
/// A std::optional member gives an expression of std::optional type (nullable).
template <class T, class M>
auto col(M T::*member) {
  using E = typename detail::expression_type<M>::type;
  const mapper& m = mapper_of<T>();
  const auto& c = m.columns()[column_index(member)];
  return sql::column<E>(m.table(), c.def.name, c.def.type);
}

template <class T>
template <class M>
auto aliased<T>::col(M T::*member) const {
  using E = typename detail::expression_type<M>::type;
  const auto& c = mapper_of<T>().columns()[column_index(member)];
  return sql::column<E>(table_, c.def.name, c.def.type);
}

/// ORDER BY items from members: relate::asc(&T::m), relate::desc(&T::m).
template <class T, class M>
sql::ordering asc(M T::*member) {
  return col(member).asc();
}
template <class T, class M>
sql::ordering desc(M T::*member) {
  return col(member).desc();
}

namespace detail {

/// member = v (or IS NULL for an empty optional), typed by the member.
template <class T, class M>
sql::node_ptr member_equals(M T::*member, const M& v) {
  const mapper& m = mapper_of<T>();
  auto i = column_index(member);
  value bound = member_ops<M>::read(&v);
  if (bound.is_null()) {
    auto n = std::make_shared<sql::unary_op>();
    n->op = sql::unary_operator::is_null;
    n->operand = m.column_nodes()[i];
    return n;
  }
  auto n = std::make_shared<sql::binary_op>();
  n->op = sql::binary_operator::eq;
  n->left = m.column_nodes()[i];
  n->right = sql::bind_for(std::move(bound), m.columns()[i].def);
  return n;
}

template <class O>
sql::order_item order_item_of(const O& o) {
  if constexpr (std::is_same_v<O, sql::ordering>) {
    return o.item();
  } else if constexpr (std::is_same_v<O, sql::order_item>) {
    return o;
  } else if constexpr (std::is_member_object_pointer_v<O>) {
    return asc(o).item();
  } else {
    static_assert(
        sql::expression<O>,
        "relate::query::order_by: expects relate::asc/desc(...), a member pointer or an expression");
    return o.asc().item();
  }
}

/// The selected columns that are plain columns of a table on the outer side
/// of a LEFT OUTER JOIN and are read into a type that is not optional
/// (optional[i] false): a NULL there is the join's doing, and its error says
/// so.  Empty, at no cost, for a query without outer joins.
RELATE_API std::vector<std::size_t> outer_side_columns(const std::vector<sql::node_ptr>& columns,
                                                       const std::vector<sql::join_clause>& joins,
                                                       const bool* optional);
/// The usage_error for a NULL in such a column, naming relate::sql::as_optional.
[[noreturn]] RELATE_API void throw_outer_side_null(const sql::node& column, std::size_t index);

/// The parts of a SELECT that object, tuple and bulk queries share.
struct query_criteria {
  sql::node_ptr where;
  std::vector<sql::join_clause> joins;
  std::vector<sql::node_ptr> group_by;
  sql::node_ptr having;
  std::vector<sql::order_item> order;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  sql::row_lock lock;

  std::shared_ptr<sql::select_stmt> select(std::vector<sql::node_ptr> columns, sql::node_ptr from) const {
    auto stmt = std::make_shared<sql::select_stmt>();
    stmt->columns = std::move(columns);
    if (from) stmt->from = {std::move(from)};
    stmt->joins = joins;
    stmt->where = where;
    stmt->group_by = group_by;
    stmt->having = having;
    stmt->order_by = order;
    stmt->limit = limit;
    stmt->offset = offset;
    stmt->lock = lock;
    return stmt;
  }
};

}  // namespace detail

/// One SET item of a bulk update: {&T::member, new value}.
template <class T>
struct assignment {
  template <class M, class V>
  requires std::convertible_to<V, M> assignment(M T::*member, V&& v) : column(column_index(member)) {
    const M converted = static_cast<M>(std::forward<V>(v));
    new_value = detail::member_ops<M>::read(&converted);
  }
  std::size_t column;
  value new_value;
};

/// Objects read row by row from an open result (see query::stream/scan).
template <class T>
class object_stream {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = ptr<T>;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    explicit iterator(object_stream* owner) : owner_(owner) { advance(); }
    const ptr<T>& operator*() const { return owner_->current_; }
    const ptr<T>* operator->() const { return &owner_->current_; }
    iterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const iterator& a, const iterator& b) { return a.owner_ == b.owner_; }

   private:
    void advance() {
      if (owner_ && !owner_->next()) owner_ = nullptr;
    }
    object_stream* owner_ = nullptr;
  };

  object_stream(std::weak_ptr<detail::session_impl> s, result r, detail::row_load how)
      : session_(std::move(s)), result_(std::move(r)), how_(how) {}
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  bool next() {
    // The session first: a stream whose session is gone reads nothing more.
    auto live = detail::session_access::lock(session_);
    if (!result_.cursor().next()) {
      current_ = nullptr;
      return false;
    }
    auto st = detail::session_access::load(*live, mapper_of<T>(), result_.cursor(), 0, how_);
    current_ = ptr<T>(std::static_pointer_cast<instance<T>>(std::move(st)));
    return true;
  }
  std::weak_ptr<detail::session_impl> session_;
  result result_;
  detail::row_load how_;
  ptr<T> current_;
};

/// The criteria-building half of a query (filter, order_by, limit, ...),
/// shared by object and tuple queries.  Derived is the concrete query type.
template <class Derived>
class query_base {
 public:
  /// WHERE condition (ANDed with earlier filters), as a tree node.
  Derived& filter(sql::node_ptr condition) {
    c_.where = sql::conjoin(std::move(c_.where), std::move(condition));
    return self();
  }
  /// WHERE on a typed boolean expression, e.g. relate::col(&T::m) == v.
  template <sql::expression P>
  Derived& filter(const P& condition) {
    static_assert(sql::boolean_expression<P>,
                  "relate::query::filter: the condition must be a boolean expression");
    return filter(condition.node());
  }
  /// ORDER BY: relate::desc(&T::m), relate::col(&T::m).desc(), a member
  /// pointer or any expression (ascending).
  template <class... O>
  Derived& order_by(const O&... items) {
    (c_.order.push_back(detail::order_item_of(items)), ...);
    return self();
  }
  Derived& limit(std::int64_t n) {
    c_.limit = n;
    return self();
  }
  Derived& offset(std::int64_t n) {
    c_.offset = n;
    return self();
  }
  /// SELECT ... FOR UPDATE (SQLAlchemy's with_for_update): the rows read stay
  /// locked until the transaction ends, e.g. `.with_for_update({.skip_locked = true})`
  /// for a work queue.  See for_update_options; ignored on SQLite.
  Derived& with_for_update(const for_update_options& options = {}) {
    c_.lock = options.lock();
    return self();
  }
  /// INNER JOIN U's table ON condition (to filter or order on related columns).
  template <class U, sql::expression P>
  Derived& join(const P& on) {
    c_.joins.push_back({sql::join_kind::inner, mapper_of<U>().table(), on.node()});
    return self();
  }
  template <class U, sql::expression P>
  Derived& outer_join(const P& on) {
    c_.joins.push_back({sql::join_kind::left_outer, mapper_of<U>().table(), on.node()});
    return self();
  }
  /// INNER JOIN along a relationship of a model the query already has:
  /// .join(&User::posts) adds JOIN posts ON posts.user_id = users.id (and the
  /// secondary table of a many-to-many).
  template <class U, class M>
  requires detail::relationship_member_traits<M>::is_relationship Derived& join(M U::*relationship) {
    return add_relationship_join(sql::join_kind::inner, relationship, nullptr);
  }
  template <class U, class M>
  requires detail::relationship_member_traits<M>::is_relationship Derived& outer_join(M U::*relationship) {
    return add_relationship_join(sql::join_kind::left_outer, relationship, nullptr);
  }
  /// The same, into an alias of the target (a self-referential relationship,
  /// or a table joined twice).
  template <class U, class M>
  requires detail::relationship_member_traits<M>::is_relationship Derived& join(
      M U::*relationship, const aliased<detail::relationship_target_t<M>>& target) {
    return add_relationship_join(sql::join_kind::inner, relationship, target.table());
  }
  template <class U, class M>
  requires detail::relationship_member_traits<M>::is_relationship Derived& outer_join(
      M U::*relationship, const aliased<detail::relationship_target_t<M>>& target) {
    return add_relationship_join(sql::join_kind::left_outer, relationship, target.table());
  }
  /// GROUP BY expressions (e.g. relate::col(&User::id)).
  template <sql::expression... E>
  Derived& group_by(const E&... items) {
    (c_.group_by.push_back(items.node()), ...);
    return self();
  }
  /// HAVING condition (ANDed with earlier ones).
  template <sql::expression P>
  Derived& having(const P& condition) {
    static_assert(sql::boolean_expression<P>,
                  "relate::query::having: the condition must be a boolean expression");
    c_.having = sql::conjoin(std::move(c_.having), condition.node());
    return self();
  }

 protected:
  explicit query_base(session& s) : session_(detail::session_access::handle(s)) {}
  Derived& self() { return static_cast<Derived&>(*this); }
  template <class U, class M>
  Derived& add_relationship_join(sql::join_kind kind, M U::*relationship, const sql::table_ptr& target) {
    for (auto& j : detail::relationship_joins(mapper_of<U>(), detail::member_offset(relationship), kind,
                                              nullptr, target))
      c_.joins.push_back(std::move(j));
    return self();
  }
  std::weak_ptr<detail::session_impl> session_;  // a query may outlive its session: lock() says so
  detail::query_criteria c_;
};

template <class T>
class query : public query_base<query<T>> {
  using base = query_base<query<T>>;
  using base::c_;
  using base::session_;

 public:
  explicit query(session& s) : base(s), mapper_(&mapper_of<T>()) {}

  using base::filter;
  /// WHERE the many-to-one reference is `object` (IS NULL for a null ptr):
  /// filter_by(&Post::author, john).
  template <class R>
  query& filter_by(one<R> T::*member, const ptr<R>& object) {
    filter(orm::is(member, object).node());
    return *this;
  }
  /// WHERE member = v; v must convert to the member's type.
  template <class M, class V>
  requires(!detail::relationship_member_traits<M>::is_relationship) query& filter_by(M T::*member, V&& v) {
    static_assert(std::is_convertible_v<V, M>,
                  "relate::orm::query::filter_by: the value does not convert to the member's type");
    if constexpr (std::is_convertible_v<V, M>)
      filter(detail::member_equals(member, static_cast<M>(std::forward<V>(v))));
    return *this;
  }

  /// How the objects' relationships load: relate::selectinload(&T::rel),
  /// joinedload, lazyload, raiseload, and paths through them
  /// (relate/orm/loading.hpp).  Applies to all(), first(), one() and one_or_none().
  /// Column options say which columns it reads: relate::defer(&T::m, ...),
  /// undefer, load_only.
  template <class... O>
  query& options(const O&... load_options) {
    static_assert(
        (std::is_same_v<typename O::root_type, T> && ...),
        "relate::query::options: each option must start at a relationship or a column of the queried model");
    (add_option(load_options), ...);
    return *this;
  }

  /// Objects the session already has take the row's values, discarding
  /// their unflushed changes, and their relationships load again (as this
  /// query's options and the mapping say), as SQLAlchemy's populate_existing.
  /// Without it the identity map wins: such objects keep their members.
  /// Applies to the objects of every statement the query runs (select-in
  /// loads too) and to stream().
  query& populate_existing() {
    how_.populate_existing = true;
    return *this;
  }

  /// Every matching object.
  std::vector<ptr<T>> all() const { return run(build()); }
  /// The first object (LIMIT 1), or null.
  ptr<T> first() const {
    auto stmt = build();
    stmt->limit = 1;
    auto v = run(std::move(stmt));
    return v.empty() ? ptr<T>() : v.front();
  }
  /// Exactly one object: no_result_found / multiple_results_found otherwise.
  ptr<T> one() const {
    auto p = one_or_none();
    if (!p) throw no_result_found("relate::query<" + mapper_->type_name() + ">::one(): no row was found");
    return p;
  }
  /// One object or null; multiple_results_found when several rows match.
  ptr<T> one_or_none() const {
    auto stmt = build();
    if (!stmt->limit || *stmt->limit > 2) stmt->limit = 2;
    auto v = run(std::move(stmt));
    if (v.size() > 1)
      throw multiple_results_found("relate::query<" + mapper_->type_name() + ">: more than one row matched");
    return v.empty() ? ptr<T>() : v.front();
  }
  /// SELECT count(*) FROM (the query) AS anon_1.
  std::int64_t count() const {
    auto inner = build();
    inner->distinct = !c_.joins.empty();                   // objects, not the rows a join repeats
    if (!c_.limit && !c_.offset) inner->order_by.clear();  // ordering cannot change a count
    auto derived = std::make_shared<sql::derived_table>();
    derived->query = inner;
    derived->alias = "anon_1";
    auto call = std::make_shared<sql::function_call>();
    call->name = "count";
    call->args.push_back(std::make_shared<sql::star>());
    auto outer = std::make_shared<sql::select_stmt>();
    outer->columns.push_back(call);
    outer->from.push_back(derived);
    auto r = detail::session_access::execute(*detail::session_access::lock(session_), *outer,
                                             fetch_mode::buffered);
    return r.template scalar<std::int64_t>().value_or(0);
  }
  /// Whether any row matches (`SELECT <key> ... LIMIT 1`).
  bool exists() const {
    auto stmt = build();
    stmt->columns = {mapper_->column_nodes()[mapper_->primary_key()[0]]};
    stmt->order_by.clear();
    stmt->limit = 1;
    auto r =
        detail::session_access::execute(*detail::session_access::lock(session_), *stmt, fetch_mode::buffered);
    return r.cursor().next();
  }

  /// Objects as rows arrive, through the identity map.  Relationships load
  /// lazily (loader options and eager mapping defaults need every row first).
  object_stream<T> stream() const {
    check_streamable("stream");
    return object_stream<T>(session_,
                            detail::session_access::execute(*detail::session_access::lock(session_), *build(),
                                                            fetch_mode::streamed),
                            how());
  }
  /// Fresh objects as rows arrive, detached: not tracked by the session (their
  /// relationships cannot load).
  object_stream<T> scan() const {
    check_streamable("scan");
    return object_stream<T>(session_,
                            detail::session_access::execute(*detail::session_access::lock(session_), *build(),
                                                            fetch_mode::streamed),
                            how(true));
  }
  /// Calls f(ptr<T>) for each object, streamed through the identity map.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& p : stream()) f(p);
  }

  /// UPDATE T's table SET ... WHERE the query's filters; returns the row count.
  std::int64_t update(std::initializer_list<assignment<T>> set) const {
    check_bulk("update");
    auto stmt = std::make_shared<sql::update_stmt>();
    stmt->table = mapper_->table();
    for (const auto& a : set)
      stmt->assignments.emplace_back(mapper_->columns()[a.column].def.name,
                                     sql::bind_for(a.new_value, mapper_->columns()[a.column].def));
    stmt->where = c_.where;
    return run_bulk(stmt, stmt->returning, false);
  }
  /// DELETE FROM T's table WHERE the query's filters; returns the row count.
  std::int64_t delete_() const {
    check_bulk("delete_");
    auto stmt = std::make_shared<sql::delete_stmt>();
    stmt->table = mapper_->table();
    stmt->where = c_.where;
    return run_bulk(stmt, stmt->returning, true);
  }

  /// The SELECT this query runs.
  std::shared_ptr<sql::select_stmt> build() const {
    const auto deferred = deferred_columns();
    auto stmt = c_.select(deferred ? mapper_->column_nodes_except(deferred) : mapper_->column_nodes(),
                          mapper_->table());
    // A join can repeat a row of T.  The objects are folded in memory; under
    // a LIMIT/OFFSET (which counts rows) SQL's DISTINCT keeps one row each.
    stmt->distinct = !c_.joins.empty() && (c_.limit || c_.offset);
    return stmt;
  }

 private:
  template <class O>
  void add_option(const O& o) {
    if constexpr (std::is_same_v<O, column_option<T>>)
      columns_.push_back(o.step());
    else
      options_.push_back(o.steps());
  }
  /// The columns the SELECT leaves out.
  std::uint64_t deferred_columns() const {
    return columns_.empty() ? mapper_->deferred_columns() : detail::deferred_columns(*mapper_, columns_);
  }
  detail::row_load how(bool detached = false) const {
    auto how = how_;
    how.deferred = deferred_columns();
    how.detached = detached;
    return how;
  }
  std::vector<ptr<T>> run(std::shared_ptr<sql::select_stmt> stmt) const {
    auto states = detail::session_access::load_objects(*detail::session_access::lock(session_), *mapper_,
                                                       std::move(stmt), options_, how());
    std::vector<ptr<T>> out;
    out.reserve(states.size());
    for (auto& s : states) out.emplace_back(std::static_pointer_cast<instance<T>>(std::move(s)));
    return out;
  }
  void check_streamable(const char* what) const {
    // Column options only shape the rows: a stream takes them.
    if (!options_.empty())
      throw usage_error(std::string("relate::query::") + what +
                        "(): loader options need every row first; use all() with them");
  }
  void check_bulk(const char* what) const {
    if (!c_.joins.empty() || c_.limit || c_.offset || !c_.order.empty())
      throw usage_error(std::string("relate::query::") + what +
                        "(): a bulk statement takes filters only (no join, order_by, limit or offset)");
  }
  template <class S>
  std::int64_t run_bulk(const std::shared_ptr<S>& stmt, std::vector<sql::node_ptr>& returning,
                        bool deleted) const {
    const auto live = detail::session_access::lock(session_);
    detail::session_access::autoflush(*live);
    const bool can_return = detail::session_access::get_engine(*live).dialect().capabilities().returning;
    if (can_return)
      for (auto i : mapper_->primary_key()) returning.push_back(mapper_->column_nodes()[i]);
    auto r = detail::session_access::execute(*live, *stmt, fetch_mode::buffered);
    if (!can_return) {
      auto n = r.rows_affected();
      detail::session_access::synchronize(*live, *mapper_, nullptr, deleted);
      return n;
    }
    // The count of returned keys is the row count.
    return detail::session_access::synchronize(*live, *mapper_, &r, deleted);
  }

  const mapper* mapper_;
  std::vector<std::vector<detail::load_step>> options_;
  std::vector<detail::column_step> columns_;
  detail::row_load how_;  // populate_existing; the deferred columns come from columns_
};

/// A query for tuples of column values: session.query(col(&User::id), col(&User::name)).
template <class... V>
class tuple_query : public query_base<tuple_query<V...>> {
  using base = query_base<tuple_query<V...>>;
  using base::c_;
  using base::session_;

 public:
  using row_type = std::tuple<V...>;
  tuple_query(session& s, std::vector<sql::node_ptr> columns) : base(s), columns_(std::move(columns)) {}

  std::vector<row_type> all() const { return run(build()); }
  std::optional<row_type> first() const {
    auto stmt = build();
    stmt->limit = 1;
    auto v = run(std::move(stmt));
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
  }
  row_type one() const {
    auto stmt = build();
    stmt->limit = 2;
    auto v = run(std::move(stmt));
    if (v.empty()) throw no_result_found("relate::tuple_query::one(): no row was found");
    if (v.size() > 1) throw multiple_results_found("relate::tuple_query::one(): more than one row matched");
    return std::move(v.front());
  }
  std::shared_ptr<sql::select_stmt> build() const { return c_.select(columns_, nullptr); }

 private:
  std::vector<row_type> run(std::shared_ptr<sql::select_stmt> stmt) const {
    // FROM: the tables the columns name (minus joined ones), as sql::select() does.
    auto node = sql::finish_select(stmt);
    auto r =
        detail::session_access::execute(*detail::session_access::lock(session_), *node, fetch_mode::buffered);
    const auto outer_side = detail::outer_side_columns(columns_, c_.joins, optional_.data());
    std::vector<row_type> out;
    for (const auto& row : r) {
      for (const auto i : outer_side)
        if (row.is_null(i)) detail::throw_outer_side_null(*columns_[i], i);
      out.push_back(read(row, std::index_sequence_for<V...>{}));
    }
    return out;
  }
  static constexpr std::array<bool, sizeof...(V)> optional_{relate::detail::optional_traits<V>::nullable...};
  template <std::size_t... I>
  static row_type read(const relate::row& r, std::index_sequence<I...>) {
    return row_type(r.template get<V>(I)...);
  }
  std::vector<sql::node_ptr> columns_;
};

template <class T>
query<T> session::query() {
  return orm::query<T>(*this);
}

template <class... E>
requires(sizeof...(E) > 0 && (sql::expression<E> && ...))
    tuple_query<typename E::value_type...> session::query(const E&... columns) {
  return tuple_query<typename E::value_type...>(*this, std::vector<sql::node_ptr>{columns.node()...});
}

}  // namespace relate::orm
