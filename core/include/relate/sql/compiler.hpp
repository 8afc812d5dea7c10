// SPDX-License-Identifier: MIT
// The generic SQL compiler: one visit per node kind, writing ANSI-flavoured
// SQL.  A dialect's compiler derives from it and overrides only the visits
// and hooks where its database differs.  Values never become text: every
// bind_param becomes a placeholder from the dialect and an entry in params.
#pragma once

#include <relate/export.hpp>

#include <relate/sql/ast.hpp>
#include <relate/sql/dialect.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace relate::sql {

class RELATE_API sql_compiler : public node_visitor {
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
  void visit(const known_function_call&) override;
  void visit(const case_expr&) override;
  void visit(const cast_expr&) override;
  void visit(const json_path&) override;
  void visit(const labeled&) override;
  void visit(const scalar_subquery&) override;
  void visit(const text_clause&) override;
  void visit(const select_stmt&) override;
  void visit(const compound_select&) override;
  void visit(const insert_stmt&) override;
  void visit(const update_stmt&) override;
  void visit(const delete_stmt&) override;

 protected:
  /// Binding strength of an expression node, for deciding where parentheses
  /// are needed (higher binds tighter).  Dialects may override for their own
  /// operators.
  enum precedence : int {
    prec_raw = 0,  // text(): unknown content, always parenthesised as an operand
    prec_or = 1,
    prec_and = 2,
    prec_not = 3,
    prec_comparison = 4,  // = <> < LIKE IN BETWEEN IS
    prec_concat = 5,
    prec_additive = 6,
    prec_multiplicative = 7,
    prec_unary = 8,
    prec_atom = 9,  // columns, placeholders, calls, CASE, CAST, subqueries
  };
  virtual int precedence_of(const node& n) const;
  /// Emits child as an operand of an operator of precedence parent,
  /// parenthesised when it binds less tightly (or equally, where SQL's
  /// associativity would change the meaning).
  void emit_operand(const node_ptr& child, int parent, bool right_side = false);
  /// The SQL spelling of a binary operator, with surrounding spaces.
  virtual std::string_view binary_operator_sql(binary_operator op) const;
  /// ORDER BY items, including NULLS FIRST/LAST (or its emulation when the
  /// dialect lacks it).
  virtual void write_order_by(const std::vector<order_item>& items);
  /// RETURNING clause; throws not_supported_error without the capability.
  virtual void write_returning(const std::vector<node_ptr>& columns);
  /// ON CONFLICT clause; throws not_supported_error without the capability.
  virtual void write_on_conflict(const on_conflict& clause);
  /// A SELECT used as an operand of UNION & co.; one with its own ORDER BY or
  /// LIMIT (or a nested compound) becomes SELECT * FROM (...) AS "anon".
  virtual void write_compound_member(const node& member);
  /// One step of a JSON path (json_path), after its -> or ->>: a key when
  /// `key` (a bound text), else an array index.  SQLite overrides it, as a
  /// text operand there is itself a path.
  virtual void write_json_step(const node_ptr& step, bool key);
  /// A table name, schema-qualified when it has a schema (no alias).
  void write_table_name(const table_ref& table);
  /// Throws usage_error unless n has the arguments its function takes (a
  /// hand-built tree may not): dialect overrides of its visit call it first.
  static void check_arguments(const known_function_call& n);

  const dialect& get_dialect() const noexcept { return dialect_; }
  std::string& out() noexcept { return out_; }
  void write(std::string_view sql) { out_.append(sql); }
  void write_identifier(std::string_view identifier) { out_.append(dialect_.quote_identifier(identifier)); }
  /// Appends a placeholder and records v as its parameter.
  void bind(const relate::value& v);
  void emit(const node_ptr& n) { n->accept(*this); }
  /// Binds a LIMIT/OFFSET count held in the statement.  Dialect overrides of
  /// write_limit_offset should bind through this (with the statement's own
  /// optional, not a copy) so the statement stays cacheable.
  void bind_count(const std::optional<std::int64_t>& count);
  /// Binds a value the compiler chose itself rather than took from the tree
  /// (e.g. a LIMIT that stands for "no limit"): it must be the same for every
  /// statement of this shape, as it is cached with the SQL.
  void bind_constant(const relate::value& v);

