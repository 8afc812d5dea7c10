// SPDX-License-Identifier: MIT
// Relationship attributes: relate::many<T> (a collection) and relate::one<T>
// (a reference), SQLAlchemy's relationship() in a plain struct.
//
//   struct Post;
//   struct User { std::int64_t id{}; std::string name; relate::many<Post> posts; };
//   struct Post { std::int64_t id{}; std::string title; std::optional<std::int64_t> user_id;
//                 relate::one<User> author; };
//
//   user->posts.push_back(Post{.title = "First Post"});   // post->author is user now
//   for (auto& post : user->posts) std::cout << post.title;  // loaded on first access
//
// The relationship itself is declared in the mapping, next to the columns
// (relate/orm/mapping.hpp: relationship(&User::posts, back_populates(&Post::author))).
// The foreign key a relationship follows is found from the columns' foreign
// keys; where two would do, foreign_keys(&Post::user_id) names it.
//
// A member outside an object handle (in a plain User value) is a plain
// container: it holds what the program put there, and nothing loads.  Once
// the object has a handle (relate::make_ptr for a new, transient object;
// session.add or a query), the member is bound to it: appending and removing
// keep the other side (back_populates) in step in memory, what the plain
// value held is linked the same way, and the first access of a session
// object's member loads it (one SELECT, unless a query loaded it eagerly).
// Objects appended to a session object join the session (the save-update
// cascade), and adding a transient object adds what it reaches.  The flush
// turns the changes into foreign-key values, association rows, and (with
// delete-orphan) DELETEs.
//
// A collection holds each object once: appending an object it already holds
// does nothing.  A collection loads in the order of the relationship's
// order_by (without one, in whatever order the database returns, as in
// SQLAlchemy: no sort is paid for), then keeps append order.
//
// Copies are plain values: copying a User copies the handles in its
// collections, not their binding to the session.
#pragma once

#include <relate/export.hpp>

#include <relate/error.hpp>
#include <relate/orm/instance.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate::orm {

/// How a relationship is loaded when a query does not say otherwise
/// (SQLAlchemy's lazy= values).
enum class loading : std::uint8_t {
  lazy,      // one SELECT on first access
  selectin,  // with the objects that own it: one SELECT ... WHERE fk IN (...) per query
  joined,    // in the same query: LEFT OUTER JOIN
  raise,     // accessing it unloaded throws lazy_load_error (catches N+1 in tests)
};

namespace detail {

class relationship_info;
struct relationship_access;
using state_ptr = std::shared_ptr<instance_state>;

/// What many<T> and one<T> share: the object they belong to, the relationship,
/// and whether the value is loaded.
class RELATE_API relationship_member {
 public:
  /// True when the value is in memory (accessing it runs no SQL).
  bool is_loaded() const noexcept { return loaded_; }

 protected:
  explicit relationship_member(bool loaded) noexcept : loaded_(loaded) {}
  // A copy is a plain value; a copy of a value that was not loaded cannot be
  // loaded any more, and says so on access.
  relationship_member(const relationship_member& other) noexcept
      : loaded_(other.loaded_),
        copied_unloaded_(other.copied_unloaded_ || (other.owner_ && !other.loaded_)) {}
  // Assigning a value keeps the binding (owner_, rel_): the member stays part
  // of its own object; the derived classes assign the contents.
  relationship_member& operator=(const relationship_member&) noexcept { return *this; }  // cppcheck-suppress operatorEqVarError
  ~relationship_member() = default;

  /// The owner's session loads the value if it is not loaded; throws
  /// lazy_load_error (strategy raise) or detached_instance_error (no session).
  void ensure_loaded() const;
  /// Throws, changing nothing, if the owner's session would refuse item
  /// through the save-update cascade (it belongs to another session, ...).
  void check_can_join(const state_ptr& item) const;

  friend struct relationship_access;
  instance_state* owner_ = nullptr;  // the object this member is part of; null: a plain value
  const relationship_info* rel_ = nullptr;
  bool loaded_;
  bool raise_ = false;     // loading::raise applies to this object
  bool modified_ = false;  // changed since the last flush (committed_ holds the state before)
  bool copied_unloaded_ = false;
};

/// The type-erased storage of many<T>: handles to the objects it holds.
class RELATE_API collection_base : public relationship_member {
 public:
  std::size_t size() const {
    ensure_loaded();
    return items_.size();
  }
  bool empty() const { return size() == 0; }
  /// Removes every object (as remove() does, one by one).
  void clear();

