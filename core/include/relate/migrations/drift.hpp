// SPDX-License-Identifier: MIT
// Drift: how a live database differs from the tables a program maps
// (Alembic's compare_metadata).  Each difference is data (what, where, the
// definitions on both sides, for autogenerate) and prints as one line:
//
//   posts: column "created_at" is missing from the database (DATETIME NOT NULL DEFAULT (CURRENT_TIMESTAMP))
//   authors.country: type differs: model VARCHAR(2), database TEXT
//
// Comparison is by meaning, not by spelling: types compare as the dialect
// would write them, defaults after the database's rewriting (parentheses,
// casts, case), indexes and constraints by their columns.  Check constraints
// compare by name, and only where the database reports them (PostgreSQL).
#pragma once

#include <relate/engine.hpp>
#include <relate/export.hpp>
#include <relate/migrations/inspection.hpp>
#include <relate/sql/schema.hpp>

#include <optional>
#include <string>
#include <vector>

namespace relate::orm {
class metadata;
}

namespace relate::migrations {

enum class difference_kind : std::uint8_t {
  missing_table,   // mapped, not in the database
  extra_table,     // in the database, not mapped
  missing_column,  // mapped column the table lacks
  extra_column,    // column of the table that is not mapped
  type_changed,
  nullability_changed,
  default_changed,
  primary_key_changed,
  missing_index,
  extra_index,
  missing_unique,
  extra_unique,
  missing_foreign_key,
  extra_foreign_key,
  missing_check,
  extra_check,
};

struct difference {
  difference_kind kind{};
  std::string schema;
  std::string table;
  /// The column, index or constraint name (may be empty for an unnamed constraint).
  std::string name;
  /// What each side has, as one line of SQL-like text (empty when absent).
  std::string model;
  std::string database;

  /// The definitions involved, for autogenerate: the table (missing: the
  /// model's; extra: the database's, to re-create it on downgrade), the
  /// column on each side, the index or constraint.
  std::optional<sql::table_def> table_def;
  std::optional<sql::column_def> model_column;
  std::optional<sql::column_def> database_column;
  std::optional<sql::index_def> index;
  std::optional<sql::unique_def> unique;
  std::optional<sql::foreign_key_def> foreign_key;
  std::optional<sql::check_def> check;
  std::vector<std::string> model_key, database_key;  // primary_key_changed

  /// One readable line.
  RELATE_API std::string describe() const;
};

struct compare_options {
  /// Report tables in the database that the model does not map (not for
  /// create_all's warning, where other programs' tables are none of its business).
  bool extra_tables = true;
  /// Tables never reported as extra (the migration runner's version table).
  std::vector<std::string> ignore_tables{"relate_version"};
};

/// The differences between the model's tables and the database, table by table.
RELATE_API std::vector<difference> compare(connection& conn, const std::vector<sql::table_def>& model,
                                           const compare_options& options = {});
RELATE_API std::vector<difference> compare(connection& conn, const orm::metadata& model,
                                           const compare_options& options = {});
/// One table of the model against its reflection (nullopt: not in the database).
RELATE_API std::vector<difference> compare_table(const sql::dialect& d, const sql::table_def& model,
                                                 const std::optional<sql::reflected_table>& database);

/// The model's table as the database would describe it after create_all:
/// generated index names filled in, key columns NOT NULL, a lone unique
/// column as a unique constraint, the defaults as SQL text.
RELATE_API sql::table_def normalized_model_table(const sql::dialect& d, const sql::table_def& model);

/// Raised by create_all in strict mode when existing tables differ from the model.
class RELATE_API schema_drift_error : public usage_error {
 public:
  schema_drift_error(std::string message, std::vector<difference> differences);
  const std::vector<difference>& differences() const noexcept { return differences_; }

 private:
  std::vector<difference> differences_;
};

}  // namespace relate::migrations
