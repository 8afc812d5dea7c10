// SPDX-License-Identifier: MIT
// A visitor whose visits all do nothing: the base of the small probes of the
// SQL layer that look for one or two node kinds (a label, a table, ...).
#pragma once

#include <relate/sql/ast.hpp>

namespace relate::sql::detail {

// A probe skips every kind it does not name, so a new kind would pass through
// the probes unseen (a label or table inside it missed).  Before updating
// this count, check each probe (compiler.cpp, statements.cpp) for the kinds
// that can contain what it looks for.
static_assert(node_kind_count == 25, "a new node kind: check the probes deriving from noop_visitor");

class noop_visitor : public node_visitor {
 public:
#define RELATE_SQL_SKIP(kind) \
  void visit(const kind&) override {}
  RELATE_SQL_NODE_KINDS(RELATE_SQL_SKIP)
#undef RELATE_SQL_SKIP
};

}  // namespace relate::sql::detail
