// SPDX-License-Identifier: MIT
// relate::many / relate::one: what appending, removing and setting do, and
// how the two sides of a relationship stay in step in memory.
//
// A change the program makes to one side is recorded on both sides: each
// member that changed keeps what it held before the first change since the
// last flush (committed_), and the flush compares.  A collection that is not
// loaded keeps changes made through the other side aside (pending_added_,
// pending_removed_) and applies them when it loads.
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"

#include <algorithm>

namespace relate::orm::detail {

namespace {

bool holds(const std::vector<state_ptr>& v, const instance_state* s) {
  return std::any_of(v.begin(), v.end(), [&](const state_ptr& p) { return p.get() == s; });
}
bool erase_one(std::vector<state_ptr>& v, const instance_state* s) {
  auto it = std::find_if(v.begin(), v.end(), [&](const state_ptr& p) { return p.get() == s; });
  if (it == v.end()) return false;
  v.erase(it);
  return true;
}

}  // namespace

/// Before the first change since the last flush, keep what the member held,
/// and tell the owner's session to look at it at the next flush.
void relationship_access::remember(collection_base& c) {
  if (c.modified_) return;
  c.committed_ = c.items_;
  c.modified_ = true;
  note(c);
}
void relationship_access::remember(reference_base& r, const state_ptr& before) {
  if (r.modified_) return;
  r.committed_ = before;
  r.modified_ = true;
  note(r);
}
void relationship_access::note(relationship_member& m) {
  if (m.owner_ && m.owner_->session_) m.owner_->session_->note_relationship_change(*m.owner_);
}

// ---- relationship_member ------------------------------------------------------------

void relationship_member::check_can_join(const state_ptr& item) const {
  if (!owner_ || !rel_->cascade.has(cascade::save_update)) return;
  if (session_impl* session = relationship_access::session_of(*owner_)) session->check_cascade_add(item);
}

void relationship_member::ensure_loaded() const {
  if (loaded_) return;
  if (raise_)
    throw lazy_load_error("relate: the relationship " + rel_->name +
                          " is not loaded and its loading strategy is raise; load it with the query "
                          "(.options(selectinload(...)) or joinedload(...))");
  if (owner_ && relationship_access::session_of(*owner_)) {
    relationship_access::session_of(*owner_)->load_relationship(*owner_, *rel_);
    return;
  }
  const bool detached =
      owner_ && (owner_->status() == object_status::detached || owner_->status() == object_status::deleted);
  if (detached || copied_unloaded_)
    throw detached_instance_error("relate: the relationship " +
                                  (rel_ ? rel_->name : std::string("of a copied object")) +
                                  " was not loaded and its object belongs to no session, so it cannot be "
                                  "loaded now; load it before the "
                                  "session closes (e.g. selectinload), or add the object to a session");
  // A transient object, or a plain value never set: nothing is there.
}

// ---- collection_base ----------------------------------------------------------------

bool collection_base::append(state_ptr item) {
  if (owner_) ensure_loaded();
  if (holds(items_, item.get())) return false;
  check_can_join(item);  // before either side changes
  relationship_access::link(item);
  relationship_access::remember(*this);
  items_.push_back(item);
  if (!owner_) return true;
  session_impl* session = relationship_access::session_of(*owner_);
  const state_ptr owner = owner_->shared_from_this();
  if (rel_->back) relationship_access::attach_back(owner, *rel_, item);
  if (session && rel_->cascade.has(cascade::save_update)) session->cascade_add(item);
  return true;
}

bool collection_base::remove(const instance_state* item) {
  if (owner_) ensure_loaded();
  auto it = std::find_if(items_.begin(), items_.end(), [&](const state_ptr& p) { return p.get() == item; });
  if (it == items_.end()) return false;
  state_ptr removed = *it;
  relationship_access::remember(*this);
  items_.erase(it);
  if (!owner_) return true;
  if (rel_->back) relationship_access::detach_back(*owner_, *rel_, removed);
  return true;
}

void collection_base::clear() {
  if (owner_) ensure_loaded();
  while (!items_.empty()) remove(items_.back().get());
}

void collection_base::replace(std::vector<state_ptr> items) {
  if (owner_) ensure_loaded();
  for (const auto& s : items)
    if (!holds(items_, s.get())) check_can_join(s);
  for (auto it = items_.begin(); it != items_.end();) {
    if (holds(items, it->get())) {
      ++it;
    } else {
      const auto index = it - items_.begin();
      remove(it->get());
      it = items_.begin() + index;
    }
  }
  for (auto& s : items) append(std::move(s));
}

// ---- reference_base -----------------------------------------------------------------

// Exported here rather than in relationship.hpp only to spare every user of
// the header a rebuild; relate::one<T> calls these from the program.
RELATE_API const state_ptr& reference_base::loaded_target() const {
  ensure_loaded();
  return target_;
}

RELATE_API void reference_base::set(state_ptr target) {
  session_impl* session = owner_ ? relationship_access::session_of(*owner_) : nullptr;
  // One-to-one: the object this replaces must lose its key, so know it.
  if (session && !loaded_ && rel_->kind == relationship_kind::one_to_one) ensure_loaded();
  state_ptr old = loaded_ ? target_ : (session ? session->peek_reference(*owner_, *rel_) : nullptr);
  if (target) check_can_join(target);  // before either side changes
  if (target) relationship_access::link(target);
  relationship_access::remember(*this, old);
  target_ = target;
  loaded_ = true;
  if (!owner_) return;
  if (rel_->back) {
    if (old && old != target) relationship_access::detach_back(*owner_, *rel_, old);
    if (target && target != old) relationship_access::attach_back(owner_->shared_from_this(), *rel_, target);
  }
  if (session && target && rel_->cascade.has(cascade::save_update)) session->cascade_add(target);
}

// ---- binding ------------------------------------------------------------------------

void bind_relationships(instance_state& s) {
  const mapper& m = s.get_mapper();
  if (!m.has_relationships()) return;
  relationship_access::bind(s);
}

void link_relationships(const state_ptr& s) {
  if (s->get_mapper().has_relationships()) relationship_access::link(s);
}

void relationship_access::bind(instance_state& s) {
  for (const auto& info : s.get_mapper().relationships()) {
    relationship_member* m = info.member(s);
    m->owner_ = &s;
    m->rel_ = &info;
    if (info.collection()) {
      auto* c = static_cast<collection_base*>(m);
      if (c->copied_unloaded_) {
        // A new object has nothing in the database to load.
        c->copied_unloaded_ = false;
        c->loaded_ = true;
        c->items_.clear();
      }
      if (!c->items_.empty()) s.needs_linking_ = true;
    } else {
      auto* r = static_cast<reference_base*>(m);
      if (r->copied_unloaded_) {
        r->copied_unloaded_ = false;
        r->loaded_ = false;
      }
      if (r->loaded_ && r->target_) s.needs_linking_ = true;
    }
  }
}

void relationship_access::link(const state_ptr& s) {
  if (!s->needs_linking_) return;
  s->needs_linking_ = false;
  for (const auto& info : s->get_mapper().relationships()) {
    if (info.collection()) {
      auto* c = info.collection_of(*s);
      const auto items = c->items_;  // attach_back may reorder other collections, never this one
      for (const auto& item : items) {
        link(item);
        if (info.back) attach_back(s, info, item);
      }
    } else {
      auto* r = info.reference_of(*s);
      if (!r->loaded_ || !r->target_) continue;
      const state_ptr target = r->target_;
      link(target);
      if (info.back) attach_back(s, info, target);
    }
  }
}

// ---- the two sides --------------------------------------------------------------------

void relationship_access::add_quiet(collection_base& c, const state_ptr& item) {
  if (c.loaded_) {
    if (holds(c.items_, item.get())) return;
    remember(c);
    c.items_.push_back(item);
    return;
  }
  erase_one(c.pending_removed_, item.get());
  if (!holds(c.pending_added_, item.get())) c.pending_added_.push_back(item);
}

void relationship_access::remove_quiet(collection_base& c, const instance_state& item) {
  if (c.loaded_) {
    if (!holds(c.items_, &item)) return;
    remember(c);
    erase_one(c.items_, &item);
    return;
  }
  const bool was_pending = erase_one(c.pending_added_, &item);
  if (!was_pending && !holds(c.pending_removed_, &item)) {
    // Keep the handle: the object must stay alive while it is remembered.
    c.pending_removed_.push_back(const_cast<instance_state&>(item).shared_from_this());
  }
}

void relationship_access::set_reference(reference_base& r, state_ptr target) {
  if (r.loaded_ && r.target_ == target) return;
  remember(r, r.loaded_ ? r.target_ : nullptr);
  r.target_ = std::move(target);
  r.loaded_ = true;
}

void relationship_access::attach_back(const state_ptr& owner, const relationship_info& rel,
                                      const state_ptr& item) {
  const relationship_info& back = *rel.back;
  if (back.collection()) {
    add_quiet(*back.collection_of(*item), owner);
    return;
  }
  auto& r = *back.reference_of(*item);
  session_impl* session = session_of(*item);
  state_ptr old = r.loaded_ ? r.target_ : (session ? session->peek_reference(*item, back) : nullptr);
  if (old == owner) {
    set_reference(r, owner);
    return;
  }
  // The item had another owner: that owner's side loses it.
  if (old) {
    auto* m = rel.member(*old);
    if (rel.collection())
      remove_quiet(*static_cast<collection_base*>(m), *item);
    else if (auto* other = static_cast<reference_base*>(m); other->loaded_ && other->target_ == item)
      set_reference(*other, nullptr);
  }
  set_reference(r, owner);
}

void relationship_access::detach_back(const instance_state& owner, const relationship_info& rel,
                                      const state_ptr& item) {
  const relationship_info& back = *rel.back;
  if (back.collection()) {
    remove_quiet(*back.collection_of(*item), owner);
    return;
  }
  auto& r = *back.reference_of(*item);
  if (r.loaded_ ? r.target_.get() == &owner : true) set_reference(r, nullptr);
}

// ---- loading and flushing -------------------------------------------------------------

void relationship_access::set_loaded(collection_base& c, std::vector<state_ptr> items) {
  if (c.loaded_) return;
  for (const auto& p : c.pending_added_)
    if (!holds(items, p.get())) items.push_back(p);
  for (const auto& p : c.pending_removed_) erase_one(items, p.get());
  c.pending_added_.clear();
  c.pending_removed_.clear();
  c.items_ = std::move(items);
  c.loaded_ = true;
}

void relationship_access::set_loaded(reference_base& r, state_ptr target) {
  if (r.loaded_) return;
  r.target_ = std::move(target);
  r.loaded_ = true;
}

void relationship_access::reset_unloaded(instance_state& s) {
  const mapper& m = s.get_mapper();
  if (!m.has_relationships()) return;
  for (const auto& info : m.relationships()) {
    relationship_member* member = info.member(s);
    member->loaded_ = false;
    member->modified_ = false;
    member->raise_ = info.strategy == loading::raise;
    if (info.collection()) {
      auto* c = static_cast<collection_base*>(member);
      c->items_.clear();
      c->committed_.clear();
      c->pending_added_.clear();
      c->pending_removed_.clear();
    } else {
      auto* r = static_cast<reference_base*>(member);
      r->target_.reset();
      r->committed_.reset();
    }
  }
}

void relationship_access::clear_members(instance_state& s) {
  const mapper& m = s.get_mapper();
  if (!m.has_relationships()) return;
  for (const auto& info : m.relationships()) {
    if (info.collection()) {
      auto* c = info.collection_of(s);
      c->items_.clear();
      c->committed_.clear();
      c->pending_added_.clear();
      c->pending_removed_.clear();
    } else {
      auto* r = info.reference_of(s);
      r->target_.reset();
      r->committed_.reset();
    }
  }
}

void relationship_access::mark_flushed(relationship_member& m, bool collection) noexcept {
  m.modified_ = false;
  if (collection)
    static_cast<collection_base&>(m).committed_.clear();
  else
    static_cast<reference_base&>(m).committed_.reset();
}

void relationship_access::forget(relationship_member& m, bool collection, const instance_state& item) {
  if (collection) {
    auto& c = static_cast<collection_base&>(m);
    erase_one(c.items_, &item);
    erase_one(c.committed_, &item);
    erase_one(c.pending_added_, &item);
  } else if (auto& r = static_cast<reference_base&>(m); r.target_.get() == &item) {
    r.target_.reset();
    if (r.committed_.get() == &item) r.committed_.reset();
  }
}

}  // namespace relate::orm::detail
