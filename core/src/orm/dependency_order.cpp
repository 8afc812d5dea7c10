// SPDX-License-Identifier: MIT
// The order a flush writes tables in: the foreign-key graph between the
// mappers involved (by table, so two mappings of one table share its keys),
// condensed into strongly connected components (Tarjan), parents before
// children, ties kept in the order the mappers came.
#include "orm/flush_plan.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relate::orm::detail {

namespace {

/// The tables m's foreign keys point at, its own included.
std::vector<std::string_view> parent_tables(const mapper& m) {
  std::vector<std::string_view> out;
  for (const auto& c : m.columns()) {
    if (!c.foreign_key) continue;
    const auto& t = c.foreign_key->target;
    const std::string_view table =
        t.target_mapper ? std::string_view(t.target_mapper().table_name()) : t.table;
    if (std::find(out.begin(), out.end(), table) == out.end()) out.push_back(table);
  }
  return out;
}

}  // namespace

flush_order order_mappers(const std::vector<const mapper*>& involved) {
  const std::size_t n = involved.size();
  // By table: a key declared against one mapping of a table orders the rows
  // of every mapping of it (two classes may map one table).
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_table;
  for (std::size_t i = 0; i < n; ++i) by_table[involved[i]->table_name()].push_back(i);
  std::vector<std::vector<std::size_t>> edges(n);  // child -> parents among the involved
  std::vector<bool> self(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::string_view table : parent_tables(*involved[i])) {
      auto it = by_table.find(table);
      if (it == by_table.end()) continue;
      for (const std::size_t p : it->second) {
        if (p == i)
          self[i] = true;
        else
          edges[i].push_back(p);
      }
    }
  }

  // Tarjan's strongly connected components.
  std::vector<long> order(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::size_t> component_of(n, 0);
  std::size_t components = 0;
  long counter = 0;
  std::function<void(std::size_t)> connect = [&](std::size_t v) {
    order[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (auto w : edges[v]) {
      if (order[w] < 0) {
        connect(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], order[w]);
      }
    }
    if (low[v] == order[v]) {
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component_of[w] = components;
      } while (w != v);
      ++components;
    }
  };
  for (std::size_t v = 0; v < n; ++v)
    if (order[v] < 0) connect(v);

  // Components parents first: repeatedly take the first (in involved order)
  // component whose parents are all placed.
  std::vector<std::vector<std::size_t>> members(components);
  for (std::size_t v = 0; v < n; ++v) members[component_of[v]].push_back(v);
  std::vector<bool> placed(components, false);
  flush_order out;
  while (out.components.size() < components) {
    for (std::size_t v = 0; v < n; ++v) {
      const auto c = component_of[v];
      if (placed[c]) continue;
      const bool ready = std::all_of(members[c].begin(), members[c].end(), [&](std::size_t u) {
        return std::all_of(edges[u].begin(), edges[u].end(),
                           [&](std::size_t p) { return component_of[p] == c || placed[component_of[p]]; });
      });
      if (!ready) continue;
      placed[c] = true;
      flush_order::component comp;
      for (auto u : members[c]) comp.mappers.push_back(involved[u]);
      comp.cyclic = members[c].size() > 1 || self[members[c][0]];
      out.components.push_back(std::move(comp));
      break;
    }
  }
  return out;
}

}  // namespace relate::orm::detail
