// SPDX-License-Identifier: MIT
// The unit of work's planning, its action loop and its undo (the order of a
// flush is described in unit_of_work.hpp; the statements are in
// persistence.cpp).
#include "orm/unit_of_work.hpp"

#include "orm/column_access.hpp"
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"

#include <algorithm>

namespace relate::orm::detail {

namespace {

bool in_component(const flush_order::component& comp, const mapper& m) {
  return std::find(comp.mappers.begin(), comp.mappers.end(), &m) != comp.mappers.end();
}

}  // namespace

void unit_of_work::execute() {
  try {
    plan();
    if (dialect().capabilities().savepoints) savepoint_.emplace(conn().begin_nested());
    for (const auto& a : actions_) run(a);
    if (savepoint_) savepoint_->commit();
  } catch (...) {
    rollback_database();
    undo();
    throw;
  }
}

void unit_of_work::run(const action& a) {
  switch (a.what) {
    case action::kind::save:
      return save(*a.component);
    case action::kind::associations:
      return write_associations();
    case action::kind::post_update:
      return post_update();
    case action::kind::remove:
      return remove(*a.component);
  }
}

void unit_of_work::plan() {
  session_.plan_relationships(plan_);
  for (const auto& x : plan_.expunged) expunged_.insert(x.get());

  std::vector<const mapper*> involved;
  auto note = [&](const mapper& m) {
    if (std::find(involved.begin(), involved.end(), &m) == involved.end()) involved.push_back(&m);
  };
  for (auto& s : session_.new_) note(s->get_mapper());
  for (auto& s : dirty_) note(s->get_mapper());
  for (auto& s : session_.deleted_) note(s->get_mapper());
  for (auto& s : plan_.syncs) note(s.child->get_mapper());
  order_ = order_mappers(involved);

  index_syncs();
  for (const auto& comp : order_.components) actions_.push_back({action::kind::save, &comp});
  actions_.push_back({action::kind::associations});
  actions_.push_back({action::kind::post_update});
  for (auto it = order_.components.rbegin(); it != order_.components.rend(); ++it)
    actions_.push_back({action::kind::remove, &*it});
}

void unit_of_work::index_syncs() {
  by_child_.reserve(plan_.syncs.size());
  for (const auto& s : plan_.syncs)
    if (!s.post_update) by_child_.push_back(&s);
  std::stable_sort(by_child_.begin(), by_child_.end(),
                   [](const key_sync* a, const key_sync* b) { return a->child.get() < b->child.get(); });
  syncs_of_.reserve(by_child_.size());
  for (std::size_t i = 0; i < by_child_.size();) {
    std::size_t j = i;
    while (j < by_child_.size() && by_child_[j]->child == by_child_[i]->child) ++j;
    const auto& child = by_child_[i]->child;
    syncs_of_.emplace(child.get(), std::make_pair(i, j));
    if (child->status_ == object_status::persistent) to_check_[&child->get_mapper()].push_back(child);
    i = j;
  }
  for (auto& s : dirty_) to_check_[&s->get_mapper()].push_back(s);
}

std::span<const key_sync* const> unit_of_work::syncs_for(const instance_state& child) const {
  auto it = syncs_of_.find(&child);
  if (it == syncs_of_.end()) return {};
  return {by_child_.data() + it->second.first, it->second.second - it->second.first};
}

bool unit_of_work::parents_written(const instance_state& child) const {
  for (const key_sync* k : syncs_for(child))
    if (k->parent && k->parent->status_ == object_status::pending && k->parent->session_ == &session_ &&
        !expunged_.count(k->parent.get()))
      return false;
  return true;
}

void unit_of_work::apply_syncs_of(const instance_state& child) {
  for (const key_sync* k : syncs_for(child)) apply_sync(*k);
}

void unit_of_work::apply_sync(const key_sync& s) {
  instance_state& child = *s.child;
  if (child.session_ != &session_ || child.marked_for_delete_) return;
  const auto& col = child.get_mapper().columns()[s.column];
  void* member = member_of(child, col);
  value v;
  if (s.parent) {
    const instance_state& parent = *s.parent;
    if (parent.session_ != &session_)
      throw usage_error("relate::session::flush: " + describe(child) + " refers to " + describe(parent) +
                        " that is not in this session (add it, or keep the save-update cascade)");
    if (parent.status_ == object_status::pending)
      throw usage_error("relate::session::flush: " + describe(child) + " refers to " + describe(parent) +
                        " that is not written yet: the rows reference each other in a cycle; mark one of the "
                        "relationships post_update");
    v = read_column(parent, s.parent_column);
  }
  if (col.ops->equals(member, v)) return;
  log_.synced.emplace_back(s.child, s.column, col.ops->read(member));
  if (!col.ops->assign(member, v))
    throw usage_error("relate::session::flush: cannot set column \"" + col.def.name + "\" of " +
                      child.get_mapper().type_name() +
                      (v.is_null()
                           ? " to NULL: the member is not a std::optional (the object lost its parent; "
                             "give the relationship a delete or delete-orphan cascade, or make the "
                             "column optional)"
                           : " from its parent: the types differ"));
}

// ---- the actions ------------------------------------------------------------------

void unit_of_work::save(const flush_order::component& comp) {
  // UPDATEs of existing rows first, as SQLAlchemy does: a row giving up a
  // unique key (a replaced one-to-one) must do so before its successor is
  // inserted.  A row re-parented to a new row of this component waits.
  std::vector<state_ptr> deferred;
  std::vector<pending_update> updates;
  collect_updates(comp, &deferred, updates);
  update_rows(updates);
  insert_new_rows(comp);
  for (auto& x : deferred) {
    apply_syncs_of(*x);
    if (auto changed = session_impl::changed_columns(*x)) updates.push_back({x, changed});
  }
  update_rows(updates);
}

void unit_of_work::collect_updates(const flush_order::component& comp, std::vector<state_ptr>* deferred,
                                   std::vector<pending_update>& updates) {
  for (const mapper* m : comp.mappers) {
    auto it = to_check_.find(m);
    if (it == to_check_.end()) continue;
    std::unordered_set<const instance_state*> seen;
    for (auto& x : it->second) {
      if (!seen.insert(x.get()).second || x->marked_for_delete_ || x->status_ != object_status::persistent)
        continue;
      if (deferred && !parents_written(*x)) {
        deferred->push_back(x);
        continue;
      }
      apply_syncs_of(*x);
      if (auto changed = session_impl::changed_columns(*x)) updates.push_back({x, changed});
    }
  }
}

void unit_of_work::insert_new_rows(const flush_order::component& comp) {
  std::vector<state_ptr> rest;
  for (auto& s : session_.new_)
    if (in_component(comp, s->get_mapper()) && !expunged_.count(s.get())) rest.push_back(s);
  // In a cyclic component a row waits for the new rows it references.
  while (!rest.empty()) {
    std::vector<state_ptr> wave, later;
    for (auto& x : rest) (!comp.cyclic || parents_written(*x) ? wave : later).push_back(x);
    if (wave.empty())
      throw usage_error("relate::session::flush: the new rows of " + later.front()->get_mapper().type_name() +
                        " reference each other in a cycle; mark one of the relationships post_update");
    for (auto& x : wave) apply_syncs_of(*x);
    for (const mapper* m : comp.mappers) {
      std::vector<state_ptr> rows;
      for (auto& x : wave)
        if (&x->get_mapper() == m) rows.push_back(x);
      if (!rows.empty()) insert_objects(*m, rows);
    }
    rest = std::move(later);
  }
}

void unit_of_work::post_update() {
  // Written once every row exists, cleared before rows go.
  std::vector<state_ptr> late;
  for (const auto& s : plan_.syncs) {
    if (!s.post_update || s.child->status_ != object_status::persistent) continue;
    apply_sync(s);
    late.push_back(s.child);
  }
  for (auto& s : session_.deleted_) {
    if (!s->get_mapper().has_relationships()) continue;
    for (const auto& info : s->get_mapper().relationships()) {
      if (!info.post_update || !info.owner_holds_key()) continue;
      const auto& col = s->get_mapper().columns()[info.local_column];
      void* member = member_of(*s, col);
      if (col.ops->read(member).is_null()) continue;
      log_.synced.emplace_back(s, info.local_column, col.ops->read(member));
      col.ops->assign(member, value());
      late.push_back(s);
    }
  }
  std::vector<pending_update> updates;
  std::unordered_set<const instance_state*> seen;
  for (auto& x : late) {
    if (!seen.insert(x.get()).second) continue;
    if (auto changed = session_impl::changed_columns(*x)) updates.push_back({x, changed});
  }
  update_rows(updates);
}

void unit_of_work::remove(const flush_order::component& comp) {
  std::vector<state_ptr> rows;
  for (auto& s : session_.deleted_)
    if (s->marked_for_delete_ && in_component(comp, s->get_mapper())) rows.push_back(s);
  if (rows.empty()) return;
  if (comp.cyclic)
    delete_in_waves(comp, std::move(rows));
  else
    delete_rows(*comp.mappers.front(), rows);
}

// ---- after the flush ---------------------------------------------------------------

void unit_of_work::finish() {
  for (auto& [member, collection] : plan_.members) relationship_access::mark_flushed(*member, collection);
  for (auto& x : plan_.expunged) {
    std::erase(session_.new_, x);
    session_.make_transient(*x);
  }
  for (auto& s : log_.deleted) forget_in_relationships(*s);
}

void unit_of_work::forget_in_relationships(const instance_state& gone) {
  const mapper& m = gone.get_mapper();
  if (!m.has_relationships()) return;
  for (const auto& info : m.relationships()) {
    if (!info.back) continue;
    relationship_access::for_each_reachable(gone, info, [&](const state_ptr& other) {
      relationship_access::forget(*info.back->member(*other), info.back->collection(), gone);
    });
  }
}

// ---- when a statement fails ----------------------------------------------------------

void unit_of_work::rollback_database() noexcept {
  try {
    if (savepoint_ && savepoint_->is_active())
      savepoint_->rollback();
    else if (!savepoint_ && session_.conn_)
      session_.conn_->rollback();
  } catch (...) {
    // The original error is the one worth reporting.
  }
}

void unit_of_work::undo() {
  for (auto it = log_.synced.rbegin(); it != log_.synced.rend(); ++it) {
    auto& [s, column, before] = *it;
    const auto& col = s->get_mapper().columns()[column];
    col.ops->assign(member_of(*s, col), before);
  }
  for (auto& s : log_.deleted) {
    s->status_ = object_status::persistent;
    s->marked_for_delete_ = true;
    session_.set_key_and_register(s);
  }
  for (auto it = log_.updated.rbegin(); it != log_.updated.rend(); ++it) {
    auto& [s, changed, before] = *it;
    const mapper& m = s->get_mapper();
    bool key_changed = false;
    for (auto i : m.primary_key()) key_changed = key_changed || (changed & column_bit(i));
    s->snapshot_.replace(changed, before);
    if (key_changed) session_.register_under_snapshot_key(s);
  }
  // The pending objects of this flush: the one that failed (if it was an
  // INSERT, its log entry is still null) and the ones inserted before it.
  for (auto& s : session_.new_) {
    if (s->status_ == object_status::persistent) session_.unregister(*s);
    session_.reset_generated(*s);
    s->snapshot_.clear();
    s->status_ = object_status::pending;
  }
  for (auto& x : plan_.cascade_deleted) {
    x->marked_for_delete_ = false;
    std::erase(session_.deleted_, x);
  }
}

value unit_of_work::database_value(const instance_state& s, std::size_t i) {
  return s.snapshot_.empty() ? read_column(s, i) : s.snapshot_.get(i);
}

connection& unit_of_work::conn() { return session_.conn(); }

const sql::dialect& unit_of_work::dialect() const { return session_.engine_.dialect(); }

}  // namespace relate::orm::detail
