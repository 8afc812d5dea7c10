// SPDX-License-Identifier: MIT
#include "sqlite_dialect.hpp"

#include "sqlite_schema.hpp"

#include <sqlite3.h>

namespace relate::sqlite {
namespace {

// The bound-parameter limit of the loaded library (SQLITE_MAX_VARIABLE_NUMBER
// is a compile-time option of the library, 32766 by default since 3.32).
std::size_t library_parameter_limit() {
  sqlite3* db = nullptr;
  std::size_t limit = 999;  // the historical default, if the probe fails
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) == SQLITE_OK) {
    const int n = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    if (n > 0) limit = static_cast<std::size_t>(n);
  }
  sqlite3_close(db);
  return limit;
}

}  // namespace

sqlite_dialect::sqlite_dialect() : sqlite_dialect(sqlite3_libversion_number(), library_parameter_limit()) {}

sqlite_dialect::sqlite_dialect(int library_version, std::size_t max_parameters) {
  capabilities_.returning = library_version >= 3035000;
  capabilities_.multi_row_insert = true;
  capabilities_.upsert = library_version >= 3024000;
  capabilities_.savepoints = true;
  capabilities_.native_ilike = false;
  capabilities_.nulls_ordering = library_version >= 3030000;
  capabilities_.for_update = false;  // SQLite locks the whole database instead
  capabilities_.native_boolean = false;
  capabilities_.transactional_ddl = true;
  capabilities_.if_not_exists = true;
  capabilities_.max_parameters = max_parameters;
  capabilities_.in_process = true;
}

std::string sqlite_dialect::type_name(const sql::sql_type& type) const {
  // SQLAlchemy's SQLite names, so the schema reads back as the same types there.
  switch (type.kind) {
    case sql::type_kind::real:
      return "FLOAT";
    case sql::type_kind::timestamp:
    case sql::type_kind::timestamp_tz:  // SQLite keeps no zone; SQLAlchemy emits DATETIME for both
    case sql::type_kind::interval:      // SQLAlchemy's Interval: the time that long after the epoch
      return "DATETIME";
    case sql::type_kind::uuid:  // SQLAlchemy's Uuid: 32 hex digits
      return "CHAR(32)";
    case sql::type_kind::json:  // TEXT, not JSON: that name would give it NUMERIC affinity
      return "TEXT";
    default:
      return sql::dialect::type_name(type);
  }
}

std::optional<std::string> sqlite_dialect::type_check(const sql::column_def& column) const {
  if (column.type.kind == sql::type_kind::json) {
    // json_valid(NULL) is false, not NULL: a NULL document passes by name.
    const auto name = quote_identifier(column.name);
    return column.nullable ? name + " IS NULL OR json_valid(" + name + ")" : "json_valid(" + name + ")";
  }
  return sql::dialect::type_check(column);
}

std::string sqlite_dialect::render_literal(const relate::value& v) const {
  if (const interval* i = v.get_if<interval>()) return sql::dialect::render_literal(value(timestamp{} + *i));
  return sql::dialect::render_literal(v);
}

std::unique_ptr<sql::sql_compiler> sqlite_dialect::make_compiler() const {
  return std::make_unique<sqlite_compiler>(*this);
}

std::unique_ptr<sql::ddl_compiler> sqlite_dialect::make_ddl_compiler() const {
  return std::make_unique<sqlite_ddl_compiler>(*this);
}

namespace {
std::string_view strftime_format(sql::datetime_field f) {
  switch (f) {
    case sql::datetime_field::year:
      return "%Y";
    case sql::datetime_field::month:
      return "%m";
    case sql::datetime_field::day:
      return "%d";
    case sql::datetime_field::hour:
      return "%H";
    case sql::datetime_field::minute:
      return "%M";
    case sql::datetime_field::second:
      return "%S";
  }
  return "%Y";
}
}  // namespace

