// SPDX-License-Identifier: MIT
// A trial-deletion pass (as cycle collectors do) over a bounded graph: the
// objects a session releases, the released objects remembered from earlier,
// and what their relationships hold.
#include "orm/object_graph.hpp"

#include "orm/relationship_access.hpp"

#include <algorithm>
#include <unordered_map>

namespace relate::orm::detail {

namespace {

bool holds_anything(const instance_state& s) {
  bool holds = false;
  relationship_access::for_each_held(s, [&](const std::shared_ptr<instance_state>&) { holds = true; });
  return holds;
}

/// One pass: clears the relationship members of the objects in `states` (and
/// reachable from them) that nothing outside the graph reaches.  `states`
/// holds one handle each.  Returns the survivors that hold something (the
/// candidates of a later pass) and counts the cleared ones.
std::vector<std::shared_ptr<instance_state>> pass(std::vector<std::shared_ptr<instance_state>> states,
                                                  std::size_t& cleared) {
  struct node {
    long internal = 0;  // handles held by the graph itself
    bool reachable = false;
  };
  std::unordered_map<const instance_state*, node> graph;
  std::vector<const instance_state*> order;
  auto visit = [&](const instance_state* s) {
    auto [it, fresh] = graph.try_emplace(s);
    if (fresh) order.push_back(s);
    return &it->second;
  };
  for (const auto& s : states) visit(s.get())->internal += 1;
  for (std::size_t i = 0; i < order.size(); ++i) {
    relationship_access::for_each_held(
        *order[i], [&](const std::shared_ptr<instance_state>& held) { visit(held.get())->internal += 1; });
  }
  // Objects with a handle from outside (the program, a session) are roots.
  std::vector<const instance_state*> work;
  for (const auto* s : order) {
    auto& n = graph[s];
    const long owners = const_cast<instance_state*>(s)->weak_from_this().use_count();
    if (owners > n.internal) {
      n.reachable = true;
      work.push_back(s);
    }
  }
  while (!work.empty()) {
    const auto* s = work.back();
    work.pop_back();
    relationship_access::for_each_held(*s, [&](const std::shared_ptr<instance_state>& held) {
      auto& n = graph[held.get()];
      if (!n.reachable) {
        n.reachable = true;
        work.push_back(held.get());
      }
    });
  }
  std::vector<std::shared_ptr<instance_state>> garbage;
  std::vector<std::shared_ptr<instance_state>> survivors;
  for (const auto* s : order) {
    auto handle = const_cast<instance_state*>(s)->shared_from_this();
    if (!graph[s].reachable)
      garbage.push_back(std::move(handle));
    else if (holds_anything(*s))
      survivors.push_back(std::move(handle));
  }
  states.clear();
  // Keep every unreachable object alive while their members are cleared.
  for (const auto& s : garbage) relationship_access::clear_members(*s);
  cleared += garbage.size();
  return survivors;
}

/// The released objects that still hold something, remembered weakly.
struct remembered {
  std::vector<std::weak_ptr<instance_state>> objects;
  std::size_t next_pass = 1024;

  ~remembered() {
    // Thread (or program) end: what the program still held is gone now.
    try {
      collect();
    } catch (...) {
    }
  }
  std::size_t collect() {
    std::vector<std::shared_ptr<instance_state>> states;
    states.reserve(objects.size());
    for (auto& w : objects)
      if (auto s = w.lock()) states.push_back(std::move(s));
    objects.clear();
    std::size_t cleared = 0;
    if (!states.empty()) keep(pass(std::move(states), cleared));
    next_pass = std::max<std::size_t>(1024, 2 * objects.size());
    return cleared;
  }
  void keep(const std::vector<std::shared_ptr<instance_state>>& survivors) {
    for (const auto& s : survivors) objects.emplace_back(s);
  }
};

remembered& this_thread() {
  thread_local remembered r;
  return r;
}

}  // namespace

void release_cycles(std::vector<std::shared_ptr<instance_state>> states) {
  // Most sessions release objects whose relationships hold nothing: no graph to walk.
  const bool holds = std::any_of(states.begin(), states.end(),
                                 [](const std::shared_ptr<instance_state>& s) { return holds_anything(*s); });
  auto& r = this_thread();
  if (holds) {
    std::size_t cleared = 0;
    r.keep(pass(std::move(states), cleared));
  }
  if (r.objects.size() >= r.next_pass) r.collect();
}

std::size_t collect_released() { return this_thread().collect(); }

}  // namespace relate::orm::detail
