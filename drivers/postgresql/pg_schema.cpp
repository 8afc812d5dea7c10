// SPDX-License-Identifier: MIT
#include "pg_schema.hpp"

#include <relate/types/array.hpp>

#include <cctype>
#include <map>

namespace relate::postgresql {
namespace {

using sql::catalog::integer;
using sql::catalog::quoted;
using sql::catalog::text;
using sql::catalog::type_arguments;

bool bool_of(const value& v) {
  if (const auto* b = v.get_if<bool>()) return *b;
  if (const auto* s = v.get_if<std::string>()) return *s == "t" || *s == "true";
  return false;
}

// The table as regclass text: quoted, so its case and characters survive,
// with its schema when it has one (else the search_path finds it).
std::string regclass(std::string_view schema, std::string_view name) {
  return (schema.empty() ? std::string() : quoted(schema) + ".") + quoted(name);
}

sql::referential_action action_of(const std::string& code) {
  switch (code.empty() ? 'a' : code[0]) {
    case 'r':
      return sql::referential_action::restrict;
    case 'c':
      return sql::referential_action::cascade;
    case 'n':
      return sql::referential_action::set_null;
    case 'd':
      return sql::referential_action::set_default;
    default:
      return sql::referential_action::no_action;
  }
}

// A column of an enum type (or an array of one): its regtype text (quoted
// if need be, schema-qualified outside the search_path) and its labels as
// array text.
sql::sql_type enum_type_of(const std::string& regtype, const std::string& labels_text, bool array) {
  std::string name = regtype;
  if (const auto dot = name.rfind("\"."); dot != std::string::npos)
    name = name.substr(dot + 2);
  else if (const auto plain = name.find('.'); plain != std::string::npos && name.front() != '"')
    name = name.substr(plain + 1);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    std::string unquoted;
    for (std::size_t i = 1; i + 1 < name.size(); ++i) {
      unquoted += name[i];
      if (name[i] == '"') ++i;  // "" inside a quoted name is one quote
    }
    name = unquoted;
  }
  std::vector<std::string> labels;
  if (auto parsed = relate::detail::parse_array_literal(labels_text))
    for (auto& l : *parsed)
      if (l) labels.push_back(std::move(*l));
  sql::sql_type t;
  t.kind = sql::type_kind::enumeration;
  t.enumeration = &sql::intern_enum_type(std::move(name), std::move(labels));
  if (array) {
    t.element = t.kind;
    t.kind = sql::type_kind::array;
  }
  return t;
}

}  // namespace

const sql::alter_capabilities& pg_schema_support::alter() const {
  static const sql::alter_capabilities caps = [] {
    sql::alter_capabilities c;
    c.alter_column_type = true;
    c.alter_column_nullability = true;
    c.alter_column_default = true;
    c.rename_column = true;
    c.drop_column = true;
    c.add_column_expression_default = true;
    c.alter_constraints = true;
    c.reflects_checks = true;
    c.reflects_constraint_names = true;
    return c;
  }();
  return caps;
}

sql::sql_type pg_schema_support::parse_type(std::string_view native) const {
  using sql::type_kind;
  if (native.ends_with("[]")) {
    sql::sql_type element = parse_type(native.substr(0, native.size() - 2));
    element.element = element.kind;
    element.kind = type_kind::array;
    return element;
  }
  const std::string t(native);
  const std::string base = t.substr(0, t.find('('));
  const auto args = type_arguments(t);
  auto starts = [&](std::string_view prefix) { return base.rfind(prefix, 0) == 0; };
  sql::sql_type out;
  if (base == "boolean") {
    out.kind = type_kind::boolean;
  } else if (base == "smallint") {
    out.kind = type_kind::small_integer;
  } else if (base == "integer") {
    out.kind = type_kind::integer;
  } else if (base == "bigint") {
    out.kind = type_kind::big_integer;
  } else if (base == "double precision" || base == "real") {
    out.kind = type_kind::real;
  } else if (base == "numeric") {
    out.kind = type_kind::numeric;
    if (!args.empty()) out.precision = static_cast<std::uint16_t>(args[0]);
    if (args.size() > 1) out.scale = static_cast<std::uint16_t>(args[1]);
  } else if (starts("character") || base == "text") {
    out.kind = type_kind::text;
    if (!args.empty()) out.length = args[0];
  } else if (base == "bytea") {
    out.kind = type_kind::blob;
  } else if (starts("timestamp")) {
    out.kind = t.find("with time zone") != std::string::npos && t.find("without") == std::string::npos
                   ? type_kind::timestamp_tz
                   : type_kind::timestamp;
  } else if (base == "date") {
    out.kind = type_kind::date;
  } else if (starts("time") && t.find("with time zone") == std::string::npos) {
    out.kind = type_kind::time;
  } else if (base == "interval") {
    out.kind = type_kind::interval;
  } else if (base == "uuid") {
    out.kind = type_kind::uuid;
  } else if (base == "json" || base == "jsonb") {
    out.kind = type_kind::json;
  } else {
    out.kind = type_kind::text;  // json, uuid, enums ...: relate reads them as text
  }
  return out;
}

std::vector<std::string> pg_schema_support::table_names(const sql::catalog_query& query,
                                                        std::string_view schema) const {
  const auto rows = query(
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND n.nspname = coalesce(nullif($1, ''), current_schema()) "
      "ORDER BY c.relname",
      {value(std::string(schema))});
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(text(r[0]));
  return out;
}

