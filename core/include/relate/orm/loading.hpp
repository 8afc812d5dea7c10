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
//
// Column options say which of the queried model's columns the SELECT reads
// (SQLAlchemy's defer / undefer / load_only), for large values most code
// does not need:
//
//   session.query<Post>().options(relate::defer(&Post::body)).all();          // all but body
//   session.query<Post>().options(relate::load_only(&Post::title)).all();     // the key and title
//   session.query<Post>().options(relate::undefer(&Post::attachment)).all();  // a mapping-deferred one too
//
// A member left out is value-initialised and marked not loaded: dirty
// tracking compares it with that value, so the flush never writes it unless
// the program assigns it (a deferred column is never blanked by a flush).
// session.load_deferred(obj) reads the columns an object lacks (keeping its
// changes); session.refresh(obj) reads them all.  The primary key, the
// version_id column, foreign keys and the columns the model's relationships
// join on are always loaded: load_only adds them, and defer refuses them.
// Column options apply to the queried model; the objects a relationship
// loads leave out the columns their mapping marks deferred.
#pragma once

#include <relate/export.hpp>

#include <relate/orm/relationship.hpp>
#include <relate/orm/relationship_mapping.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
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

namespace detail {

/// One column option of a query, naming members by offset.
struct column_step {
  enum class kind : std::uint8_t { defer, undefer, load_only };
  kind what = kind::defer;
  std::vector<std::size_t> offsets;
};

/// The columns of m a query with these options leaves out: the mapping's
/// deferred columns, changed by each option in turn.  Throws usage_error for
/// a member that is not a column, or for defer of a column every load needs.
RELATE_API std::uint64_t deferred_columns(const mapper& m, const std::vector<column_step>& steps);

}  // namespace detail

/// Which columns of Root a query loads: made by relate::defer, undefer and
/// load_only, for the options() of a query of Root.
template <class Root>
class column_option {
 public:
  using root_type = Root;
  explicit column_option(detail::column_step step) : step_(std::move(step)) {}
  const detail::column_step& step() const noexcept { return step_; }

 private:
  detail::column_step step_;
};

namespace detail {
template <class T, class... M>
column_option<T> column_step_of(column_step::kind what, M T::*... members) {
  static_assert(sizeof...(M) > 0, "relate::defer/undefer/load_only: name at least one member");
  static_assert((!relationship_member_traits<M>::is_relationship && ...),
                "relate::defer/undefer/load_only name column members; a relationship loads as the loader "
                "options say (selectinload, joinedload, lazyload, raiseload)");
  return column_option<T>(column_step{what, {member_offset(members)...}});
}
}  // namespace detail

/// Leave these columns out of the SELECT (SQLAlchemy's defer).
template <class T, class... M>
column_option<T> defer(M T::*... members) {
  return detail::column_step_of(detail::column_step::kind::defer, members...);
}
/// Load these columns even though the mapping defers them (SQLAlchemy's undefer).
template <class T, class... M>
column_option<T> undefer(M T::*... members) {
  return detail::column_step_of(detail::column_step::kind::undefer, members...);
}
/// Load only these columns, and the ones every load needs (SQLAlchemy's load_only).
template <class T, class... M>
column_option<T> load_only(M T::*... members) {
  return detail::column_step_of(detail::column_step::kind::load_only, members...);
}

}  // namespace relate::orm

namespace relate {
using orm::defer;
using orm::joinedload;
using orm::lazyload;
using orm::load_only;
using orm::raiseload;
using orm::selectinload;
using orm::undefer;
}  // namespace relate