 protected:
  collection_base() noexcept : relationship_member(true) {}
  collection_base(const collection_base& other) : relationship_member(other), items_(other.items_) {}
  collection_base(collection_base&& other) : relationship_member(other) {
    // A session object's collection is left as it is: moving out of it is copying.
    if (other.owner_)
      items_ = other.items_;
    else
      items_ = std::move(other.items_);
  }
  collection_base& operator=(const collection_base& other) {
    if (this != &other) replace(std::vector<state_ptr>(other.items_));
    return *this;
  }
  collection_base& operator=(collection_base&& other) {
    if (this != &other) replace(other.owner_ ? other.items_ : std::move(other.items_));
    return *this;
  }
  ~collection_base() = default;

  /// Appends (a no-op if the object is already held); false if it was there.
  bool append(state_ptr item);
  /// Removes; false if the object was not held.
  bool remove(const instance_state* item);
  void replace(std::vector<state_ptr> items);
  const std::vector<state_ptr>& loaded_items() const {
    ensure_loaded();
    return items_;
  }

  friend struct relationship_access;
  std::vector<state_ptr> items_;
  std::vector<state_ptr> committed_;        // items_ before the first change since the last flush
  std::vector<state_ptr> pending_added_;    // changed through the other side while not loaded,
  std::vector<state_ptr> pending_removed_;  // applied when it loads
};

/// The type-erased storage of one<T>: a handle to one object, or none.
class reference_base : public relationship_member {
 protected:
  reference_base() noexcept : relationship_member(false) {}
  explicit reference_base(state_ptr target) noexcept
      : relationship_member(true), target_(std::move(target)) {}
  reference_base(const reference_base& other) : relationship_member(other), target_(other.target_) {}
  reference_base& operator=(const reference_base& other) {
    if (this != &other) set(other.loaded_target());
    return *this;
  }
  ~reference_base() = default;

  /// The target, loading it first if needed.  A plain value that was never
  /// set is empty.
  const state_ptr& loaded_target() const;
  void set(state_ptr target);

  friend struct relationship_access;
  state_ptr target_;
  state_ptr committed_;  // the target before the first change since the last flush
  bool committed_known_ = false;
};

template <class T>
std::shared_ptr<instance<T>> as_instance(const state_ptr& s) noexcept {
  return std::static_pointer_cast<instance<T>>(s);
}
template <class T>
T& object_of(const state_ptr& s) {
  auto& i = static_cast<instance<T>&>(*s);
  if (i.expired()) i.load_expired();  // as ptr<T> does
  i.touch();
  return i.object;
}

}  // namespace detail

/// A collection of related objects (one-to-many or many-to-many).
template <class T>
class many : public detail::collection_base {
 public:
  using value_type = T;

  /// Iterates the objects (T&), loading the collection first if needed.
  template <bool Const>
  class basic_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const T&, T&>;
    using pointer = std::conditional_t<Const, const T*, T*>;

    basic_iterator() = default;
    explicit basic_iterator(const detail::state_ptr* at) noexcept : at_(at) {}
    reference operator*() const { return detail::object_of<T>(*at_); }
    pointer operator->() const { return &**this; }
    reference operator[](difference_type n) const { return *(*this + n); }
    /// The handle of the object at this position.
    ptr<T> handle() const { return ptr<T>(detail::as_instance<T>(*at_)); }

    basic_iterator& operator++() noexcept {
      ++at_;
      return *this;
    }
    basic_iterator operator++(int) noexcept { return basic_iterator(at_++); }
    basic_iterator& operator--() noexcept {
      --at_;
      return *this;
    }
    basic_iterator operator--(int) noexcept { return basic_iterator(at_--); }
    basic_iterator& operator+=(difference_type n) noexcept {
      at_ += n;
      return *this;
    }
    basic_iterator& operator-=(difference_type n) noexcept {
      at_ -= n;
      return *this;
    }
    friend basic_iterator operator+(basic_iterator i, difference_type n) noexcept { return i += n; }
    friend basic_iterator operator+(difference_type n, basic_iterator i) noexcept { return i += n; }
    friend basic_iterator operator-(basic_iterator i, difference_type n) noexcept { return i -= n; }
    friend difference_type operator-(const basic_iterator& a, const basic_iterator& b) noexcept {
      return a.at_ - b.at_;
    }
    friend bool operator==(const basic_iterator& a, const basic_iterator& b) noexcept {
      return a.at_ == b.at_;
    }
    friend auto operator<=>(const basic_iterator& a, const basic_iterator& b) noexcept {
      return a.at_ <=> b.at_;
    }
    operator basic_iterator<true>() const noexcept requires(!Const) { return basic_iterator<true>(at_); }

