// Out-of-line destructors and the double dispatch of every node kind: each
// accept() hands the node to the visit of its own kind.
#include <relate/sql/ast.hpp>

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

void table_ref::accept(node_visitor& v) const { v.visit(*this); }
void derived_table::accept(node_visitor& v) const { v.visit(*this); }
void column_ref::accept(node_visitor& v) const { v.visit(*this); }
void bind_param::accept(node_visitor& v) const { v.visit(*this); }
void null_literal::accept(node_visitor& v) const { v.visit(*this); }
void star::accept(node_visitor& v) const { v.visit(*this); }
void unary_op::accept(node_visitor& v) const { v.visit(*this); }
void binary_op::accept(node_visitor& v) const { v.visit(*this); }
void like_op::accept(node_visitor& v) const { v.visit(*this); }
void in_list::accept(node_visitor& v) const { v.visit(*this); }
void in_select::accept(node_visitor& v) const { v.visit(*this); }
void between_op::accept(node_visitor& v) const { v.visit(*this); }
void function_call::accept(node_visitor& v) const { v.visit(*this); }
void case_expr::accept(node_visitor& v) const { v.visit(*this); }
void cast_expr::accept(node_visitor& v) const { v.visit(*this); }
void labeled::accept(node_visitor& v) const { v.visit(*this); }
void scalar_subquery::accept(node_visitor& v) const { v.visit(*this); }
void text_clause::accept(node_visitor& v) const { v.visit(*this); }
void select_stmt::accept(node_visitor& v) const { v.visit(*this); }
void compound_select::accept(node_visitor& v) const { v.visit(*this); }
void insert_stmt::accept(node_visitor& v) const { v.visit(*this); }
void update_stmt::accept(node_visitor& v) const { v.visit(*this); }
void delete_stmt::accept(node_visitor& v) const { v.visit(*this); }

}  // namespace relate::sql
