// SPDX-License-Identifier: MIT
// session.merge (SQLAlchemy's Session.merge): the state of an object from
// outside the session copied onto the session's object for the same key,
// along the save-update relationships the given object has loaded.
//
// Four passes over the graph the given object reaches, so that a refusal
// (a stale version, an object marked for deletion) comes before anything
// changes and a long chain of objects never recurses: find or load each
// session object, copy the columns, set the relationships, add the new ones.
#include "orm/column_access.hpp"
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"

#include <unordered_map>
#include <utility>

namespace relate::orm::detail {

/// One object the merge copies from: its model, its members and, unless it
/// is a plain value, its bookkeeping.
struct session_impl::merge_source {
  const mapper* model;
  const char* object;
  const instance_state* state;

  /// The columns it has: all of a plain value's, none but the key of an
  /// expired object's, and not the ones a deferred load left out.
  std::uint64_t loaded_columns() const {
    if (!state) return model->all_columns();
    if (state->expired()) {
      std::uint64_t key = 0;
      for (auto i : model->primary_key()) key |= column_bit(i);
      return key;
    }
    return model->all_columns() & ~state->unloaded_;
  }
  const void* member(const column_entry& c) const { return object + c.offset; }
  relationship_member* relationship(const relationship_info& info) const {
    return info.entry->member(const_cast<char*>(object) + info.offset);
  }
  /// A plain value or a transient object: an empty collection may be one
  /// nobody filled rather than one emptied, so it is not merged.
  bool fresh() const { return !state || state->status() == object_status::transient; }
};

namespace {

std::string version_text(const column_entry& c, const void* member) {
  return to_log_string(c.ops->read(member));
}

}  // namespace

session_impl::state_ptr session_impl::merge_target(const merge_source& from) {
  const mapper& m = *from.model;
  const auto& cols = m.columns();
  std::vector<value> key;
  for (auto i : m.primary_key()) {
    const void* member = from.member(cols[i]);
    value v = cols[i].ops->read(member);
    // No key yet (an autoincrement key of 0): a new row.
    if (v.is_null() || (i == m.autoincrement_column() && cols[i].ops->is_unset(member))) return nullptr;
    key.push_back(std::move(v));
  }
  state_ptr target;
  if (const state_ptr* found = find(m, key)) {
    if ((*found)->marked_for_delete_)
      throw usage_error("relate::session::merge: the object of " + m.type_name() +
                        " with this primary key is marked for deletion in this session; flush the deletion "
                        "first, or add the object back to cancel it");
    target = *found;
    if (target->expired_) reload(*target, {}, m.deferred_columns());
  } else {
    target = get(m, key);
    if (!target) return nullptr;
  }
  const auto v = m.version_column();
  if (v != mapper::npos && (from.loaded_columns() & column_bit(v))) {
    const void* version = from.member(cols[v]);
    if (!cols[v].ops->is_unset(version) && !cols[v].ops->same(version, target->snapshot_.at(v)))
      throw stale_data_error("relate::session::merge: the " + m.type_name() + " given has version " +
                             version_text(cols[v], version) + ", the session's has version " +
                             to_log_string(target->snapshot_.get(v)) + ": the row changed since it was read");
  }
  return target;
}

void session_impl::merge_columns(const merge_source& from, instance_state& target, bool created) {
  const mapper& m = *from.model;
  const auto& cols = m.columns();
  std::uint64_t copied = from.loaded_columns();
  if (!created) {
    // The key is the same; the version is the flush's to move.
    for (auto i : m.primary_key()) copied &= ~column_bit(i);
    if (m.version_column() != mapper::npos) copied &= ~column_bit(m.version_column());
  }
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!(copied & column_bit(i))) continue;
    const value v = cols[i].ops->read(from.member(cols[i]));
    void* to = member_of(target, cols[i]);
    if (!cols[i].ops->equals(to, v)) cols[i].ops->assign(to, v);
  }
  target.touch();  // autoflush compares it
}

session_impl::state_ptr session_impl::merge(const mapper& m, const void* object,
                                            const instance_state* state) {
  if (state && state->session_ == this) return const_cast<instance_state*>(state)->shared_from_this();
  // As SQLAlchemy's merge runs under no_autoflush: a half-merged graph must not be flushed by its own loads.
  struct autoflush_off {
    bool& flag;
    bool before;
    ~autoflush_off() { flag = before; }
  } guard{options_.autoflush, std::exchange(options_.autoflush, false)};

  struct merged {
    merge_source from;
    state_ptr target;
    bool created;
  };
  std::vector<merged> graph;
  std::unordered_map<const void*, std::size_t> index;  // source object -> its entry in graph
  auto visit = [&](const merge_source& from) {
    if (!index.emplace(from.object, graph.size()).second) return;
    state_ptr target = merge_target(from);
    const bool created = !target;
    if (created) target = from.model->make_instance();
    graph.push_back({from, std::move(target), created});
  };
  auto merged_of = [&](const state_ptr& x) {
    return x->session_ == this ? x : graph[index.at(x->object())].target;
  };

  // 1. The session's object for each object reached, breadth first.
  visit({&m, static_cast<const char*>(object), state});
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const merge_source from = graph[i].from;
    if (!from.model->has_relationships()) continue;
    for (const auto& info : from.model->relationships()) {
      if (!info.cascade.has(cascade::save_update)) continue;
      const relationship_member* member = from.relationship(info);
      if (!relationship_access::loaded(*member)) continue;
      auto reach = [&](const state_ptr& x) {
        if (x && x->session_ != this)
          visit({&x->get_mapper(), static_cast<const char*>(x->object()), x.get()});
      };
      if (info.collection())
        for (const auto& x : relationship_access::items(*static_cast<const collection_base*>(member)))
          reach(x);
      else
        reach(relationship_access::target(*static_cast<const reference_base*>(member)));
    }
  }
  // 2. Columns.  A session object's deferred column the merge writes is read
  //    first, so that the comparison is with what the row holds.
  for (auto& g : graph) {
    if (!g.created && (g.target->unloaded_ & g.from.loaded_columns())) load_deferred(*g.target);
    merge_columns(g.from, *g.target, g.created);
  }
  // 3. Relationships, as the program would assign them.
  for (auto& g : graph) {
    const merge_source& from = g.from;
    if (!from.model->has_relationships()) continue;
    for (const auto& info : from.model->relationships()) {
      if (!info.cascade.has(cascade::save_update)) continue;
      const relationship_member* member = from.relationship(info);
      if (!relationship_access::loaded(*member)) continue;
      // What the session's object holds is loaded first (whatever its strategy): the merge replaces it.
      if (!g.created && !relationship_access::loaded(*info.member(*g.target)))
        load_relationship(*g.target, info);
      if (info.collection()) {
        const auto& items = relationship_access::items(*static_cast<const collection_base*>(member));
        if (items.empty() && from.fresh()) continue;
        std::vector<state_ptr> targets;
        targets.reserve(items.size());
        for (const auto& x : items) targets.push_back(merged_of(x));
        relationship_access::replace(*info.collection_of(*g.target), std::move(targets));
      } else {
        const auto& x = relationship_access::target(*static_cast<const reference_base*>(member));
        relationship_access::set(*info.reference_of(*g.target), x ? merged_of(x) : nullptr);
      }
    }
  }
  // 4. The new objects join the session (with what their relationships reach).
  for (auto& g : graph)
    if (g.created) add(g.target);
  return graph.front().target;
}

}  // namespace relate::orm::detail
