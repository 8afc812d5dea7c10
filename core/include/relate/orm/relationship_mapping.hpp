// SPDX-License-Identifier: MIT
// Declaring relationships in a mapping, next to the columns:
//
//   return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"),
//                      relationship(&User::posts, back_populates(&Post::author),
//                                   cascade::all | cascade::delete_orphan));
//   return table<Post>("posts", ..., column(&Post::user_id, "user_id", foreign_key(&User::id)),
//                      relationship(&Post::author, back_populates(&User::posts)));
//
// What kind of relationship a member is follows from where the foreign key
// is, as in SQLAlchemy:
// - one<R> in T, the key in T's table pointing at R: many-to-one;
// - one<R> in T, the key in R's table pointing at T: one-to-one (the other
//   side of a many-to-one, holding at most one object);
// - many<R> in T, the key in R's table pointing at T: one-to-many;
// - many<R> with secondary<A>(): many-to-many through A's table, whose
//   foreign keys point at T and at R.
// When T and R are the same model (self-referential), one<> is the
// many-to-one side and many<> the one-to-many side of the same key.  When
// several foreign keys could serve, foreign_keys(&X::column) names the one.
//
// Options: back_populates(&R::member) (the other side, kept in step in
// memory), foreign_keys(...), secondary<A>() / secondary(&A::to_t, &A::to_r),
// cascade flags (default cascade::save_update), passive_deletes (rely on the
// database's ON DELETE instead of loading children to delete or detach them),
// post_update (write this foreign key with a second UPDATE, to break a
// dependency cycle between rows), lazy(loading::...) (the default loading
// strategy) and order_by(&R::member, descending(&R::other)) (the order a
// collection loads in; none by default, as in SQLAlchemy).  Mistakes the compiler can see fail with a named
// static_assert; the others throw usage_error when the relationship is first
// used, naming the model and the candidates.
#pragma once

#include <relate/orm/relationship.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate::orm {

class mapper;
template <class T>
const mapper& mapper_of();

namespace detail {
template <class T, class M>
std::size_t member_offset(M T::*member);

template <class M>
struct relationship_member_traits {
  static constexpr bool is_relationship = false;
};
template <class R>
struct relationship_member_traits<many<R>> {
  static constexpr bool is_relationship = true;
  static constexpr bool collection = true;
  using target = R;
};
template <class R>
struct relationship_member_traits<one<R>> {
  static constexpr bool is_relationship = true;
  static constexpr bool collection = false;
  using target = R;
};
}  // namespace detail

/// Which operations on an object reach the objects a relationship holds.
namespace cascade {
struct flags {
  std::uint8_t bits = 0;
  constexpr flags operator|(flags other) const noexcept {
    return {static_cast<std::uint8_t>(bits | other.bits)};
  }
  constexpr bool has(flags other) const noexcept { return (bits & other.bits) == other.bits && other.bits; }
  friend constexpr bool operator==(flags, flags) = default;
};
inline constexpr flags none{0};
/// Objects added to the relationship join the owner's session (the default).
inline constexpr flags save_update{1};
/// Deleting the owner deletes the related objects.
inline constexpr flags delete_{2};
/// An object removed from the relationship is deleted.
inline constexpr flags delete_orphan{4};
/// save_update | delete_ (SQLAlchemy's "all").
inline constexpr flags all{3};
}  // namespace cascade

namespace detail {

/// A member of a mapped type, by its mapper and offset.
struct member_ref {
  const mapper& (*owner)() = nullptr;
  std::size_t offset = 0;
};

/// One declared relationship, type-erased, as the mapper keeps it.
struct relationship_entry {
  std::size_t offset = 0;
  bool collection = false;
  const mapper& (*target)() = nullptr;
  /// The member at an object's address + offset, as its base.
  relationship_member* (*member)(void* at) = nullptr;
  std::optional<member_ref> back_populates;
  std::vector<member_ref> foreign_keys;
  const mapper& (*secondary)() = nullptr;
  std::vector<member_ref> secondary_columns;  // empty, or [toward the owner, toward the target]
  cascade::flags cascade = cascade::save_update;
  bool passive_deletes = false;
  bool post_update = false;
  loading strategy = loading::lazy;
  std::vector<std::pair<std::size_t, bool>> order_by;  // target member offset, descending
};

template <class R, class M>
struct back_populates_t {
  std::size_t offset;
};
template <class X>
struct foreign_keys_t {
  std::vector<std::size_t> offsets;
};
template <class A>
struct secondary_t {
  std::vector<std::size_t> offsets;  // empty or two
};
struct passive_deletes_t {};
struct post_update_t {};
struct lazy_t {
  loading strategy;
};
template <class R>
struct order_term {
  std::size_t offset;
  bool descending;
};
template <class R>
struct order_by_t {
  std::vector<order_term<R>> terms;
};

template <class R, class M>
order_term<R> to_order_term(M R::*member) {
  return {member_offset(member), false};
}
template <class R>
order_term<R> to_order_term(order_term<R> t) {
  return t;
}

}  // namespace detail

/// The relationship on the other model that mirrors this one; both sides are
/// kept in step in memory (append a post to user.posts and post.author is user).
template <class R, class M>
detail::back_populates_t<R, M> back_populates(M R::*member) {
  static_assert(detail::relationship_member_traits<M>::is_relationship,
                "relate::orm::back_populates: expects a relate::many<T> or relate::one<T> member");
  return {detail::member_offset(member)};
}

/// The foreign-key column(s) this relationship follows, when several could.
template <class X, class... M>
detail::foreign_keys_t<X> foreign_keys(M X::*... columns) {
  static_assert(sizeof...(M) > 0, "relate::orm::foreign_keys: name at least one column");
  return {{detail::member_offset(columns)...}};
}

