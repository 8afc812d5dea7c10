// Out-of-line destructors and the double dispatch of every node kind: each
// accept() hands the node to the visit of its own kind.
#include <relate/sql/ast.hpp>

#include <relate/plugin/abi.h>

namespace relate::sql {

node::~node() = default;
node_visitor::~node_visitor() = default;

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
    RELATE_PLUGIN_ABI_VERSION == 3u && node_kind_count == 23,
    "the node kinds changed: bump RELATE_PLUGIN_ABI_VERSION (relate/plugin/abi.h) and update this check");

}  // namespace relate::sql
