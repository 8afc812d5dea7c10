// SPDX-License-Identifier: MIT
#include "pg_dialect.hpp"

#include "pg_schema.hpp"
#include "pg_values.hpp"

#include <cmath>

namespace relate::postgresql {

const sql::dialect_capabilities& pg_dialect::capabilities() const {
  static const sql::dialect_capabilities caps = [] {
    sql::dialect_capabilities c;
    c.returning = true;
    c.multi_row_insert = true;
    c.upsert = true;
    c.savepoints = true;
    c.native_ilike = true;
    c.nulls_ordering = true;
    c.for_update = true;
    c.native_boolean = true;
    c.transactional_ddl = true;
    c.if_not_exists = true;
    c.alter_foreign_keys = true;
    c.max_parameters = 65535;  // the protocol's 16-bit parameter count
    // A longer IN list goes as one array: a list of any length fits, and
    // its plan does not depend on the length.
    c.array_in_lists_over = 1000;
    c.max_identifier_length = 63;  // NAMEDATALEN - 1 in a default build
    c.arrays = true;
    c.native_enums = true;
    return c;
  }();
  return caps;
}

std::string pg_dialect::placeholder(std::size_t index) const { return "$" + std::to_string(index); }

std::string pg_dialect::render_literal(const relate::value& v) const {
  if (const blob* b = v.get_if<blob>()) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "'\\x";
    for (std::byte byte : *b) {
      const auto u = std::to_integer<unsigned>(byte);
      s.push_back(digits[u >> 4]);
      s.push_back(digits[u & 0xf]);
    }
    return s + "'::bytea";
  }
  if (const double* d = v.get_if<double>(); d && !std::isfinite(*d))
    return "'" + format_double(*d) + "'::double precision";
  return sql::dialect::render_literal(v);
}

std::string pg_dialect::type_name(const sql::sql_type& type) const {
  switch (type.kind) {
    case sql::type_kind::blob:
      return "BYTEA";
    case sql::type_kind::timestamp:
      return "TIMESTAMP WITHOUT TIME ZONE";
    case sql::type_kind::json:
      return "JSONB";  // indexable, and what SQLAlchemy users choose on PostgreSQL
    default:
      return sql::dialect::type_name(type);
  }
}

std::optional<sql::key_reservation> pg_dialect::reserve_keys(std::string_view table, std::string_view column,
                                                             std::size_t count) const {
  sql::key_reservation r;
  // pg_get_serial_sequence reads its first argument as SQL (so it is quoted,
  // keeping the name's case) and its second as a plain column name.
  r.sql = "SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)";
  r.params = {relate::value(quote_identifier(table)), relate::value(std::string(column)),
              relate::value(static_cast<std::int64_t>(count))};
  return r;
}

}  // namespace relate::postgresql

namespace relate::postgresql {

std::optional<sql::compiled_statement> pg_dialect::foreign_key_exists(const sql::table_def& table,
                                                                      const std::string& name) const {
  // to_regclass is NULL for a missing table (no error), and reads its argument
  // as SQL, so the name goes quoted, with its schema when it has one.
  std::string regclass = table.schema.empty() ? std::string() : quote_identifier(table.schema) + ".";
  regclass += quote_identifier(table.name);
  sql::compiled_statement q;
  q.sql = "SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2";
  q.params = {relate::value(std::move(regclass)), relate::value(name)};
  return q;
}

std::optional<sql::compiled_statement> pg_dialect::enum_type_exists(const sql::enum_type& type) const {
  // In the schema CREATE TYPE would create it in (the first of search_path).
  sql::compiled_statement q;
  q.sql =
      "SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      "WHERE t.typname = $1 AND n.nspname = current_schema()";
  q.params = {relate::value(type.name)};
  return q;
}

std::optional<sql::compiled_statement> pg_dialect::enum_type_users(const sql::enum_type& type) const {
  sql::compiled_statement q;
  q.sql =
      "SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "JOIN pg_catalog.pg_type e ON e.oid = t.oid OR e.oid = t.typelem "
      "JOIN pg_catalog.pg_namespace n ON n.oid = e.typnamespace "
      "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p') "
      "WHERE e.typname = $1 AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped";
  q.params = {relate::value(type.name)};
  return q;
}

const sql::schema_support* pg_dialect::schema_tools() const {
  static const pg_schema_support tools;
  return &tools;
}

}  // namespace relate::postgresql
