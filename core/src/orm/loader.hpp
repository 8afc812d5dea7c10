// SPDX-License-Identifier: MIT
// Loading strategies: the plan a query follows to load relationships
// (relate/orm/loading.hpp), built from its options and the mapping's defaults.
#pragma once

#include <relate/orm/loading.hpp>
#include <relate/orm/session.hpp>

#include "orm/relationship_info.hpp"

#include <vector>

namespace relate::orm::detail {

/// One relationship to load, and what to load below it.  The root stands for
/// the queried objects themselves (rel is null).
struct plan_node {
  const mapper* model = nullptr;           // the objects this node loads
  const relationship_info* rel = nullptr;  // how they are reached from the parent node
  loading strategy = loading::lazy;
  row_load how;  // the root: the query's; the others: their mapping's deferred columns, the root's
                 // populate_existing
  std::vector<plan_node> children;

  plan_node* find(const relationship_info* r);
};

/// The plan for objects of m: each option's path, then, below every node,
/// the relationships whose mapping default is eager (a relationship is not
/// repeated along one path, so self-referential defaults stop after a level).
plan_node make_plan(const mapper& m, const std::vector<std::vector<load_step>>& options, row_load how = {});

/// True when loading objects of m involves more than their own row.
bool has_eager_defaults(const mapper& m);

}  // namespace relate::orm::detail
