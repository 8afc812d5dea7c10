// A trial-deletion pass (as cycle collectors do) over a bounded graph: the
// objects a session releases and what their relationships hold.
#include "orm/object_graph.hpp"

#include "orm/relationship_access.hpp"

#include <unordered_map>

namespace relate::orm::detail {

void release_cycles(std::vector<std::shared_ptr<instance_state>> states) {
  // Most sessions release objects whose relationships hold nothing: no graph to walk.
  bool holds = false;
  for (const auto& s : states) {
    relationship_access::for_each_held(*s, [&](const std::shared_ptr<instance_state>&) { holds = true; });
    if (holds) break;
  }
  if (!holds) return;
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
  // Every object reachable through relationships, and how many handles the graph holds on each.
  for (std::size_t i = 0; i < order.size(); ++i) {
    relationship_access::for_each_held(
        *order[i], [&](const std::shared_ptr<instance_state>& held) { visit(held.get())->internal += 1; });
  }
  // Objects with a handle from outside are roots; mark what they reach.
  std::vector<const instance_state*> work;
  for (const auto* s : order) {
    // use_count() from a const object: the count of shared owners (handles).
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
  // Keep every unreachable object alive while their members are cleared.
  std::vector<std::shared_ptr<instance_state>> garbage;
  for (const auto* s : order)
    if (!graph[s].reachable) garbage.push_back(const_cast<instance_state*>(s)->shared_from_this());
  states.clear();
  for (const auto& s : garbage) relationship_access::clear_members(*s);
}

}  // namespace relate::orm::detail
