// SPDX-License-Identifier: MIT
// Loader options: how a query loads the relationships of the objects it
// returns (SQLAlchemy's selectinload / joinedload / lazyload / raiseload).
//
//   session.query<User>().options(relate::selectinload(&User::posts)).all();        // 2 statements
//   session.query<User>().options(relate::joinedload(&User::posts)).all();          // 1 statement
//   session.query<User>()
//       .options(relate::selectinload(&User::posts).selectinload(&Post::tags)).all(); // users -> posts ->
//       tags
//   session.query<User>().options(relate::raiseload(&User::posts)).all();           // access throws
//
// An option is a path: each step names a relationship of the previous step's
// target and how to load it; relationships no option names load as their
// mapping says (lazy(...), default lazy).
// - selectin: after the query, one SELECT ... WHERE key IN (...) per
//   relationship and level (more only past the backend's parameter limit);
// - joined: the same query, with a LEFT OUTER JOIN per relationship; rows
//   repeated by a collection are folded into one object each (a LIMIT
//   applies to the objects, not the rows: the query becomes a subquery);
// - lazy: one SELECT on first access of each object's relationship;
// - raise: the first access throws lazy_load_error.
// Objects already in the session whose relationship is loaded keep it.
#pragma once

#include <relate/orm/relationship.hpp>
#include <relate/orm/relationship_mapping.hpp>

#include <cstddef>
#include <type_traits>
#include <vector>

namespace relate::orm {

namespace detail {

struct load_step {
  const mapper& (*owner)() = nullptr;
  std::size_t offset = 0;
  loading strategy = loading::lazy;
};

template <class M>
using relationship_target_t = typename relationship_member_traits<M>::target;

}  // namespace detail

/// A path of relationships from Root, ending at Last, with a strategy per step.
template <class Root, class Last>
class load_option {
 public:
  using root_type = Root;
  explicit load_option(std::vector<detail::load_step> steps) : steps_(std::move(steps)) {}

  template <class T, class M>
  load_option<Root, detail::relationship_target_t<M>> selectinload(M T::*member) const {
    return then<T>(member, loading::selectin);
  }
  template <class T, class M>
  load_option<Root, detail::relationship_target_t<M>> joinedload(M T::*member) const {
    return then<T>(member, loading::joined);
  }
  template <class T, class M>
  load_option<Root, detail::relationship_target_t<M>> lazyload(M T::*member) const {
    return then<T>(member, loading::lazy);
  }
  template <class T, class M>
  load_option<Root, detail::relationship_target_t<M>> raiseload(M T::*member) const {
    return then<T>(member, loading::raise);
  }

  const std::vector<detail::load_step>& steps() const noexcept { return steps_; }

 private:
  template <class T, class M>
  load_option<Root, detail::relationship_target_t<M>> then(M T::*member, loading strategy) const {
    static_assert(detail::relationship_member_traits<M>::is_relationship,
                  "relate: a loader option names a relate::many<T> or relate::one<T> member");
    static_assert(
        std::is_same_v<T, Last>,
        "relate: each step of a loader option must be a relationship of the previous step's target");
    auto steps = steps_;
    steps.push_back({&mapper_of<T>, detail::member_offset(member), strategy});
    return load_option<Root, detail::relationship_target_t<M>>(std::move(steps));
  }
  std::vector<detail::load_step> steps_;
};

namespace detail {
template <class T, class M>
load_option<T, relationship_target_t<M>> first_step(M T::*member, loading strategy) {
  static_assert(relationship_member_traits<M>::is_relationship,
                "relate: a loader option names a relate::many<T> or relate::one<T> member");
  return load_option<T, relationship_target_t<M>>({{&mapper_of<T>, member_offset(member), strategy}});
}
}  // namespace detail

/// Load the relationship with one extra SELECT ... IN (...) per query.
template <class T, class M>
auto selectinload(M T::*member) {
  return detail::first_step(member, loading::selectin);
}
/// Load the relationship in the same query (LEFT OUTER JOIN).
template <class T, class M>
auto joinedload(M T::*member) {
  return detail::first_step(member, loading::joined);
}
/// Load the relationship on first access (one SELECT per object).
template <class T, class M>
auto lazyload(M T::*member) {
  return detail::first_step(member, loading::lazy);
}
/// Accessing the relationship before it is loaded throws lazy_load_error.
template <class T, class M>
auto raiseload(M T::*member) {
  return detail::first_step(member, loading::raise);
}

}  // namespace relate::orm

namespace relate {
using orm::joinedload;
using orm::lazyload;
using orm::raiseload;
using orm::selectinload;
}  // namespace relate
