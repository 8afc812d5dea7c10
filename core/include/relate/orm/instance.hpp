// SPDX-License-Identifier: MIT
// Mapped objects as the session holds them: relate::ptr<T> and the per-object
// instance_state.
//
// A ptr<T> is a shared, nullable handle to one mapped object (like
// std::shared_ptr).  The object and its bookkeeping live in one allocation: the
// session's instance_state (which mapper, the identity key, the status, the
// column values last loaded from or flushed to the database) next to the T.
// A ptr keeps its object alive after the session is closed or the object is
// expunged: the object is then detached, and stays plain data.
//
// Expiry: after a rollback the session expires its persistent objects (as
// SQLAlchemy does): their members are reloaded from the database on the next
// access through a ptr (operator-> or operator*).  An expired object that was
// detached before it could be reloaded throws detached_instance_error on access.
#pragma once

#include <relate/export.hpp>

#include <relate/error.hpp>
#include <relate/orm/snapshot.hpp>
#include <relate/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate::orm {

class mapper;
template <class T>
const mapper& mapper_of();

/// Where an object is in its life with a session (SQLAlchemy's object states).
enum class object_status : std::uint8_t {
  transient,   // not in a session, not in the database (as far as we know)
  pending,     // added to a session, not flushed yet
  persistent,  // in a session, with a row in the database
  deleted,     // its DELETE was flushed; detached at commit, restored by rollback
  detached,    // has (or had) a row, belongs to no session
};

class instance_state;

namespace detail {
class session_impl;
class unit_of_work;
struct relationship_access;
struct load_record;
/// Binds the relationship members of a new instance to it (relationship.cpp).
RELATE_API void bind_relationships(instance_state& state);
/// Sets the other side (back_populates) of the objects a new instance's
/// members held as a plain value, now that the instance has a handle.
RELATE_API void link_relationships(const std::shared_ptr<instance_state>& state);
}  // namespace detail

/// The session's bookkeeping for one object.  Its relationship members
/// (relate::many / relate::one inside the object) point back at it.
class RELATE_API instance_state : public std::enable_shared_from_this<instance_state> {
 public:
  instance_state(const mapper& m, void* object) noexcept : mapper_(&m), object_(object) {}
  instance_state(const instance_state&) = delete;
  instance_state& operator=(const instance_state&) = delete;

  const mapper& get_mapper() const noexcept { return *mapper_; }
  void* object() const noexcept { return object_; }
  object_status status() const noexcept { return status_; }
  bool expired() const noexcept { return expired_; }

  /// Reloads an expired object through its session; throws
  /// detached_instance_error if it has none.
  void load_expired();
  /// Records that the program reached the object through a handle (and so
  /// may change it): autoflush compares only such objects with their snapshot.
  void touch() {
    if (!touched_ && session_) note_touched();
  }

 private:
  friend class detail::session_impl;
  friend class detail::unit_of_work;
  friend struct detail::relationship_access;
  void note_touched();

  const mapper* mapper_;
  void* object_;
  detail::session_impl* session_ = nullptr;  // cleared when the session lets go of the object
  object_status status_ = object_status::transient;
  bool expired_ = false;
  bool marked_for_delete_ = false;
  bool has_key_ = false;
  /// Columns the last flush wrote into the object (generated keys, server and
  /// client defaults): reset when that flush is undone.
  std::uint64_t generated_mask_ = 0;
  /// Columns the load left out (deferred): their members are value-initialised
  /// and so is their snapshot, so the flush writes them only once the program
  /// assigns them (session::load_deferred reads them).
  std::uint64_t unloaded_ = 0;
  std::int64_t int_key_ = 0;     // single integer primary key
  std::vector<value> key_;       // any other primary key
  detail::snapshot snapshot_;    // column values as last loaded or flushed
  std::uint64_t add_order_ = 0;
  /// Relationship members were given objects before the instance existed
  /// (a plain value moved in): their other sides are set by make_ptr, or on
  /// first use (appended, set as a target, or added to a session).
  bool needs_linking_ = false;
  bool touched_ = false;              // in the session's list of objects reached since the last autoflush
  bool relationships_noted_ = false;  // in the session's list of objects whose relationships changed
  /// The query that loaded the object, shared by the objects it loaded
  /// (session_options::n_plus_one); null when detection is off.
  std::shared_ptr<detail::load_record> loaded_by_;
};

template <class T>
class instance final : public instance_state {
 public:
  // The base only records the member's address; the member is constructed next.
  explicit instance(T&& v) : instance_state(mapper_of<T>(), &object), object(std::move(v)) {
    detail::bind_relationships(*this);
  }
  explicit instance(const T& v) : instance_state(mapper_of<T>(), &object), object(v) {
    detail::bind_relationships(*this);
  }
  instance() : instance_state(mapper_of<T>(), &object), object() { detail::bind_relationships(*this); }
  T object;
};

}  // namespace relate::orm

namespace relate {

/// A shared, nullable handle to a mapped object in (or detached from) a session.
template <class T>
class ptr {
 public:
  using element_type = T;

  ptr() noexcept = default;
  ptr(std::nullptr_t) noexcept {}
  explicit ptr(std::shared_ptr<orm::instance<T>> p) noexcept : p_(std::move(p)) {}

  /// The object; reloads it first if a rollback expired it.
  T* operator->() const { return &access(); }
  T& operator*() const { return access(); }
  /// The object as it is, without reloading.
  T* get() const {
    if (!p_) return nullptr;
    p_->touch();
    return &p_->object;
  }
  explicit operator bool() const noexcept { return p_ != nullptr; }

  friend bool operator==(const ptr& a, const ptr& b) noexcept { return a.p_ == b.p_; }
  friend bool operator==(const ptr& a, std::nullptr_t) noexcept { return a.p_ == nullptr; }

  /// The session's bookkeeping for this object (status, mapper).
  orm::instance_state& state() const noexcept { return *p_; }
  orm::object_status status() const noexcept { return p_->status(); }
  const std::shared_ptr<orm::instance<T>>& shared() const noexcept { return p_; }

 private:
  T& access() const {
    if (p_->expired()) p_->load_expired();
    p_->touch();
    return p_->object;
  }
  std::shared_ptr<orm::instance<T>> p_;
};

/// A new transient object and its handle, as std::make_shared makes a
/// shared_ptr: relate::make_ptr(User{.name = "Ann"}), or
/// relate::make_ptr<User>({.name = "Ann"}).  Its relationship members keep
/// both sides in step from the start (append a post to ann->posts and
/// post->author is ann), and so do the objects it was given as a plain value;
/// session.add(ann) then adds everything it reaches (save-update cascade).
/// A plain User value cannot do that: it has no handle for the other side to
/// point at until it becomes an object.
template <class T>
ptr<T> make_ptr(T object) {
  static_assert(!std::is_const_v<T>, "relate::make_ptr: the object must not be const");
  auto p = std::make_shared<orm::instance<T>>(std::move(object));
  orm::detail::link_relationships(p);
  return ptr<T>(std::move(p));
}
/// The same, constructing the object from arguments: relate::make_ptr<User>().
template <class T, class... Args>
requires std::is_constructible_v<T, Args&&...> ptr<T> make_ptr(Args&&... args) {
  return make_ptr<T>(T(std::forward<Args>(args)...));
}

}  // namespace relate

/// ptrs hash by identity, so they can key unordered containers.
template <class T>
struct std::hash<relate::ptr<T>> {
  std::size_t operator()(const relate::ptr<T>& p) const noexcept {
    return std::hash<const void*>{}(p.shared().get());
  }
};