/// Many-to-many through the association table mapped by A (whose foreign
/// keys point at both sides).
template <class A>
detail::secondary_t<A> secondary() {
  return {};
}
/// The same, naming A's column toward this model and A's column toward the target.
template <class A, class M1, class M2>
detail::secondary_t<A> secondary(M1 A::*toward_owner, M2 A::*toward_target) {
  return {{detail::member_offset(toward_owner), detail::member_offset(toward_target)}};
}

/// Rely on the database's ON DELETE (CASCADE or SET NULL) for children that
/// are not loaded, instead of loading them to delete or detach them.
inline constexpr detail::passive_deletes_t passive_deletes{};
/// Write this relationship's foreign key with a separate UPDATE after the
/// INSERTs (and clear it before the DELETEs): breaks a cycle between rows.
inline constexpr detail::post_update_t post_update{};
/// The default loading strategy of the relationship.
constexpr detail::lazy_t lazy(loading strategy) { return {strategy}; }

/// A descending term for order_by.
template <class R, class M>
detail::order_term<R> descending(M R::*member) {
  return {detail::member_offset(member), true};
}
/// The order a collection loads in (default: none, the database's):
/// members of the target (ascending) or descending(&R::member).
template <class R, class M, class... Rest>
detail::order_by_t<R> order_by(M R::*first, Rest... rest) {
  return {{detail::to_order_term(first), detail::to_order_term<R>(rest)...}};
}
template <class R, class... Rest>
detail::order_by_t<R> order_by(detail::order_term<R> first, Rest... rest) {
  return {{first, detail::to_order_term<R>(rest)...}};
}

/// A declared relationship of T (returned by relationship(), consumed by table<T>()).
template <class T>
struct relationship_spec {
  detail::relationship_entry entry;
};

namespace detail {

template <class T, class R, class B, class M>
void apply_typed(relationship_entry& e, const back_populates_t<B, M>& o) {
  static_assert(std::is_same_v<B, R>,
                "relate::orm::back_populates: the member must belong to the relationship's target model");
  static_assert(std::is_same_v<M, many<T>> || std::is_same_v<M, one<T>>,
                "relate::orm::back_populates: the member must be a relate::many<T> or relate::one<T> of this "
                "model T");
  e.back_populates = member_ref{&mapper_of<R>, o.offset};
}
template <class T, class R, class X>
void apply_typed(relationship_entry& e, const foreign_keys_t<X>& o) {
  for (auto off : o.offsets) e.foreign_keys.push_back({&mapper_of<X>, off});
}
template <class T, class R, class A>
void apply_typed(relationship_entry& e, const secondary_t<A>& o) {
  e.secondary = &mapper_of<A>;
  for (auto off : o.offsets) e.secondary_columns.push_back({&mapper_of<A>, off});
}
template <class T, class R, class X>
void apply_typed(relationship_entry& e, const order_by_t<X>& o) {
  static_assert(std::is_same_v<X, R>,
                "relate::orm::order_by: name members of the relationship's target model");
  for (const auto& t : o.terms) e.order_by.emplace_back(t.offset, t.descending);
}

template <class T, class R, class Option>
void apply_relationship_option(relationship_entry& e, Option&& option) {
  using O = std::decay_t<Option>;
  if constexpr (std::is_same_v<O, cascade::flags>) {
    e.cascade = option;
  } else if constexpr (std::is_same_v<O, passive_deletes_t>) {
    e.passive_deletes = true;
  } else if constexpr (std::is_same_v<O, post_update_t>) {
    e.post_update = true;
  } else if constexpr (std::is_same_v<O, lazy_t>) {
    e.strategy = option.strategy;
  } else if constexpr (requires { apply_typed<T, R>(e, option); }) {
    apply_typed<T, R>(e, option);
  } else {
    static_assert(sizeof(O) == 0,
                  "relate::orm::relationship: unknown option; use back_populates, foreign_keys, secondary, "
                  "cascade flags, passive_deletes, post_update, lazy(...) or order_by(...)");
  }
}

template <class T, class M, class... Options>
relationship_spec<T> make_relationship(M T::*member, Options&&... options) {
  using traits = relationship_member_traits<M>;
  using R = typename traits::target;
  relationship_spec<T> spec;
  auto& e = spec.entry;
  e.offset = member_offset(member);
  e.collection = traits::collection;
  e.target = &mapper_of<R>;
  e.member = [](void* at) -> relationship_member* { return static_cast<M*>(at); };
  (apply_relationship_option<T, R>(e, std::forward<Options>(options)), ...);
  return spec;
}

}  // namespace detail

/// A one-to-many or many-to-many collection of T (see the top of this file).
template <class T, class R, class... Options>
relationship_spec<T> relationship(many<R> T::*member, Options&&... options) {
  return detail::make_relationship(member, std::forward<Options>(options)...);
}
/// A many-to-one or one-to-one reference of T.
template <class T, class R, class... Options>
relationship_spec<T> relationship(one<R> T::*member, Options&&... options) {
  return detail::make_relationship(member, std::forward<Options>(options)...);
}
template <class T, class M, class... Options>
requires(!detail::relationship_member_traits<M>::is_relationship)
    relationship_spec<T> relationship(M T::*, Options&&...) {
  static_assert(detail::relationship_member_traits<M>::is_relationship,
                "relate::orm::relationship: the member must be a relate::many<T> or relate::one<T>; map "
                "other members with column()");
  return {};
}

}  // namespace relate::orm