  /// LIMIT/OFFSET clause (bound parameters).  Dialects with other syntax override.
  virtual void write_limit_offset(const std::optional<std::int64_t>& limit,
                                  const std::optional<std::int64_t>& offset);
  /// Throws not_supported_error naming the node kind.
  [[noreturn]] void unsupported(std::string_view node_kind) const;
  /// " FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]" as SQL:2003 and
  /// PostgreSQL spell it (the caller checked the capability).
  void write_row_lock(const row_lock& lock);

 private:
  friend class dialect;
  void record_origin(const void* address);

  const dialect& dialect_;
  std::string out_;
  std::vector<relate::value> params_;
  // Statement-shape cache support (see dialect::compile): where each bound
  // value lives in the tree, and for each placeholder which of them it took.
  // A bind of a value that is not in the tree makes the result uncacheable.
  const std::unordered_map<const void*, std::size_t>* sources_ = nullptr;
  std::vector<std::size_t> origins_;  // constant_origin | k: constants_[k]
  std::vector<relate::value> constants_;
  bool cacheable_ = true;
};

/// Compiles table definitions into CREATE/DROP statements.
class RELATE_API ddl_compiler {
 public:
  explicit ddl_compiler(const dialect& d) : dialect_(d) {}
  virtual ~ddl_compiler();

  virtual std::vector<std::string> create_table(const table_def& table, bool if_not_exists);
  virtual std::vector<std::string> drop_table(const table_def& table, bool if_exists);
  virtual std::string add_foreign_key(const table_def& table, const foreign_key_def& fk);
  virtual std::string drop_foreign_key(const table_def& table, const std::string& name, bool if_exists);
  /// ALTER TABLE ... ADD COLUMN \<definition\>, for migrations.
  std::string add_column(const table_def& table, const column_def& column);
  /// CREATE [UNIQUE] INDEX name ON table (columns), for migrations.
  std::string create_index_on(const table_def& table, const index_def& index);

 protected:
  const dialect& get_dialect() const noexcept { return dialect_; }
  /// "name TYPE NOT NULL DEFAULT ..." for one column.
  virtual std::string column_definition(const table_def& table, const column_def& column);
  /// The definition of an autoincrement column: the hook dialects override
  /// (SQLite "INTEGER PRIMARY KEY", PostgreSQL identity columns).  The generic
  /// one writes the SQL:2003 "GENERATED BY DEFAULT AS IDENTITY".
  virtual std::string autoincrement_column_definition(const table_def& table, const column_def& column);
  /// True when autoincrement_column_definition() already declares the column
  /// the primary key, so the table-level PRIMARY KEY constraint is omitted.
  virtual bool autoincrement_declares_primary_key() const { return false; }
  /// CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns).
  virtual std::string create_index(const table_def& table, const index_def& index, bool if_not_exists);
  /// ON DELETE / ON UPDATE action keyword ("CASCADE", "SET NULL", ...).
  virtual std::string_view referential_action_sql(referential_action action) const;
  /// The DEFAULT clause of a column, or an empty string.
  virtual std::string default_clause(const column_def& column);
  /// [CONSTRAINT name] FOREIGN KEY (...) REFERENCES t (...) [ON DELETE ...] [ON UPDATE ...].
  virtual std::string foreign_key_clause(const table_def& table, const foreign_key_def& fk);
  /// The quoted, schema-qualified table name.
  std::string qualified_name(const table_def& table) const;
  /// The columns of the primary key: table.primary_key, else the columns
  /// flagged primary_key, in declaration order.
  static std::vector<std::string> primary_key_columns(const table_def& table);

 private:
  const dialect& dialect_;
};

}  // namespace relate::sql