std::optional<sql::reflected_table> pg_schema_support::reflect_table(const sql::catalog_query& query,
                                                                     std::string_view schema,
                                                                     std::string_view name) const {
  const std::vector<value> table{value(regclass(schema, name))};
  // Column 5: the labels of an enum type (or of an array's enum elements), else NULL.
  const auto columns = query(
      "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, "
      "(SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_catalog.pg_enum e "
      "WHERE e.enumtypid = a.atttypid OR e.enumtypid = "
      "(SELECT t.typelem FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid)), "
      "(SELECT coalesce(nullif(t.typelem, 0), t.oid)::regtype::text FROM pg_catalog.pg_type t "
      "WHERE t.oid = a.atttypid) "
      "FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d "
      "ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      table);
  if (columns.empty()) return std::nullopt;
  sql::reflected_table out;
  out.def.name = std::string(name);
  out.def.schema = std::string(schema);
  for (const auto& r : columns) {
    sql::column_def c;
    c.name = text(r[0]);
    out.native_types.push_back(text(r[1]));
    c.type = parse_type(out.native_types.back());
    if (!r[5].is_null()) c.type = enum_type_of(text(r[6]), text(r[5]), c.type.kind == sql::type_kind::array);
    c.nullable = !bool_of(r[2]);
    const auto identity = text(r[4]);
    if (!r[3].is_null()) {
      const auto dflt = text(r[3]);
      // A serial column's default is its sequence: that is autoincrement, not a default.
      if (dflt.rfind("nextval(", 0) == 0) {
        c.autoincrement = true;
      } else {
        c.server_default_sql = dflt;
      }
    }
    if (identity == "a" || identity == "d") c.autoincrement = true;
    out.def.columns.push_back(std::move(c));
  }

  const auto key = query(
      "SELECT a.attname FROM pg_catalog.pg_constraint c "
      "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
      "WHERE c.conrelid = to_regclass($1) AND c.contype = 'p' ORDER BY k.ord",
      table);
  for (const auto& r : key) {
    out.def.primary_key.push_back(text(r[0]));
    for (auto& c : out.def.columns)
      if (c.name == out.def.primary_key.back()) c.primary_key = true;
  }

  const auto fks = query(
      "SELECT c.conname, a.attname, fn.nspname, ft.relname, fa.attname, c.confupdtype::text, "
      "c.confdeltype::text FROM pg_catalog.pg_constraint c "
      "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
      "JOIN pg_catalog.pg_class ft ON ft.oid = c.confrelid "
      "JOIN pg_catalog.pg_namespace fn ON fn.oid = ft.relnamespace "
      "JOIN pg_catalog.pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum "
      "WHERE c.conrelid = to_regclass($1) AND c.contype = 'f' ORDER BY c.conname, k.ord",
      table);
  std::map<std::string, sql::foreign_key_def> by_name;
  for (const auto& r : fks) {
    auto& fk = by_name[text(r[0])];
    fk.name = text(r[0]);
    fk.columns.push_back(text(r[1]));
    fk.ref_table = text(r[3]);
    fk.ref_columns.push_back(text(r[4]));
    fk.on_update = action_of(text(r[5]));
    fk.on_delete = action_of(text(r[6]));
  }
  for (auto& [n, fk] : by_name) out.def.foreign_keys.push_back(std::move(fk));

  const auto uniques = query(
      "SELECT c.conname, a.attname FROM pg_catalog.pg_constraint c "
      "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
      "WHERE c.conrelid = to_regclass($1) AND c.contype = 'u' ORDER BY c.conname, k.ord",
      table);
  for (const auto& r : uniques) {
    if (out.def.uniques.empty() || out.def.uniques.back().name != text(r[0]))
      out.def.uniques.push_back({text(r[0]), {}});
    out.def.uniques.back().columns.push_back(text(r[1]));
  }

  // Indexes of their own, not those behind a key or unique constraint;
  // an index on an expression (attnum 0) is left out.
  const auto indexes = query(
      "SELECT i.relname, x.indisunique, a.attname FROM pg_catalog.pg_index x "
      "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid "
      "CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
      "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
      "WHERE x.indrelid = to_regclass($1) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c "
      "WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY i.relname, k.ord",
      table);
  std::string skipped;
  for (const auto& r : indexes) {
    const auto index_name = text(r[0]);
    if (index_name == skipped) continue;
    if (r[2].is_null()) {
      skipped = index_name;
      if (!out.def.indexes.empty() && out.def.indexes.back().name == index_name) out.def.indexes.pop_back();
      continue;
    }
    if (out.def.indexes.empty() || out.def.indexes.back().name != index_name)
      out.def.indexes.push_back({index_name, {}, bool_of(r[1])});
    out.def.indexes.back().columns.push_back(text(r[2]));
  }

  const auto checks = query(
      "SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint "
      "WHERE conrelid = to_regclass($1) AND contype = 'c' ORDER BY conname",
      table);
  for (const auto& r : checks) {
    auto def = text(r[1]);  // "CHECK ((price > 0))": the expression inside
    if (def.rfind("CHECK (", 0) == 0 && def.back() == ')') def = def.substr(7, def.size() - 8);
    out.def.checks.push_back({text(r[0]), def});
  }

  const auto triggers = query(
      "SELECT pg_catalog.pg_get_triggerdef(oid) FROM pg_catalog.pg_trigger "
      "WHERE tgrelid = to_regclass($1) AND NOT tgisinternal ORDER BY tgname",
      table);
  for (const auto& r : triggers) out.triggers.push_back(text(r[0]));
  return out;
}

std::vector<std::string> pg_schema_support::migration_lock(std::string_view) const {
  // Held to the end of the transaction: a second runner waits here, then
  // reads the version the first one committed.  The key is arbitrary but
  // fixed (the bytes of "relate" as a number).
  return {"SELECT pg_catalog.pg_advisory_xact_lock(125779147503717)"};
}

}  // namespace relate::postgresql
