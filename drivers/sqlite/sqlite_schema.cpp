// SPDX-License-Identifier: MIT
#include "sqlite_schema.hpp"

#include <relate/error.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace relate::sqlite {
namespace {

using sql::catalog::integer;
using sql::catalog::text;
using sql::catalog::type_arguments;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The schema argument of the table-valued PRAGMA functions.
std::string schema_or_main(std::string_view schema) { return schema.empty() ? "main" : std::string(schema); }

sql::referential_action action_of(const std::string& text) {
  const auto t = upper(text);
  if (t == "CASCADE") return sql::referential_action::cascade;
  if (t == "RESTRICT") return sql::referential_action::restrict;
  if (t == "SET NULL") return sql::referential_action::set_null;
  if (t == "SET DEFAULT") return sql::referential_action::set_default;
  return sql::referential_action::no_action;
}

// "(p, s)" after a type name: the numbers in it.
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The CHECK constraints of a CREATE TABLE statement, which SQLite reports
// nowhere else: each "CHECK (...)" at the table's top level (after a column
// or on its own), with the name of a "CONSTRAINT name" just before it.
std::vector<sql::check_def> checks_of(std::string_view create) {
  std::vector<sql::check_def> out;
  int depth = 0;
  std::vector<std::string> words;  // the last words at depth 1
  for (std::size_t i = 0; i < create.size(); ++i) {
    const char c = create[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      std::string quoted_word;
      for (++i; i < create.size(); ++i) {
        if (create[i] == close) {
          if (close != ']' && i + 1 < create.size() && create[i + 1] == close) {
            quoted_word += close;
            ++i;
            continue;
          }
          break;
        }
        quoted_word += create[i];
      }
      if (depth == 1 && c != '\'') words.push_back(quoted_word);
      continue;
    }
    if (c == '(') {
      if (depth == 1 && !words.empty() && upper(words.back()) == "CHECK") {
        // The expression: up to the parenthesis that closes this one.
        int inner = 1;
        std::size_t j = i + 1;
        char quote = 0;
        for (; j < create.size() && inner > 0; ++j) {
          const char k = create[j];
          if (quote) {
            if (k == quote) quote = 0;
          } else if (k == '\'' || k == '"') {
            quote = k;
          } else if (k == '(') {
            ++inner;
          } else if (k == ')') {
            --inner;
          }
        }
        sql::check_def check;
        check.expression = std::string(create.substr(i + 1, j - i - 2));
        if (words.size() >= 3 && upper(words[words.size() - 3]) == "CONSTRAINT")
          check.name = words[words.size() - 2];
        out.push_back(std::move(check));
        i = j - 1;
        words.clear();
        continue;
      }
      ++depth;
      continue;
    }
    if (c == ')') {
      --depth;
      continue;
    }
    if (c == ',' && depth == 1) words.clear();
    if (depth == 1 && is_word_char(c)) {
      std::size_t j = i;
      while (j < create.size() && is_word_char(create[j])) ++j;
      words.emplace_back(create.substr(i, j - i));
      i = j - 1;
    }
  }
  return out;
}

}  // namespace

const sql::alter_capabilities& sqlite_schema_support::alter() const {
  static const sql::alter_capabilities caps = [] {
    sql::alter_capabilities c;
    c.rename_column = true;    // since 3.25
    c.drop_column = true;      // since 3.35, for columns nothing else refers to
    c.reflects_checks = true;  // read from the CREATE TABLE text
    return c;
  }();
  return caps;
}

sql::sql_type sqlite_schema_support::parse_type(std::string_view native) const {
  using sql::type_kind;
  const std::string t = upper(native);
  const std::string base = t.substr(0, t.find('('));
  const auto args = type_arguments(t);
  auto trimmed = base;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  sql::sql_type out;
  if (trimmed == "BOOLEAN" || trimmed == "BOOL") {
    out.kind = type_kind::boolean;
  } else if (trimmed == "SMALLINT") {
    out.kind = type_kind::small_integer;
  } else if (trimmed == "INTEGER" || trimmed == "INT" || trimmed == "MEDIUMINT") {
    out.kind = type_kind::integer;
  } else if (trimmed == "BIGINT") {
    out.kind = type_kind::big_integer;
  } else if (trimmed == "DATETIME" || trimmed == "TIMESTAMP") {
    out.kind = type_kind::timestamp;
  } else if (trimmed == "DATE") {
    out.kind = type_kind::date;
  } else if (trimmed == "TIME") {
    out.kind = type_kind::time;
  } else if (trimmed == "CHAR" && args.size() == 1 && args[0] == 32) {
    out.kind = type_kind::uuid;                           // what relate and SQLAlchemy's Uuid create
  } else if (trimmed.find("INT") != std::string::npos) {  // SQLite's affinity rules, in their order
    out.kind = type_kind::big_integer;
  } else if (trimmed.find("CHAR") != std::string::npos || trimmed.find("CLOB") != std::string::npos ||
             trimmed.find("TEXT") != std::string::npos) {
    out.kind = type_kind::text;
    if (!args.empty()) out.length = args[0];
  } else if (trimmed.empty() || trimmed.find("BLOB") != std::string::npos) {
    out.kind = type_kind::blob;
  } else if (trimmed.find("REAL") != std::string::npos || trimmed.find("FLOA") != std::string::npos ||
             trimmed.find("DOUB") != std::string::npos) {
    out.kind = type_kind::real;
  } else {
    out.kind = type_kind::numeric;
    if (!args.empty()) out.precision = static_cast<std::uint16_t>(args[0]);
    if (args.size() > 1) out.scale = static_cast<std::uint16_t>(args[1]);
  }
  return out;
}

