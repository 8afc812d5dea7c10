// SPDX-License-Identifier: MIT
// Inspection of a live database (SQLAlchemy's Inspector): its tables as the
// database describes them, read through the catalog queries of the engine's
// driver (relate/sql/schema_support.hpp).
//
//   auto conn = engine.connect();
//   for (const auto& t : relate::migrations::inspect(conn).tables)
//     for (const auto& c : t.def.columns) std::cout << t.def.name << '.' << c.name << '\n';
#pragma once

#include <relate/engine.hpp>
#include <relate/export.hpp>
#include <relate/sql/schema_support.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relate::migrations {

/// The tables of one schema of a database.
struct database_schema {
  std::vector<sql::reflected_table> tables;  // sorted by name

  RELATE_API const sql::reflected_table* find(std::string_view name) const;
};

/// Every table of `schema` (empty: the connection's default schema, SQLite's
/// main database; else a PostgreSQL schema or a SQLite attached database).
/// Runs in the connection's transaction and leaves it open.
RELATE_API database_schema inspect(connection& conn, std::string_view schema = {});
/// One table; nullopt when it does not exist.
RELATE_API std::optional<sql::reflected_table> inspect_table(connection& conn, std::string_view schema,
                                                             std::string_view name);
/// The names of the tables of `schema`, sorted.
RELATE_API std::vector<std::string> table_names(connection& conn, std::string_view schema = {});

/// The dialect's schema tools; not_supported_error when its driver has none.
RELATE_API const sql::schema_support& schema_tools(const sql::dialect& d);

}  // namespace relate::migrations