   private:
    friend class many;
    const detail::state_ptr* at_ = nullptr;
  };
  using iterator = basic_iterator<false>;
  using const_iterator = basic_iterator<true>;

  many() = default;
  /// many<Post>{Post{...}, Post{...}}: new objects, e.g. in a designated initializer.
  many(std::initializer_list<T> objects) {
    for (const auto& o : objects) push_back(o);
  }
  many(std::initializer_list<ptr<T>> objects) {
    for (const auto& o : objects) push_back(o);
  }

  iterator begin() { return iterator(loaded_items().data()); }
  iterator end() { return iterator(loaded_items().data() + items_.size()); }
  const_iterator begin() const { return const_iterator(loaded_items().data()); }
  const_iterator end() const { return const_iterator(loaded_items().data() + items_.size()); }

  T& operator[](std::size_t i) { return detail::object_of<T>(loaded_items()[i]); }
  const T& operator[](std::size_t i) const { return detail::object_of<T>(loaded_items()[i]); }
  /// The handle of the i-th object (bounds-checked).
  ptr<T> get(std::size_t i) const { return ptr<T>(detail::as_instance<T>(loaded_items().at(i))); }
  /// The handles of every object.
  std::vector<ptr<T>> handles() const {
    std::vector<ptr<T>> out;
    out.reserve(size());
    for (const auto& s : items_) out.emplace_back(detail::as_instance<T>(s));
    return out;
  }

  /// Appends a new object made from `object` and returns its handle.
  ptr<T> append(T object) {
    auto p = std::make_shared<instance<T>>(std::move(object));
    collection_base::append(p);
    return ptr<T>(std::move(p));
  }
  /// Appends an object (a no-op if the collection holds it already).
  ptr<T> append(ptr<T> object) {
    if (!object) throw usage_error("relate::many::append: a null ptr");
    collection_base::append(object.shared());
    return object;
  }
  void push_back(T object) { append(std::move(object)); }
  void push_back(ptr<T> object) { append(std::move(object)); }

  /// Takes the object out of the collection (SQLAlchemy's
  /// collection.remove); false if the collection does not hold it.  This
  /// de-associates, it does not delete: the flush sets the object's foreign
  /// key to NULL (or deletes its association row) and the object keeps its
  /// row, unless the relationship has the delete-orphan cascade, which
  /// deletes it.  To delete an object's row, session.delete_(object):
  ///
  ///   user->posts.remove(post);   // UPDATE posts SET user_id = NULL WHERE id = ?
  ///   session.delete_(post);      // DELETE FROM posts WHERE id = ?
  bool remove(const ptr<T>& object) { return object && collection_base::remove(&object.state()); }
  /// The same for the object this reference refers to (e.g. one got by iterating).
  bool remove(const T& object) {
    for (const auto& s : loaded_items())
      if (s->object() == &object) return collection_base::remove(s.get());
    return false;
  }
  iterator erase(const_iterator at) {
    const auto index = at.at_ - items_.data();
    collection_base::remove(at.at_->get());
    return iterator(items_.data() + index);
  }
  bool contains(const ptr<T>& object) const {
    if (!object) return false;
    for (const auto& s : loaded_items())
      if (s.get() == &object.state()) return true;
    return false;
  }
};

/// A reference to one related object, or none (many-to-one or one-to-one).
template <class T>
class one : public detail::reference_base {
 public:
  using element_type = T;

  one() = default;
  one(std::nullptr_t) noexcept : reference_base(detail::state_ptr()) {}
  one(ptr<T> target) noexcept : reference_base(target.shared()) {}
  /// A new object as the target.
  one(T object) : reference_base(std::make_shared<instance<T>>(std::move(object))) {}
  one(const one&) = default;
  one& operator=(const one&) = default;

  one& operator=(ptr<T> target) {
    set(target.shared());
    return *this;
  }
  one& operator=(std::nullptr_t) {
    set(nullptr);
    return *this;
  }
  /// Sets a new object made from `object` as the target.
  one& operator=(T object) {
    set(std::make_shared<instance<T>>(std::move(object)));
    return *this;
  }

  /// The target's handle (null when there is none), loading it if needed.
  ptr<T> get() const { return ptr<T>(detail::as_instance<T>(loaded_target())); }
  explicit operator bool() const { return loaded_target() != nullptr; }
  /// The target; throws usage_error when there is none.
  T* operator->() const { return &**this; }
  T& operator*() const {
    const auto& t = loaded_target();
    if (!t) throw usage_error("relate::one<T>: the reference is empty (no related object)");
    return detail::object_of<T>(t);
  }

  friend bool operator==(const one& a, const ptr<T>& b) { return a.get() == b; }
  friend bool operator==(const one& a, std::nullptr_t) { return !a; }
};

}  // namespace relate::orm

namespace relate {
using orm::many;
using orm::one;
}  // namespace relate
