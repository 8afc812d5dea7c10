// SPDX-License-Identifier: MIT
// Writing migration scripts (autogenerate): the inverse of script_parser.cpp.
// Names that are plain words stay bare, others are "quoted", so what the
// user reads looks like what they would write.
#include <relate/error.hpp>
#include <relate/migrations/script.hpp>

#include <cctype>
#include <cmath>
#include <sstream>

namespace relate::migrations {
namespace {

const char* const reserved_words[] = {
    "to",       "references",    "unique",      "on_delete",  "on_update", "type",  "nullable",
    "not_null", "default",       "default_sql", "no_default", "rename_to", "true",  "false",
    "null",     "autoincrement", "primary_key", "column",     "index",     "check", "foreign_key"};

std::string name(const std::string& n) {
  bool bare = !n.empty() && (std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_');
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) bare = false;
  for (const char* w : reserved_words)
    if (n == w) bare = false;
  if (bare) return n;
  std::string out = "\"";
  for (char c : n) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string text(const std::string& t) {
  std::string out = "'";
  for (char c : t) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string names(const std::vector<std::string>& list) {
  std::string s = "(";
  for (std::size_t i = 0; i < list.size(); ++i) s += (i ? ", " : "") + name(list[i]);
  return s + ")";
}

std::string type(const sql::sql_type& t) {
  // An enum type must exist before its column (CREATE TYPE on PostgreSQL)
  // and changes with its labels; the script format cannot say either yet.
  // Refused here, so that autogenerate fails at once instead of writing a
  // script that parse_script would refuse later.
  if (t.kind == sql::type_kind::enumeration || t.kind == sql::type_kind::array)
    throw usage_error("relate::migrations: a script cannot express a column of type " +
                      std::string(sql::to_string(t.kind)) +
                      " yet; write that step as `sql postgresql '...'` / `sql sqlite '...'`, or create "
                      "the table with metadata.create_all");
  std::string s(sql::to_string(t.kind));
  if (t.kind == sql::type_kind::text && t.length) s += "(" + std::to_string(t.length) + ")";
  if (t.kind == sql::type_kind::numeric && t.precision)
    s += "(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
  return s;
}

std::string literal(const relate::value& v) {
  if (v.is_null()) return "null";
  if (const auto* b = v.get_if<bool>()) return *b ? "true" : "false";
  if (const auto* i = v.get_if<std::int64_t>()) return std::to_string(*i);
  if (const auto* d = v.get_if<double>()) {
    std::ostringstream s;
    s.precision(17);
    s << *d;
    auto out = s.str();
    if (out.find_first_of(".eE") == std::string::npos) out += ".0";
    return out;
  }
  if (const auto* s = v.get_if<std::string>()) return text(*s);
  return text(to_log_string(v));
}

std::string action(sql::referential_action a) {
  switch (a) {
    case sql::referential_action::restrict:
      return "restrict";
    case sql::referential_action::cascade:
      return "cascade";
    case sql::referential_action::set_null:
      return "set_null";
    case sql::referential_action::set_default:
      return "set_default";
    case sql::referential_action::no_action:
      break;
  }
  return "no_action";
}

std::string column(const sql::column_def& c) {
  std::string s = name(c.name) + " " + type(c.type);
  if (!c.nullable) s += " not_null";
  if (c.primary_key) s += " primary_key";
  if (c.autoincrement) s += " autoincrement";
  if (c.unique) s += " unique";
  if (c.server_default) s += " default " + literal(*c.server_default);
  if (c.server_default_sql) s += " default_sql " + text(*c.server_default_sql);
  return s;
}

std::string foreign_key(const sql::foreign_key_def& fk) {
  std::string s = (fk.name.empty() ? "" : name(fk.name) + " ") + names(fk.columns) + " references " +
                  name(fk.ref_table) + " " + names(fk.ref_columns);
  if (fk.on_delete != sql::referential_action::no_action) s += " on_delete " + action(fk.on_delete);
  if (fk.on_update != sql::referential_action::no_action) s += " on_update " + action(fk.on_update);
  return s;
}

std::string unique(const sql::unique_def& u) {
  return (u.name.empty() ? "" : name(u.name) + " ") + names(u.columns);
}

struct writer {
  std::string operator()(const op::create_table& o) const {
    const auto& t = o.table;
    std::string s = "create_table " + name(t.name) + " {\n";
    for (const auto& c : t.columns) s += "    column " + column(c) + "\n";
    if (!t.primary_key.empty()) s += "    primary_key " + names(t.primary_key) + "\n";
    for (const auto& u : t.uniques) s += "    unique " + unique(u) + "\n";
    for (const auto& fk : t.foreign_keys) s += "    foreign_key " + foreign_key(fk) + "\n";
    for (const auto& i : t.indexes)
      s += "    index " + name(i.name) + " " + names(i.columns) + (i.unique ? " unique" : "") + "\n";
    for (const auto& c : t.checks)
      s += "    check " + (c.name.empty() ? "" : name(c.name) + " ") + text(c.expression) + "\n";
    return s + "  }";
  }
  std::string operator()(const op::drop_table& o) const { return "drop_table " + name(o.table); }
  std::string operator()(const op::rename_table& o) const {
    return "rename_table " + name(o.table) + " to " + name(o.new_name);
  }
  std::string operator()(const op::add_column& o) const {
    return "add_column " + name(o.table) + " " + column(o.column);
  }
  std::string operator()(const op::drop_column& o) const {
    return "drop_column " + name(o.table) + " " + name(o.column);
  }
  std::string operator()(const op::alter_column& o) const {
    std::string s = "alter_column " + name(o.table) + " " + name(o.column);
    if (o.type) s += " type " + type(*o.type);
    if (o.nullable) s += *o.nullable ? " nullable" : " not_null";
    if (o.server_default) {
      if (o.server_default->value) {
        s += " default " + literal(*o.server_default->value);
      } else if (o.server_default->sql) {
        s += " default_sql " + text(*o.server_default->sql);
      } else {
        s += " no_default";
      }
    }
    if (o.new_name) s += " rename_to " + name(*o.new_name);
    return s;
  }
  std::string operator()(const op::create_index& o) const {
    return "create_index " + name(o.table) + " " + name(o.index.name) + " " + names(o.index.columns) +
           (o.index.unique ? " unique" : "");
  }
  std::string operator()(const op::drop_index& o) const {
    return "drop_index " + name(o.table) + " " + name(o.name);
  }
  std::string operator()(const op::add_unique& o) const {
    return "add_unique " + name(o.table) + " " + unique(o.unique);
  }
  std::string operator()(const op::drop_unique& o) const {
    return "drop_unique " + name(o.table) + " " + unique(o.unique);
  }
  std::string operator()(const op::add_foreign_key& o) const {
    return "add_foreign_key " + name(o.table) + " " + foreign_key(o.foreign_key);
  }
  std::string operator()(const op::drop_foreign_key& o) const {
    return "drop_foreign_key " + name(o.table) + " " + foreign_key(o.foreign_key);
  }
  std::string operator()(const op::add_check& o) const {
    return "add_check " + name(o.table) + " " + name(o.check.name) + " " + text(o.check.expression);
  }
  std::string operator()(const op::drop_check& o) const {
    return "drop_check " + name(o.table) + " " + name(o.name);
  }
  std::string operator()(const op::execute_sql& o) const {
    return "sql " + (o.only_on.empty() ? "" : o.only_on + " ") + text(o.sql);
  }
  std::string operator()(const op::call& o) const { return "call " + name(o.name); }
};

}  // namespace

std::string format_operation(const operation& o) { return std::visit(writer{}, o); }

std::string format_script(const migration& m, const std::vector<std::string>& notes) {
  std::string s = "# relate migration: read it, edit it if needed, then run `upgrade`.\n";
  for (const auto& n : notes) s += "# " + n + "\n";
  s += "id: " + m.id + "\n";
  s += "parent: " + (m.parent.empty() ? std::string("none") : m.parent) + "\n";
  s += "message: " + m.message + "\n\nupgrade:\n";
  for (const auto& o : m.upgrade) s += "  " + format_operation(o) + "\n";
  s += "\ndowngrade:\n";
  for (const auto& o : m.downgrade) s += "  " + format_operation(o) + "\n";
  return s;
}

}  // namespace relate::migrations
