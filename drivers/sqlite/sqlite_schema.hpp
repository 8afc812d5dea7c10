// SPDX-License-Identifier: MIT
// SQLite's catalog for relate's inspection and migrations: the table-valued
// PRAGMA functions (table_info, foreign_key_list, index_list, index_info),
// what its ALTER TABLE can do (rename, add a column with a constant default,
// drop a column nothing else uses), and the settings around a table rebuild.
#pragma once

#include <relate/sql/schema_support.hpp>

namespace relate::sqlite {

class sqlite_schema_support final : public sql::schema_support {
 public:
  const sql::alter_capabilities& alter() const override;
  std::vector<std::string> table_names(const sql::catalog_query& query,
                                       std::string_view schema) const override;
  std::optional<sql::reflected_table> reflect_table(const sql::catalog_query& query, std::string_view schema,
                                                    std::string_view name) const override;
  sql::sql_type parse_type(std::string_view native) const override;
  /// A write that takes the database's RESERVED lock as the transaction's
  /// first statement, so a second runner waits (busy_timeout) right there.
  std::vector<std::string> migration_lock(std::string_view version_table) const override;
  std::vector<std::string> before_rebuild() const override;
  std::vector<std::string> after_rebuild() const override;
  std::optional<std::string> foreign_key_check() const override;
};

}  // namespace relate::sqlite
