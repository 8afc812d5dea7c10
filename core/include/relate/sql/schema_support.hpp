// SPDX-License-Identifier: MIT
// What a dialect tells relate's schema tools about its database: how to read
// its catalog (inspection), what its ALTER TABLE can do, and how a migration
// keeps a second runner out.  Each driver supplies one through
// dialect::schema_support(); core's inspector, drift detection and migration
// runner read it, so catalog queries stay in the driver that knows them and
// the recipes (compare, rebuild, lock) stay in core, written once.
#pragma once

#include <relate/export.hpp>
#include <relate/sql/schema.hpp>
#include <relate/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relate::sql {

using catalog_rows = std::vector<std::vector<relate::value>>;
/// Runs one catalog query (in the dialect's placeholder style) on the
/// connection being inspected and returns its rows.
using catalog_query = std::function<catalog_rows(std::string_view sql, std::vector<relate::value> params)>;

/// One table as the database describes it.
struct reflected_table {
  /// Columns (type parsed into relate's portable type, nullability, default
  /// as SQL text in server_default_sql, primary key, autoincrement), foreign
  /// keys, unique constraints, indexes (not those backing a constraint) and
  /// check constraints where the database reports them.
  table_def def;
  /// Each column's type as the database spells it, parallel to def.columns.
  std::vector<std::string> native_types;
  /// CREATE TRIGGER statements on the table (re-created after a rebuild).
  std::vector<std::string> triggers;
};

/// What the database's ALTER TABLE does in place.  What it cannot do, the
/// migration runner does by rebuilding the table (SQLite's documented
/// twelve-step recipe, Alembic's "batch mode").
struct alter_capabilities {
  bool alter_column_type = false;
  bool alter_column_nullability = false;
  bool alter_column_default = false;
  bool rename_column = true;
  /// ALTER TABLE ... DROP COLUMN of a column no key, index or constraint uses.
  bool drop_column = false;
  /// ALTER TABLE ... ADD COLUMN with a default that is an expression
  /// (CURRENT_TIMESTAMP), or NOT NULL with such a default.
  bool add_column_expression_default = false;
  /// ALTER TABLE ... ADD/DROP CONSTRAINT for unique, check and foreign keys.
  bool alter_constraints = false;
  /// Whether check constraints are reported by reflect_table (drift compares them only then).
  bool reflects_checks = false;
  /// Whether constraint names are reported (drift compares foreign keys and
  /// uniques by their columns either way).
  bool reflects_constraint_names = false;
};

class RELATE_API schema_support {
 public:
  virtual ~schema_support();

  virtual const alter_capabilities& alter() const = 0;
  /// The tables of `schema` (empty: the connection's default schema, or
  /// SQLite's main database; else a named schema or attached database),
  /// sorted by name, without the database's own bookkeeping tables.
  virtual std::vector<std::string> table_names(const catalog_query& query, std::string_view schema) const = 0;
  /// One table; nullopt when it does not exist.
  virtual std::optional<reflected_table> reflect_table(const catalog_query& query, std::string_view schema,
                                                       std::string_view name) const = 0;
  /// relate's portable type for a type as the database spells it (the
  /// inverse of dialect::type_name, and the database's own rules for names
  /// relate never writes).
  virtual sql_type parse_type(std::string_view native) const = 0;
  /// Statements run first in each migration's transaction so that two
  /// runners never apply the same migration: the second waits there.
  /// version_table is the quoted name of the (existing) version table.
  virtual std::vector<std::string> migration_lock(std::string_view version_table) const = 0;
  /// Run outside any transaction before and after a migration that rebuilds
  /// tables (SQLite: foreign_keys off, then back on); empty by default.
  virtual std::vector<std::string> before_rebuild() const;
  virtual std::vector<std::string> after_rebuild() const;
  /// A query with one row per foreign-key violation, run before COMMIT of a
  /// migration that rebuilt tables; nullopt where none is needed.
  virtual std::optional<std::string> foreign_key_check() const;
};

/// Helpers for a driver's catalog queries.
namespace catalog {
/// The text of a cell (empty for NULL or a non-text value).
RELATE_API std::string text(const relate::value& v);
/// The integer of a cell (0 for NULL or a non-integer value).
RELATE_API std::int64_t integer(const relate::value& v);
/// A double-quoted identifier, for names put into catalog SQL text.
RELATE_API std::string quoted(std::string_view name);
/// The numbers in the parentheses after a type name: "NUMERIC(10, 2)" -> {10, 2}.
RELATE_API std::vector<std::uint32_t> type_arguments(std::string_view native);
}  // namespace catalog

}  // namespace relate::sql
