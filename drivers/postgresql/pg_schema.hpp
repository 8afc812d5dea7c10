// SPDX-License-Identifier: MIT
// PostgreSQL's catalog for relate's inspection and migrations: pg_class,
// pg_attribute, pg_constraint and pg_index (the information_schema views hide
// what a user cannot write and are slower), an ALTER TABLE that does
// everything in place, and a transaction-level advisory lock that keeps a
// second migration runner waiting.
#pragma once

#include <relate/sql/schema_support.hpp>

namespace relate::postgresql {

class pg_schema_support final : public sql::schema_support {
 public:
  const sql::alter_capabilities& alter() const override;
  std::vector<std::string> table_names(const sql::catalog_query& query,
                                       std::string_view schema) const override;
  std::optional<sql::reflected_table> reflect_table(const sql::catalog_query& query, std::string_view schema,
                                                    std::string_view name) const override;
  sql::sql_type parse_type(std::string_view native) const override;
  std::vector<std::string> migration_lock(std::string_view version_table) const override;
};

}  // namespace relate::postgresql