std::vector<std::string> sqlite_schema_support::table_names(const sql::catalog_query& query,
                                                            std::string_view schema) const {
  const auto rows = query("SELECT name FROM " + sql::catalog::quoted(schema_or_main(schema)) +
                              ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
                              "'\\' ORDER BY name",
                          {});
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(text(r[0]));
  return out;
}

std::optional<sql::reflected_table> sqlite_schema_support::reflect_table(const sql::catalog_query& query,
                                                                         std::string_view schema,
                                                                         std::string_view name) const {
  const std::vector<value> args{value(std::string(name)), value(schema_or_main(schema))};
  const auto columns =
      query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?, ?) ORDER BY cid", args);
  if (columns.empty()) return std::nullopt;
  sql::reflected_table out;
  out.def.name = std::string(name);
  out.def.schema = std::string(schema);
  std::vector<std::pair<std::int64_t, std::string>> key;
  for (const auto& r : columns) {
    sql::column_def c;
    c.name = text(r[0]);
    out.native_types.push_back(text(r[1]));
    c.type = parse_type(out.native_types.back());
    c.nullable = integer(r[2]) == 0;
    if (!r[3].is_null()) c.server_default_sql = text(r[3]);
    if (integer(r[4]) > 0) {
      c.primary_key = true;
      key.emplace_back(integer(r[4]), c.name);
    }
    out.def.columns.push_back(std::move(c));
  }
  std::sort(key.begin(), key.end());
  for (const auto& k : key) out.def.primary_key.push_back(k.second);
  // A single INTEGER key column is the rowid: SQLite generates its values
  // (https://sqlite.org/lang_createtable.html#rowid).
  if (key.size() == 1) {
    for (std::size_t i = 0; i < out.def.columns.size(); ++i) {
      if (out.def.columns[i].name == key.front().second && upper(out.native_types[i]) == "INTEGER") {
        out.def.columns[i].autoincrement = true;
        out.def.columns[i].nullable = false;
      }
    }
  }

  // Foreign keys: one row per column, grouped by id.  A key that names no
  // target columns refers to the target's primary key.
  const auto fks = query(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?, ?) "
      "ORDER BY id, seq",
      args);
  std::map<std::int64_t, sql::foreign_key_def> by_id;
  for (const auto& r : fks) {
    auto& fk = by_id[integer(r[0])];
    fk.ref_table = text(r[1]);
    fk.columns.push_back(text(r[2]));
    if (!r[3].is_null()) fk.ref_columns.push_back(text(r[3]));
    fk.on_update = action_of(text(r[4]));
    fk.on_delete = action_of(text(r[5]));
  }
  for (auto& [id, fk] : by_id) {
    if (fk.ref_columns.empty()) {
      const auto target = query("SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk",
                                {value(fk.ref_table), value(schema_or_main(schema))});
      for (const auto& r : target) fk.ref_columns.push_back(text(r[0]));
    }
    out.def.foreign_keys.push_back(std::move(fk));
  }

  // Indexes made by CREATE INDEX ('c') are indexes; those made by a UNIQUE
  // constraint ('u') are the constraint; the primary key's ('pk') is the key.
  // Indexes on expressions (a column without a name) are left out.
  const auto indexes =
      query("SELECT name, \"unique\", origin FROM pragma_index_list(?, ?) ORDER BY name", args);
  for (const auto& r : indexes) {
    const auto origin = text(r[2]);
    if (origin == "pk") continue;
    const auto index_name = text(r[0]);
    const auto cols =
        query("SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno", {value(index_name), args[1]});
    std::vector<std::string> names;
    bool expression = false;
    for (const auto& c : cols) {
      if (c[0].is_null()) expression = true;
      names.push_back(text(c[0]));
    }
    if (expression || names.empty()) continue;
    if (origin == "u") {
      out.def.uniques.push_back({{}, std::move(names)});
    } else {
      out.def.indexes.push_back({index_name, std::move(names), integer(r[1]) != 0});
    }
  }

  const auto create = query("SELECT sql FROM " + sql::catalog::quoted(schema_or_main(schema)) +
                                ".sqlite_master WHERE type = 'table' AND name = ?",
                            {value(std::string(name))});
  if (!create.empty()) out.def.checks = checks_of(text(create.front()[0]));

  const auto triggers = query("SELECT sql FROM " + sql::catalog::quoted(schema_or_main(schema)) +
                                  ".sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
                              {value(std::string(name))});
  for (const auto& r : triggers) out.triggers.push_back(text(r[0]));
  return out;
}

std::vector<std::string> sqlite_schema_support::migration_lock(std::string_view version_table) const {
  // Any write statement takes the RESERVED lock when it starts, even one that
  // changes no row; as the transaction's first statement it waits for
  // another writer under busy_timeout instead of failing at once.
  return {"DELETE FROM " + std::string(version_table) + " WHERE 0"};
}

std::vector<std::string> sqlite_schema_support::before_rebuild() const {
  return {"PRAGMA foreign_keys = OFF"};
}

std::vector<std::string> sqlite_schema_support::after_rebuild() const { return {"PRAGMA foreign_keys = ON"}; }

std::optional<std::string> sqlite_schema_support::foreign_key_check() const {
  return "PRAGMA foreign_key_check";
}

}  // namespace relate::sqlite