void sqlite_compiler::visit(const sql::known_function_call& n) {
  check_arguments(n);
  switch (n.function) {
    case sql::known_function::round:
      write("round(");
      emit(n.args[0]);
      write(", ");
      emit(n.args[1]);
      write(")");
      return;
    case sql::known_function::extract:
      // The format is relate's own constant, not data.
      write("CAST(strftime('");
      write(strftime_format(n.field));
      write("', ");
      emit(n.args[0]);
      write(") AS INTEGER)");
      return;
    case sql::known_function::current_timestamp:
      break;
  }
  sql::sql_compiler::visit(n);
}

void sqlite_compiler::visit(const sql::cast_expr& n) {
  using sql::type_kind;
  switch (n.type.kind) {
    case type_kind::timestamp:
    case type_kind::timestamp_tz:
    case type_kind::date:
      write("CAST(");
      emit(n.operand);
      write(" AS TEXT)");
      return;
    case type_kind::boolean:
      write("CAST(");
      emit(n.operand);
      write(" AS INTEGER)");
      return;
    default:
      sql::sql_compiler::visit(n);
  }
}

void sqlite_compiler::visit(const sql::star& n) {
  if (n.table && n.table->alias.empty() && !n.table->schema.empty()) {
    write_identifier(n.table->name);
    write(".*");
    return;
  }
  sql::sql_compiler::visit(n);
}

void sqlite_compiler::visit(const sql::insert_stmt& n) {
  if (n.upsert && !n.from_select && n.rows.empty()) unsupported("ON CONFLICT after DEFAULT VALUES");
  if (!n.upsert || !n.from_select) {
    sql::sql_compiler::visit(n);
    return;
  }
  // INSERT ... SELECT * FROM (<the select>) AS "anon" WHERE true ON CONFLICT ...:
  // the same rows, and nothing before ON that a join constraint could follow.
  // The new nodes bind nothing; the values stay in the original tree's nodes,
  // so the statement remains cacheable.
  auto source = std::make_shared<sql::derived_table>();
  source->query = n.from_select;
  source->alias = "anon";
  auto always = std::make_shared<sql::text_clause>();
  always->sql = "true";
  auto wrapped = std::make_shared<sql::select_stmt>();
  wrapped->columns.push_back(std::make_shared<sql::star>());
  wrapped->from.push_back(std::move(source));
  wrapped->where = std::move(always);
  sql::insert_stmt copy = n;
  copy.from_select = std::move(wrapped);
  sql::sql_compiler::visit(copy);
}

void sqlite_compiler::write_json_step(const sql::node_ptr& step, bool key) {
  if (!key) {
    emit(step);  // an integer: the array element at that index
    return;
  }
  // A text operand of -> is a path to SQLite ("a.b" would be a then b): the
  // key goes quoted, as the path $."key".  (SQLite's paths cannot quote a
  // double quote inside a key.)
  write("('$.\"' || ");
  emit(step);
  write(" || '\"')");
}

std::string_view sqlite_compiler::binary_operator_sql(sql::binary_operator op) const {
  switch (op) {
    case sql::binary_operator::is_distinct_from:
      return " IS NOT ";
    case sql::binary_operator::is_not_distinct_from:
      return " IS ";
    default:
      return sql::sql_compiler::binary_operator_sql(op);
  }
}

std::string sqlite_ddl_compiler::autoincrement_column_definition(const sql::table_def&,
                                                                 const sql::column_def& column) {
  // No AUTOINCREMENT keyword: like SQLAlchemy, relate lets SQLite reuse the
  // ids of deleted rows rather than pay for the sqlite_sequence table.
  return get_dialect().quote_identifier(column.name) + " INTEGER NOT NULL PRIMARY KEY";
}

std::optional<sql::key_reservation> sqlite_dialect::reserve_keys(std::string_view table,
                                                                 std::string_view column, std::size_t) const {
  sql::key_reservation r;
  r.sql = "SELECT coalesce(max(" + quote_identifier(column) + "), 0) FROM " + quote_identifier(table);
  r.from_base = true;
  return r;
}

std::optional<std::string> sqlite_dialect::defer_foreign_key_checks() const {
  return "PRAGMA defer_foreign_keys = ON";
}

const sql::schema_support* sqlite_dialect::schema_tools() const {
  static const sqlite_schema_support tools;
  return &tools;
}

}  // namespace relate::sqlite
