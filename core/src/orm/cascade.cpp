// SPDX-License-Identifier: MIT
// The relationship half of a flush's planning: what changed in the session's
// collections and references since the last flush, turned into foreign-key
// values to copy, association rows, and the deletes that cascades and
// delete-orphan ask for.  Nothing is written here; the unit of work does
// that in dependency order.
#include "orm/flush_plan.hpp"
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace relate::orm::detail {

namespace {

/// Items of `a` that are not in `b`, in a's order.
std::vector<state_ptr> difference(const std::vector<state_ptr>& a, const std::vector<state_ptr>& b) {
  std::vector<state_ptr> out;
  if (b.empty()) return a;
  if (a.size() * b.size() <= 256) {
    for (const auto& x : a)
      if (std::none_of(b.begin(), b.end(), [&](const state_ptr& y) { return y == x; })) out.push_back(x);
    return out;
  }
  std::unordered_set<const instance_state*> in_b;
  for (const auto& y : b) in_b.insert(y.get());
  for (const auto& x : a)
    if (!in_b.count(x.get())) out.push_back(x);
  return out;
}

/// The child's many-to-one side of a one-to-many points at owner: that side
/// plans the same key (when it changed) or the database holds it already, so
/// the collection need not.
bool back_reference_says(const relationship_info& rel, const instance_state& child,
                         const instance_state& owner) {
  if (!rel.back || rel.back->collection() || !rel.back->owner_holds_key()) return false;
  const auto& r = *rel.back->reference_of(child);
  return relationship_access::loaded(r) && relationship_access::target(r).get() == &owner;
}

struct child_column_hash {
  std::size_t operator()(const std::pair<const instance_state*, std::size_t>& k) const noexcept {
    return std::hash<const void*>{}(k.first) ^ (k.second * 0x9e3779b97f4a7c15ULL);
  }
};

/// One entry per (child, column): a value from a parent beats a clear, and
/// the later of two values wins (both sides of a change report it).
std::vector<key_sync> settle(std::vector<key_sync> syncs) {
  std::unordered_map<std::pair<const instance_state*, std::size_t>, std::size_t, child_column_hash> at;
  at.reserve(syncs.size());
  std::vector<key_sync> out;
  out.reserve(syncs.size());
  for (auto& s : syncs) {
    auto [it, fresh] = at.try_emplace({s.child.get(), s.column}, out.size());
    if (fresh) {
      out.push_back(std::move(s));
    } else if (s.parent || !out[it->second].parent) {
      out[it->second] = std::move(s);
    }
  }
  return out;
}

/// Association rows named by either side, each once, with a row both
/// inserted and deleted in one flush dropped.
void settle(std::vector<association_row>& inserts, std::vector<association_row>& deletes) {
  using key = std::tuple<const relationship_info*, const instance_state*, const instance_state*>;
  auto normal = [](const association_row& r) {
    // The two sides name the same row the other way round; count it from the lower relationship.
    if (r.rel->back && r.rel->back < r.rel) return key{r.rel->back, r.target.get(), r.owner.get()};
    return key{r.rel, r.owner.get(), r.target.get()};
  };
  auto unique = [&](std::vector<association_row>& rows) {
    std::map<key, bool> seen;
    std::erase_if(rows, [&](const association_row& r) { return !seen.emplace(normal(r), true).second; });
    return seen;
  };
  auto inserted = unique(inserts);
  auto deleted = unique(deletes);
  std::erase_if(inserts, [&](const association_row& r) { return deleted.count(normal(r)) > 0; });
  std::erase_if(deletes, [&](const association_row& r) { return inserted.count(normal(r)) > 0; });
}

}  // namespace

void session_impl::plan_relationships(flush_plan& plan) {
  std::vector<orphan> orphans;
  for (const auto& s : new_) plan_owner(s, plan, orphans);
  for (const auto& s : relationship_owners_)
    if (s->session_ == this && s->status_ == object_status::persistent) plan_owner(s, plan, orphans);
  plan_deletes(plan, settle_orphans(orphans, plan));
  plan.syncs = settle(std::move(plan.syncs));
  settle(plan.inserts, plan.deletes);
}

void session_impl::plan_owner(const state_ptr& o, flush_plan& plan, std::vector<orphan>& orphans) {
  const mapper& m = o->get_mapper();
  if (!m.has_relationships() || o->marked_for_delete_) return;
  const bool fresh = o->status_ == object_status::pending;
  for (const auto& info : m.relationships()) {
    relationship_member* member = info.member(*o);
    if (!relationship_access::loaded(*member)) continue;
    const bool modified = relationship_access::modified(*member);
    if (!fresh && !modified) continue;
    plan.members.emplace_back(member, info.collection());
    if (info.collection()) {
      const auto& c = *static_cast<collection_base*>(member);
      static const std::vector<state_ptr> nothing;
      const auto& before = fresh ? nothing : relationship_access::committed(c);
      const auto& now = relationship_access::items(c);
      const auto added = before.empty() ? std::vector<state_ptr>() : difference(now, before);
      for (const auto& x : before.empty() ? now : added) {
        if (info.kind == relationship_kind::many_to_many) {
          plan.inserts.push_back({&info, o, x});
        } else if (!back_reference_says(info, *x, *o)) {
          plan.syncs.push_back({x, info.remote_column, o, info.local_column, info.post_update});
        }
      }
      for (const auto& x : difference(before, now)) {
        if (info.kind == relationship_kind::many_to_many)
          plan.deletes.push_back({&info, o, x});
        else
          orphans.push_back({x, &info});
      }
    } else {
      const auto& r = *static_cast<reference_base*>(member);
      const state_ptr& target = relationship_access::target(r);
      if (info.owner_holds_key()) {
        plan.syncs.push_back({o, info.local_column, target, info.remote_column, info.post_update});
      } else {
        if (target)
          plan.syncs.push_back({target, info.remote_column, o, info.local_column, info.post_update});
        const state_ptr& before = fresh ? nullptr : relationship_access::committed(r);
        if (before && before != target) orphans.push_back({before, &info});
      }
    }
  }
}

std::vector<state_ptr> session_impl::settle_orphans(const std::vector<orphan>& orphans, flush_plan& plan) {
  // A child removed from its parent: another parent took it (a value for
  // its key is planned), delete-orphan deletes it, or its key is cleared.
  std::unordered_set<const instance_state*> reparented;
  for (const auto& s : plan.syncs)
    if (s.parent) reparented.insert(s.child.get());
  std::vector<state_ptr> doomed;
  for (const auto& o : orphans) {
    if (reparented.count(o.child.get())) continue;
    if (o.rel->cascade.has(cascade::delete_orphan))
      doomed.push_back(o.child);
    else
      plan.syncs.push_back({o.child, o.rel->remote_column, nullptr, 0, o.rel->post_update});
  }
  return doomed;
}

void session_impl::plan_deletes(flush_plan& plan, const std::vector<state_ptr>& doomed) {
  // Deletes reach along delete cascades; without one, children lose their key.
  std::vector<state_ptr> work(deleted_.begin(), deleted_.end());
  auto condemn = [&](const state_ptr& x) {
    if (!x || x->session_ != this || x->marked_for_delete_) return;
    if (x->status_ == object_status::pending) {
      // Never written: it just leaves the session with its parent.
      plan.expunged.push_back(x);
      return;
    }
    if (x->status_ != object_status::persistent) return;
    x->marked_for_delete_ = true;
    deleted_.push_back(x);
    plan.cascade_deleted.push_back(x);
    work.push_back(x);
  };
  for (const auto& x : doomed) condemn(x);
  for (std::size_t i = 0; i < work.size(); ++i) {
    const state_ptr d = work[i];
    const mapper& m = d->get_mapper();
    if (!m.has_relationships()) continue;
    for (const auto& info : m.relationships()) {
      relationship_member* member = info.member(*d);
      switch (info.kind) {
        case relationship_kind::many_to_many:
          if (!info.passive_deletes) plan.owner_deletes.emplace_back(&info, d);
          break;
        case relationship_kind::many_to_one:
          if (!info.cascade.has(cascade::delete_)) break;
          if (!relationship_access::loaded(*member)) load_relationship(*d, info);
          condemn(relationship_access::target(*static_cast<reference_base*>(member)));
          break;
        case relationship_kind::one_to_many:
        case relationship_kind::one_to_one: {
          if (!relationship_access::loaded(*member)) {
            if (info.passive_deletes) break;  // the database's ON DELETE does it
            load_relationship(*d, info);
          }
          std::vector<state_ptr> children;
          if (info.collection())
            children = relationship_access::items(*static_cast<collection_base*>(member));
          else if (const auto& t = relationship_access::target(*static_cast<reference_base*>(member)))
            children.push_back(t);
          for (const auto& child : children) {
            if (info.cascade.has(cascade::delete_))
              condemn(child);
            else
              plan.syncs.push_back({child, info.remote_column, nullptr, 0, false});
          }
          break;
        }
      }
    }
  }
}

}  // namespace relate::orm::detail
