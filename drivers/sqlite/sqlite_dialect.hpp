// SPDX-License-Identifier: MIT
// How SQLite spells SQL: "?" placeholders, double-quoted identifiers, and the
// column types SQLAlchemy emits for SQLite, so a database created by relate
// looks like one created by SQLAlchemy (and the other way round).
//
// Capabilities that depend on the SQLite library (RETURNING since 3.35, NULLS
// FIRST/LAST since 3.30, the parameter limit) are read from the library
// loaded at run time, not from the header the driver was compiled with.
#pragma once

#include <relate/sql/compiler.hpp>
#include <relate/sql/dialect.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace relate::sqlite {

class sqlite_dialect final : public sql::dialect {
 public:
  sqlite_dialect();
  /// For tests: the capabilities a given SQLite version (as
  /// sqlite3_libversion_number() spells it) and parameter limit would have.
  sqlite_dialect(int library_version, std::size_t max_parameters);

  std::string_view name() const override { return "sqlite"; }
  const sql::dialect_capabilities& capabilities() const override { return capabilities_; }
  std::string type_name(const sql::sql_type& type) const override;
  std::optional<std::string> type_check(const sql::column_def& column) const override;
  std::string render_literal(const relate::value& v) const override;
  std::unique_ptr<sql::sql_compiler> make_compiler() const override;
  std::unique_ptr<sql::ddl_compiler> make_ddl_compiler() const override;
  /// SELECT coalesce(max(key), 0): a writer holds the whole database, so the
  /// next keys up are free (a concurrent writer makes the INSERT fail, never
  /// reuse a key: its snapshot is stale or the key is taken).
  std::optional<sql::key_reservation> reserve_keys(std::string_view table, std::string_view column,
                                                   std::size_t count) const override;
  /// PRAGMA defer_foreign_keys = ON (switched off again by COMMIT/ROLLBACK):
  /// DROP TABLE deletes the rows first, which the other table of a cycle
  /// still refers to until it is dropped too.
  std::optional<std::string> defer_foreign_key_checks() const override;
  const sql::schema_support* schema_tools() const override;

 private:
  sql::dialect_capabilities capabilities_;
};

/// Where SQLite's statements differ from the generic compiler's:
/// - IS [NOT] DISTINCT FROM is spelled IS NOT / IS, which every SQLite
///   understands (the standard spelling only since 3.39);
/// - CAST to a time or boolean type name would apply NUMERIC affinity and turn
///   '2021-01-01 00:00:00' into 2021, so times cast to TEXT (their storage)
///   and booleans to INTEGER;
/// - SQLite's grammar has "table.*" but no "schema.table.*" (columns may be
///   schema-qualified, the star may not), so the star of a table in a schema
///   names the table alone, as the FROM clause lets it;
/// - an upsert may follow VALUES or a SELECT, not DEFAULT VALUES (refused);
///   after a SELECT, SQLite would read ON CONFLICT's ON as a join constraint
///   of the SELECT's last table (https://sqlite.org/lang_upsert.html, "Parsing
///   Ambiguity"), so the SELECT becomes a derived table with a WHERE clause;
/// - SQLite has no EXTRACT: a part of a date or time is strftime's, as an
///   integer; its round() takes any number to places and returns REAL, so
///   the generic NUMERIC round trip is left out.
class sqlite_compiler : public sql::sql_compiler {
 public:
  using sql::sql_compiler::sql_compiler;
  using sql::sql_compiler::visit;
  void visit(const sql::known_function_call& n) override;
  void visit(const sql::cast_expr& n) override;
  void visit(const sql::star& n) override;
  void visit(const sql::insert_stmt& n) override;

 protected:
  std::string_view binary_operator_sql(sql::binary_operator op) const override;
  void write_json_step(const sql::node_ptr& step, bool key) override;
};

/// SQLite's DDL differs in one place: an autoincrementing key is the rowid,
/// and a column aliases the rowid only when declared with exactly the type
/// name INTEGER as the whole primary key (BIGINT would make an ordinary column
/// that is never filled in), whatever integer width the mapping asked for.
class sqlite_ddl_compiler : public sql::ddl_compiler {
 public:
  using sql::ddl_compiler::ddl_compiler;

 protected:
  std::string autoincrement_column_definition(const sql::table_def& table,
                                              const sql::column_def& column) override;
  bool autoincrement_declares_primary_key() const override { return true; }
};

}  // namespace relate::sqlite
