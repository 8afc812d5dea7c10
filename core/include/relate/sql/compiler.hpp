// The generic SQL compiler: one visit per node kind, writing ANSI-flavoured
// SQL.  A dialect's compiler derives from it and overrides only the visits
// and hooks where its database differs.  Values never become text: every
// bind_param becomes a placeholder from the dialect and an entry in params.
#pragma once

#include <relate/sql/ast.hpp>
#include <relate/sql/dialect.hpp>

#include <string>
#include <vector>

namespace relate::sql {

class sql_compiler : public node_visitor {
 public:
  explicit sql_compiler(const dialect& d) : dialect_(d) {}
  ~sql_compiler() override;

  /// Compiles a whole statement (or a bare expression, for tests).
  compiled_statement compile(const node& root);

  void visit(const table_ref&) override;
  void visit(const derived_table&) override;
  void visit(const column_ref&) override;
  void visit(const bind_param&) override;
  void visit(const null_literal&) override;
  void visit(const star&) override;
  void visit(const unary_op&) override;
  void visit(const binary_op&) override;
  void visit(const like_op&) override;
  void visit(const in_list&) override;
  void visit(const in_select&) override;
  void visit(const between_op&) override;
  void visit(const function_call&) override;
  void visit(const case_expr&) override;
  void visit(const cast_expr&) override;
  void visit(const labeled&) override;
  void visit(const scalar_subquery&) override;
  void visit(const text_clause&) override;
  void visit(const select_stmt&) override;
  void visit(const compound_select&) override;
  void visit(const insert_stmt&) override;
  void visit(const update_stmt&) override;
  void visit(const delete_stmt&) override;

 protected:
  const dialect& get_dialect() const noexcept { return dialect_; }
  std::string& out() noexcept { return out_; }
  void write(std::string_view sql) { out_.append(sql); }
  void write_identifier(std::string_view identifier) { out_.append(dialect_.quote_identifier(identifier)); }
  /// Appends a placeholder and records v as its parameter.
  void bind(const relate::value& v);
  void emit(const node_ptr& n) { n->accept(*this); }

  /// LIMIT/OFFSET clause (bound parameters).  Dialects with other syntax override.
  virtual void write_limit_offset(const std::optional<std::int64_t>& limit, const std::optional<std::int64_t>& offset);
  /// Throws not_supported_error naming the node kind.
  [[noreturn]] void unsupported(std::string_view node_kind) const;

 private:
  const dialect& dialect_;
  std::string out_;
  std::vector<relate::value> params_;
};

/// Compiles table definitions into CREATE/DROP statements.
class ddl_compiler {
 public:
  explicit ddl_compiler(const dialect& d) : dialect_(d) {}
  virtual ~ddl_compiler();

  virtual std::vector<std::string> create_table(const table_def& table, bool if_not_exists);
  virtual std::vector<std::string> drop_table(const table_def& table, bool if_exists);

 protected:
  const dialect& get_dialect() const noexcept { return dialect_; }
  /// "name TYPE NOT NULL DEFAULT ..." for one column.
  virtual std::string column_definition(const table_def& table, const column_def& column);

 private:
  const dialect& dialect_;
};

}  // namespace relate::sql
