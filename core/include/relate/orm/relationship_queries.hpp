// SPDX-License-Identifier: MIT
// Querying across relationships without spelling the join condition:
//
//   session.query<Post>().join(&Post::author).filter(relate::col(&User::name) == "Ann");
//   session.query<User>().filter(relate::any(&User::posts, relate::col(&Post::title).like("A%")));
//   session.query<Post>().filter(relate::has(&Post::author, relate::col(&User::name) == "Ann"));
//   session.query<User>().filter(relate::contains(&User::posts, some_post));
//
// any/has are EXISTS subqueries correlated with the outer query.  A
// self-referential relationship joins its own table, so the other end needs
// a name of its own: relate::aliased<Employee> boss("boss"), then
// query.join(&Employee::manager, boss).filter(boss.col(&Employee::name) == "Ann"),
// or any(&Employee::reports, report_alias, report_alias.col(...) == ...).
#pragma once

#include <relate/export.hpp>

#include <relate/orm/mapper.hpp>
#include <relate/orm/relationship_mapping.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/expression.hpp>

#include <string>
#include <type_traits>
#include <vector>

namespace relate::orm {

/// Another name for T's table in one query (FROM employees AS boss).
template <class T>
class aliased {
 public:
  explicit aliased(std::string name) : table_(sql::alias(mapper_of<T>().table(), std::move(name))) {}
  /// The member's column on this alias (defined in relate/orm/query.hpp, with relate::col).
  template <class M>
  auto col(M T::*member) const;
  const sql::table_ptr& table() const noexcept { return table_; }

 private:
  sql::table_ptr table_;
};

namespace detail {

/// The JOIN clauses along owner's relationship at `offset`, from `owner_table`
/// (null: the owner's table) to `target_table` (null: the target's table).
std::vector<sql::join_clause> relationship_joins(const mapper& owner, std::size_t offset, sql::join_kind kind,
                                                 const sql::table_ptr& owner_table,
                                                 const sql::table_ptr& target_table);
/// EXISTS (SELECT * FROM target WHERE <join to the owner's table> [AND condition]).
RELATE_API sql::node_ptr relationship_exists(const mapper& owner, std::size_t offset,
                                             const sql::node_ptr& condition,
                                             const sql::table_ptr& target_table, bool condition_given);
/// The collection holds the object with this key (EXISTS ... AND target key = ?).
sql::node_ptr relationship_contains(const mapper& owner, std::size_t offset, const instance_state& target);
/// owner.fk = target's key (IS NULL when target is null): a many-to-one filter.
sql::node_ptr relationship_is(const mapper& owner, std::size_t offset, const instance_state* target);

template <class P>
sql::node_ptr condition_node(const P& condition) {
  static_assert(sql::boolean_expression<P>,
                "relate: the condition must be a boolean expression");
  return condition.node();
}

}  // namespace detail

/// EXISTS a related object (matching condition, if given): for relate::many<> members.
template <class T, class R>
sql::expr<bool> any(many<R> T::*member) {
  return sql::expr<bool>(
      detail::relationship_exists(mapper_of<T>(), detail::member_offset(member), nullptr, nullptr, false));
}
template <class T, class R, sql::expression P>
sql::expr<bool> any(many<R> T::*member, const P& condition) {
  return sql::expr<bool>(detail::relationship_exists(mapper_of<T>(), detail::member_offset(member),
                                                     detail::condition_node(condition), nullptr, true));
}
template <class T, class R, sql::expression P>
sql::expr<bool> any(many<R> T::*member, const aliased<R>& related, const P& condition) {
  return sql::expr<bool>(detail::relationship_exists(mapper_of<T>(), detail::member_offset(member),
                                                     detail::condition_node(condition), related.table(),
                                                     true));
}

/// The related object exists (and matches condition): for relate::one<> members.
template <class T, class R>
sql::expr<bool> has(one<R> T::*member) {
  return sql::expr<bool>(
      detail::relationship_exists(mapper_of<T>(), detail::member_offset(member), nullptr, nullptr, false));
}
template <class T, class R, sql::expression P>
sql::expr<bool> has(one<R> T::*member, const P& condition) {
  return sql::expr<bool>(detail::relationship_exists(mapper_of<T>(), detail::member_offset(member),
                                                     detail::condition_node(condition), nullptr, true));
}
template <class T, class R, sql::expression P>
sql::expr<bool> has(one<R> T::*member, const aliased<R>& related, const P& condition) {
  return sql::expr<bool>(detail::relationship_exists(mapper_of<T>(), detail::member_offset(member),
                                                     detail::condition_node(condition), related.table(),
                                                     true));
}

template <class T, class R, class... Rest>
sql::expr<bool> any(one<R> T::*, const Rest&...) {
  static_assert(sizeof(R) == 0,
                "relate::any: expects a relate::many<> member; use relate::has for relate::one<>");
  return sql::expr<bool>(nullptr);
}
template <class T, class R, class... Rest>
sql::expr<bool> has(many<R> T::*, const Rest&...) {
  static_assert(sizeof(R) == 0,
                "relate::has: expects a relate::one<> member; use relate::any for relate::many<>");
  return sql::expr<bool>(nullptr);
}

/// The collection holds `object` (a persistent object: its key is bound now).
template <class T, class R>
sql::expr<bool> contains(many<R> T::*member, const ptr<R>& object) {
  if (!object) throw usage_error("relate::contains: a null ptr");
  return sql::expr<bool>(
      detail::relationship_contains(mapper_of<T>(), detail::member_offset(member), object.state()));
}

/// The reference is `object` (null: no object): posts.user_id = <the user's id>.
template <class T, class R>
sql::expr<bool> is(one<R> T::*member, const ptr<R>& object) {
  return sql::expr<bool>(detail::relationship_is(mapper_of<T>(), detail::member_offset(member),
                                                 object ? &object.state() : nullptr));
}

}  // namespace relate::orm

namespace relate {
using orm::aliased;
using orm::any;
using orm::contains;
using orm::has;
}  // namespace relate
