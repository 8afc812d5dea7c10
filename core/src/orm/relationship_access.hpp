// SPDX-License-Identifier: MIT
// The operations on relationship members that the session, the loader and
// the unit of work share: binding members to their object, keeping both
// sides in step, and reading and resetting what a member holds.
#pragma once

#include "orm/relationship_info.hpp"

#include <memory>
#include <vector>

namespace relate::orm::detail {

class session_impl;

struct relationship_access {
  // ---- object life ------------------------------------------------------------
  /// Points every relationship member of a new instance at it (its constructor).
  static void bind(instance_state& s);
  /// Sets the other side of what a plain value's members held before it
  /// became this instance (first use of the instance).
  static void link(const state_ptr& s);
  /// Every member unloaded and empty: an object loaded from a row, or expired.
  static void reset_unloaded(instance_state& s);
  /// Drops what every member holds (breaking reference cycles).
  static void clear_members(instance_state& s);
  /// The objects s's members hold strongly (items, targets, committed and pending ones).
  template <class F>
  static void for_each_held(const instance_state& s, F&& f);
  /// The objects s's relationship holds now, or will hold when it loads
  /// (what the save-update cascade follows).
  template <class F>
  static void for_each_reachable(const instance_state& s, const relationship_info& info, F&& f);
  static session_impl* session_of(const instance_state& s) noexcept { return s.session_; }

  // ---- both sides, quietly: no load, no cascade ----------------------------------
  /// owner's relationship rel now holds item: make item's side of it hold owner.
  static void attach_back(const state_ptr& owner, const relationship_info& rel, const state_ptr& item);
  /// owner's relationship rel no longer holds item: make item's side drop owner.
  static void detach_back(const instance_state& owner, const relationship_info& rel, const state_ptr& item);
  static void add_quiet(collection_base& c, const state_ptr& item);
  static void remove_quiet(collection_base& c, const instance_state& item);
  static void set_reference(reference_base& r, state_ptr target);
  /// A member's first change since the last flush: keep what it held, and
  /// note its owner for the flush.
  static void remember(collection_base& c);
  static void remember(reference_base& r, const state_ptr& before);
  static void note(relationship_member& m);

  // ---- the loader ---------------------------------------------------------------
  /// A collection loaded with `items` (what the other side changed while it was
  /// not loaded is applied on top).  No-op when it is loaded already.
  static void set_loaded(collection_base& c, std::vector<state_ptr> items);
  static void set_loaded(reference_base& r, state_ptr target);
  static void set_raise(relationship_member& m, bool on) noexcept { m.raise_ = on; }

  // ---- as the program's assignments: both sides, the save-update cascade ---------
  static void replace(collection_base& c, std::vector<state_ptr> items) { c.replace(std::move(items)); }
  static void set(reference_base& r, state_ptr target) { r.set(std::move(target)); }

  // ---- the unit of work ----------------------------------------------------------
  static bool loaded(const relationship_member& m) noexcept { return m.loaded_; }
  static bool modified(const relationship_member& m) noexcept { return m.modified_; }
  static const std::vector<state_ptr>& items(const collection_base& c) noexcept { return c.items_; }
  static const std::vector<state_ptr>& committed(const collection_base& c) noexcept { return c.committed_; }
  static const state_ptr& target(const reference_base& r) noexcept { return r.target_; }
  static const state_ptr& committed(const reference_base& r) noexcept { return r.committed_; }
  /// After a flush: the current contents are what the database holds.
  static void mark_flushed(relationship_member& m, bool collection) noexcept;
  /// Removes `item` from a loaded collection or clears a reference to it,
  /// without recording a change (the database already reflects it).
  static void forget(relationship_member& m, bool collection, const instance_state& item);
};

template <class F>
void relationship_access::for_each_held(const instance_state& s, F&& f) {
  const mapper& m = s.get_mapper();
  if (!m.has_relationships()) return;
  for (const auto& info : m.relationships()) {
    if (info.collection()) {
      const auto* c = info.collection_of(s);
      for (const auto& x : c->items_) f(x);
      for (const auto& x : c->committed_) f(x);
      for (const auto& x : c->pending_added_) f(x);
      for (const auto& x : c->pending_removed_) f(x);
    } else {
      const auto* r = info.reference_of(s);
      if (r->target_) f(r->target_);
      if (r->committed_) f(r->committed_);
    }
  }
}

template <class F>
void relationship_access::for_each_reachable(const instance_state& s, const relationship_info& info, F&& f) {
  if (info.collection()) {
    const auto* c = info.collection_of(s);
    for (const auto& x : c->items_) f(x);
    for (const auto& x : c->pending_added_) f(x);
  } else if (const auto* r = info.reference_of(s); r->target_) {
    f(r->target_);
  }
}

}  // namespace relate::orm::detail
