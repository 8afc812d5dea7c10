// SPDX-License-Identifier: MIT
// The operations a migration script is made of (Alembic's op.*), as data.
// They name tables and columns in relate's portable terms; the runner turns
// each into the SQL of the database it runs on, in place where the
// database's ALTER TABLE can, else by rebuilding the table (SQLite).
#pragma once

#include <relate/sql/schema.hpp>
#include <relate/value.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace relate::migrations {

namespace op {

struct create_table {
  sql::table_def table{};  // with its indexes
};
struct drop_table {
  std::string table{};
};
struct rename_table {
  std::string table{};
  std::string new_name{};
};
struct add_column {
  std::string table{};
  sql::column_def column{};
};
struct drop_column {
  std::string table{};
  std::string column{};
};
/// A column default: a value (rendered for each database), an SQL
/// expression, or none (both empty).
struct column_default {
  std::optional<relate::value> value{};
  std::optional<std::string> sql{};
};
/// Changes one column; each part is left as it is when empty.
struct alter_column {
  std::string table{};
  std::string column{};
  std::optional<sql::sql_type> type{};
  std::optional<bool> nullable{};
  std::optional<column_default> server_default{};
  std::optional<std::string> new_name{};
};
struct create_index {
  std::string table{};
  sql::index_def index{};
};
struct drop_index {
  std::string table{};
  std::string name{};
};
struct add_unique {
  std::string table{};
  sql::unique_def unique{};
};
/// Found by name where the database names constraints, else by columns.
struct drop_unique {
  std::string table{};
  sql::unique_def unique{};
};
struct add_foreign_key {
  std::string table{};
  sql::foreign_key_def foreign_key{};
};
/// Found by name where the database names constraints, else by columns and target.
struct drop_foreign_key {
  std::string table{};
  sql::foreign_key_def foreign_key{};
};
struct add_check {
  std::string table{};
  sql::check_def check{};
};
struct drop_check {
  std::string table{};
  std::string name{};
};
/// The escape hatch: SQL run as written, on every database or on the one named.
struct execute_sql {
  std::string sql{};
  std::string only_on{};  // dialect name ("sqlite", "postgresql"); empty: all
};
/// A data step written in C++ and registered by the program under this name
/// (migrations::register_step), run inside the migration's transaction.
struct call {
  std::string name{};
};

}  // namespace op

using operation = std::variant<op::create_table, op::drop_table, op::rename_table, op::add_column,
                               op::drop_column, op::alter_column, op::create_index, op::drop_index,
                               op::add_unique, op::drop_unique, op::add_foreign_key, op::drop_foreign_key,
                               op::add_check, op::drop_check, op::execute_sql, op::call>;

/// One migration: an id, its parent (empty for the first), a message, and
/// the operations that apply it and undo it.
struct migration {
  std::string id{};
  std::string parent{};
  std::string message{};
  std::vector<operation> upgrade{};
  std::vector<operation> downgrade{};
  std::string source{};  // the file it was read from, for messages
};

}  // namespace relate::migrations
