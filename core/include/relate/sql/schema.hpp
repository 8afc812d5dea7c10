// SPDX-License-Identifier: MIT
// Table definitions for DDL: what create_all() creates and drop_all() drops.
// The ORM fills these from a model's mapping; they can also be built by hand.
#pragma once

#include <relate/export.hpp>

#include <relate/sql/types.hpp>
#include <relate/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace relate::sql {

enum class referential_action : std::uint8_t { no_action, restrict, cascade, set_null, set_default };

struct column_def {
  std::string name;
  sql_type type;
  bool nullable = true;
  bool primary_key = false;
  bool autoincrement = false;  // a generated integer key (SQLite rowid alias, PostgreSQL identity)
  bool unique = false;
  /// DEFAULT in the DDL, as a value: rendered as a literal by the dialect
  /// (the one place values become SQL text, because DDL takes no parameters).
  std::optional<relate::value> server_default;
  /// DEFAULT as an SQL expression written by the programmer in the mapping,
  /// e.g. "CURRENT_TIMESTAMP".  Never built from data.
  std::optional<std::string> server_default_sql;
};

struct foreign_key_def {
  std::string name;  // empty: let the database name it
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  referential_action on_delete = referential_action::no_action;
  referential_action on_update = referential_action::no_action;
};

struct index_def {
  std::string name;  // empty: ix_<table>_<columns> (uq_ when unique), shortened to the dialect's limit
  std::vector<std::string> columns;
  bool unique = false;
};

struct check_def {
  std::string name;        // empty: unnamed
  std::string expression;  // SQL written by the programmer in the mapping
};

struct unique_def {
  std::string name;
  std::vector<std::string> columns;
};

struct RELATE_API table_def {
  std::string name;
  std::string schema;
  std::vector<column_def> columns;
  std::vector<std::string> primary_key;  // column names, in key order (composite keys)
  std::vector<foreign_key_def> foreign_keys;
  std::vector<unique_def> uniques;
  std::vector<index_def> indexes;
  std::vector<check_def> checks;

  const column_def* find_column(std::string_view column_name) const;
};

}  // namespace relate::sql
