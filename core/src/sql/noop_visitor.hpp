// A visitor whose visits all do nothing: the base of the small probes of the
// SQL layer that look for one or two node kinds (a label, a table, ...).
#pragma once

#include <relate/sql/ast.hpp>

namespace relate::sql::detail {

class noop_visitor : public node_visitor {
 public:
  void visit(const table_ref&) override {}
  void visit(const derived_table&) override {}
  void visit(const column_ref&) override {}
  void visit(const bind_param&) override {}
  void visit(const null_literal&) override {}
  void visit(const star&) override {}
  void visit(const unary_op&) override {}
  void visit(const binary_op&) override {}
  void visit(const like_op&) override {}
  void visit(const in_list&) override {}
  void visit(const in_select&) override {}
  void visit(const between_op&) override {}
  void visit(const function_call&) override {}
  void visit(const case_expr&) override {}
  void visit(const cast_expr&) override {}
  void visit(const labeled&) override {}
  void visit(const scalar_subquery&) override {}
  void visit(const text_clause&) override {}
  void visit(const select_stmt&) override {}
  void visit(const compound_select&) override {}
  void visit(const insert_stmt&) override {}
  void visit(const update_stmt&) override {}
  void visit(const delete_stmt&) override {}
};

}  // namespace relate::sql::detail
