// SPDX-License-Identifier: MIT
#include <relate/migrations/inspection.hpp>

#include <relate/error.hpp>

namespace relate::migrations {
namespace {

sql::catalog_query catalog_of(connection& conn) {
  return [&conn](std::string_view sql, std::vector<value> params) {
    return conn.execute(sql, std::span<const value>(params)).all();
  };
}

}  // namespace

const sql::reflected_table* database_schema::find(std::string_view name) const {
  for (const auto& t : tables)
    if (t.def.name == name) return &t;
  return nullptr;
}

const sql::schema_support& schema_tools(const sql::dialect& d) {
  if (const auto* tools = d.schema_tools()) return *tools;
  error_info info;
  info.driver = std::string(d.name());
  info.native_message = "the " + info.driver + " driver offers no schema inspection";
  throw not_supported_error(std::move(info));
}

std::vector<std::string> table_names(connection& conn, std::string_view schema) {
  return schema_tools(conn.dialect()).table_names(catalog_of(conn), schema);
}

std::optional<sql::reflected_table> inspect_table(connection& conn, std::string_view schema,
                                                  std::string_view name) {
  // A name the database cannot hold (a NUL byte, longer than its limit) is
  // the caller's mistake, refused as create_all would refuse it, before any SQL.
  (void)conn.dialect().quote_identifier(name);
  if (!schema.empty()) (void)conn.dialect().quote_identifier(schema);
  return schema_tools(conn.dialect()).reflect_table(catalog_of(conn), schema, name);
}

database_schema inspect(connection& conn, std::string_view schema) {
  const auto& tools = schema_tools(conn.dialect());
  const auto query = catalog_of(conn);
  database_schema out;
  for (const auto& name : tools.table_names(query, schema)) {
    if (auto t = tools.reflect_table(query, schema, name)) out.tables.push_back(std::move(*t));
  }
  return out;
}

}  // namespace relate::migrations
