// SPDX-License-Identifier: MIT
// Out-of-line destructors and the double dispatch of every node kind: each
// accept() hands the node to the visit of its own kind.
#include <relate/sql/ast.hpp>

#include <relate/plugin/abi.h>

namespace relate::sql {

node::~node() = default;
node_visitor::~node_visitor() = default;

binary_op::~binary_op() {
  // Children only this node owns are taken apart here, one at a time, so
  // their destructors find nothing left to recurse into.
  std::vector<node_ptr> work;
  const auto take = [&work](node_ptr& p) {
    if (p && p.use_count() == 1) work.push_back(std::move(p));
  };
  take(left);
  take(right);
  while (!work.empty()) {
    node_ptr n = std::move(work.back());
    work.pop_back();
    if (const auto* b = dynamic_cast<const binary_op*>(n.get())) {
      // Sole owner, and it is being destroyed: its members may be moved from.
      auto& owned = const_cast<binary_op&>(*b);
      take(owned.left);
      take(owned.right);
    }
  }
}

#define RELATE_SQL_ACCEPT(kind) \
  void kind::accept(node_visitor& v) const { v.visit(*this); }
RELATE_SQL_NODE_KINDS(RELATE_SQL_ACCEPT)
#undef RELATE_SQL_ACCEPT

// Drivers derive their compilers from sql_compiler, and so from node_visitor:
// the node kinds are part of the plugin contract.  A new kind changes
// node_visitor's vtable, so it must come with a new RELATE_PLUGIN_ABI_VERSION
// (which makes the loader refuse drivers built before it); record the new
// pair here.
static_assert(
    RELATE_PLUGIN_ABI_VERSION == 6u && node_kind_count == 25,
    "the node kinds changed: bump RELATE_PLUGIN_ABI_VERSION (relate/plugin/abi.h) and update this check");

}  // namespace relate::sql
