// SPDX-License-Identifier: MIT
// Comparing the model's tables with their reflection: both sides are first
// brought to the form the database reports (normalized_model_table), then
// compared member by member, by meaning rather than by spelling.
#include <relate/migrations/drift.hpp>

#include <relate/orm/metadata.hpp>
#include <relate/sql/compiler.hpp>

#include "migrations/default_text.hpp"
#include "sql/generated_name.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace relate::migrations {
namespace {

bool is_integer_kind(sql::type_kind k) {
  return k == sql::type_kind::small_integer || k == sql::type_kind::integer ||
         k == sql::type_kind::big_integer;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s = "(";
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s + ")";
}

std::string column_text(const sql::dialect& d, const sql::column_def& c) {
  std::string s = d.type_name(c.type);
  if (!c.nullable) s += " NOT NULL";
  if (c.server_default_sql) s += " DEFAULT " + *c.server_default_sql;
  if (c.autoincrement) s += " autoincrement";
  return s;
}

std::string action_text(sql::referential_action a) {
  switch (a) {
    case sql::referential_action::restrict:
      return "RESTRICT";
    case sql::referential_action::cascade:
      return "CASCADE";
    case sql::referential_action::set_null:
      return "SET NULL";
    case sql::referential_action::set_default:
      return "SET DEFAULT";
    case sql::referential_action::no_action:
      break;
  }
  return "NO ACTION";
}

std::string foreign_key_text(const sql::foreign_key_def& fk) {
  std::string s = joined(fk.columns) + " -> " + fk.ref_table + joined(fk.ref_columns);
  if (fk.on_delete != sql::referential_action::no_action) s += " ON DELETE " + action_text(fk.on_delete);
  if (fk.on_update != sql::referential_action::no_action) s += " ON UPDATE " + action_text(fk.on_update);
  return s;
}

using fk_key = std::tuple<std::vector<std::string>, std::string, std::vector<std::string>,
                          sql::referential_action, sql::referential_action>;
fk_key key_of(const sql::foreign_key_def& fk) {
  return {fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update};
}

// Adds one difference of a table, filled by `fill`.
template <class Fill>
void add(std::vector<difference>& out, difference_kind kind, const sql::table_def& table, std::string name,
         Fill&& fill) {
  difference d;
  d.kind = kind;
  d.schema = table.schema;
  d.table = table.name;
  d.name = std::move(name);
  fill(d);
  out.push_back(std::move(d));
}

void compare_columns(const sql::dialect& dia, const sql::table_def& m, const sql::table_def& db,
                     std::vector<difference>& out) {
  for (const auto& mc : m.columns) {
    const auto* dc = db.find_column(mc.name);
    if (!dc) {
      add(out, difference_kind::missing_column, m, mc.name, [&](difference& d) {
        d.model = column_text(dia, mc);
        d.model_column = mc;
      });
      continue;
    }
    auto both = [&](difference& d) {
      d.model_column = mc;
      d.database_column = *dc;
    };
    // A rowid or identity key may be spelled differently (SQLite's rowid is
    // INTEGER whatever the member's width): generated keys compare as integers.
    const bool generated = mc.autoincrement && dc->autoincrement && is_integer_kind(dc->type.kind);
    if (!generated && dia.type_name(mc.type) != dia.type_name(dc->type)) {
      add(out, difference_kind::type_changed, m, mc.name, [&](difference& d) {
        d.model = dia.type_name(mc.type);
        d.database = dia.type_name(dc->type);
        both(d);
      });
    }
    if (mc.nullable != dc->nullable) {
      add(out, difference_kind::nullability_changed, m, mc.name, [&](difference& d) {
        d.model = mc.nullable ? "NULL" : "NOT NULL";
        d.database = dc->nullable ? "NULL" : "NOT NULL";
        both(d);
      });
    }
    const auto md =
        mc.server_default_sql ? detail::normalized_default(*mc.server_default_sql) : std::string();
    const auto dd =
        dc->server_default_sql ? detail::normalized_default(*dc->server_default_sql) : std::string();
    if (!generated && md != dd) {
      add(out, difference_kind::default_changed, m, mc.name, [&](difference& d) {
        d.model = mc.server_default_sql.value_or("none");
        d.database = dc->server_default_sql.value_or("none");
        both(d);
      });
    }
  }
  for (const auto& dc : db.columns) {
    if (m.find_column(dc.name)) continue;
    add(out, difference_kind::extra_column, m, dc.name, [&](difference& d) {
      d.database = column_text(dia, dc);
      d.database_column = dc;
    });
  }
}

void compare_indexes(const sql::table_def& m, const sql::table_def& db, std::vector<difference>& out) {
  auto key = [](const sql::index_def& i) { return std::make_pair(i.unique, i.columns); };
  std::set<std::pair<bool, std::vector<std::string>>> in_db, in_model;
  for (const auto& i : db.indexes) in_db.insert(key(i));
  for (const auto& i : m.indexes) in_model.insert(key(i));
  for (const auto& i : m.indexes) {
    if (in_db.count(key(i))) continue;
    add(out, difference_kind::missing_index, m, i.name, [&](difference& d) {
      d.model = std::string(i.unique ? "UNIQUE " : "") + joined(i.columns);
      d.index = i;
    });
  }
  for (const auto& i : db.indexes) {
    if (in_model.count(key(i))) continue;
    add(out, difference_kind::extra_index, m, i.name, [&](difference& d) {
      d.database = std::string(i.unique ? "UNIQUE " : "") + joined(i.columns);
      d.index = i;
    });
  }
}

void compare_uniques(const sql::table_def& m, const sql::table_def& db, std::vector<difference>& out) {
  std::set<std::vector<std::string>> in_db, in_model;
  for (const auto& u : db.uniques) in_db.insert(u.columns);
  for (const auto& u : m.uniques) in_model.insert(u.columns);
  for (const auto& u : m.uniques) {
    if (in_db.count(u.columns)) continue;
    add(out, difference_kind::missing_unique, m, u.name, [&](difference& d) {
      d.model = "UNIQUE " + joined(u.columns);
      d.unique = u;
    });
  }
  for (const auto& u : db.uniques) {
    if (in_model.count(u.columns)) continue;
    add(out, difference_kind::extra_unique, m, u.name, [&](difference& d) {
      d.database = "UNIQUE " + joined(u.columns);
      d.unique = u;
    });
  }
}

void compare_foreign_keys(const sql::table_def& m, const sql::table_def& db, std::vector<difference>& out) {
  std::set<fk_key> in_db, in_model;
  for (const auto& fk : db.foreign_keys) in_db.insert(key_of(fk));
  for (const auto& fk : m.foreign_keys) in_model.insert(key_of(fk));
  for (const auto& fk : m.foreign_keys) {
    if (in_db.count(key_of(fk))) continue;
    add(out, difference_kind::missing_foreign_key, m, fk.name, [&](difference& d) {
      d.model = foreign_key_text(fk);
      d.foreign_key = fk;
    });
  }
  for (const auto& fk : db.foreign_keys) {
    if (in_model.count(key_of(fk))) continue;
    add(out, difference_kind::extra_foreign_key, m, fk.name, [&](difference& d) {
      d.database = foreign_key_text(fk);
      d.foreign_key = fk;
    });
  }
}

// By name: the database rewrites expressions (PostgreSQL adds parentheses and
// casts), so only named checks compare, and extra ones only when the model
// names all of its own.
void compare_checks(const sql::table_def& m, const sql::table_def& db, std::vector<difference>& out) {
  std::set<std::string> in_db, in_model;
  bool all_named = true;
  for (const auto& c : db.checks) in_db.insert(c.name);
  for (const auto& c : m.checks) {
    if (c.name.empty()) all_named = false;
    in_model.insert(c.name);
  }
  for (const auto& c : m.checks) {
    if (c.name.empty() || in_db.count(c.name)) continue;
    add(out, difference_kind::missing_check, m, c.name, [&](difference& d) {
      d.model = "CHECK (" + c.expression + ")";
      d.check = c;
    });
  }
  if (!all_named) return;
  for (const auto& c : db.checks) {
    if (in_model.count(c.name)) continue;
    add(out, difference_kind::extra_check, m, c.name, [&](difference& d) {
      d.database = "CHECK (" + c.expression + ")";
      d.check = c;
    });
  }
}

std::string quoted_name(const std::string& name) { return "\"" + name + "\""; }

std::string where(const difference& d) { return (d.schema.empty() ? "" : d.schema + ".") + d.table; }

}  // namespace

sql::table_def normalized_model_table(const sql::dialect& d, const sql::table_def& model) {
  sql::table_def t = model;
  if (t.primary_key.empty())
    for (const auto& c : t.columns)
      if (c.primary_key) t.primary_key.push_back(c.name);
  for (auto& c : t.columns) {
    const bool in_key = std::find(t.primary_key.begin(), t.primary_key.end(), c.name) != t.primary_key.end();
    c.primary_key = in_key;
    if (in_key || c.autoincrement) c.nullable = false;
    if (c.server_default) {
      c.server_default_sql = d.render_literal(*c.server_default);
      c.server_default.reset();
    }
    if (c.unique) {
      if (!(in_key && t.primary_key.size() == 1)) t.uniques.push_back({{}, {c.name}});
      c.unique = false;
    }
  }
  for (auto& i : t.indexes) {
    if (!i.name.empty()) continue;
    i.name = (i.unique ? "uq_" : "ix_") + t.name;
    for (const auto& c : i.columns) i.name += "_" + c;
    i.name = sql::detail::fit_generated_name(std::move(i.name), d.capabilities().max_identifier_length);
  }
  // The CHECKs create_table adds for types the database cannot hold (an enumeration on SQLite).
  for (auto& check : d.type_checks(t))
    if (std::none_of(t.checks.begin(), t.checks.end(), [&](const auto& c) { return c.name == check.name; }))
      t.checks.push_back(std::move(check));
  return t;
}

std::vector<difference> compare_table(const sql::dialect& d, const sql::table_def& model,
                                      const std::optional<sql::reflected_table>& database) {
  std::vector<difference> out;
  const auto m = normalized_model_table(d, model);
  if (!database) {
    add(out, difference_kind::missing_table, m, {}, [&](difference& x) { x.table_def = m; });
    return out;
  }
  const auto& db = database->def;
  compare_columns(d, m, db, out);
  if (m.primary_key != db.primary_key) {
    add(out, difference_kind::primary_key_changed, m, {}, [&](difference& x) {
      x.model = joined(m.primary_key);
      x.database = joined(db.primary_key);
      x.model_key = m.primary_key;
      x.database_key = db.primary_key;
    });
  }
  compare_indexes(m, db, out);
  compare_uniques(m, db, out);
  compare_foreign_keys(m, db, out);
  if (const auto* tools = d.schema_tools(); tools && tools->alter().reflects_checks)
    compare_checks(m, db, out);
  return out;
}

std::vector<difference> compare(connection& conn, const std::vector<sql::table_def>& model,
                                const compare_options& options) {
  std::vector<difference> out;
  std::map<std::string, std::set<std::string>> mapped;  // schema -> tables
  for (const auto& t : model) {
    mapped[t.schema].insert(t.name);
    auto found = compare_table(conn.dialect(), t, inspect_table(conn, t.schema, t.name));
    std::move(found.begin(), found.end(), std::back_inserter(out));
  }
  if (!options.extra_tables) return out;
  if (mapped.empty()) mapped[""];
  for (const auto& [schema, names] : mapped) {
    for (const auto& name : table_names(conn, schema)) {
      if (names.count(name)) continue;
      if (std::find(options.ignore_tables.begin(), options.ignore_tables.end(), name) !=
          options.ignore_tables.end())
        continue;
      difference d;
      d.kind = difference_kind::extra_table;
      d.schema = schema;
      d.table = name;
      if (auto t = inspect_table(conn, schema, name)) d.table_def = std::move(t->def);
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::vector<difference> compare(connection& conn, const orm::metadata& model,
                                const compare_options& options) {
  return compare(conn, model.tables(), options);
}

std::string difference::describe() const {
  const std::string at = where(*this);
  const std::string column_at = at + "." + name;
  auto thing = [&](std::string_view what) {
    return at + ": " + std::string(what) + (name.empty() ? "" : " " + quoted_name(name)) + " ";
  };
  switch (kind) {
    case difference_kind::missing_table:
      return "table " + quoted_name(at) + " is missing from the database";
    case difference_kind::extra_table:
      return "table " + quoted_name(at) + " is in the database but not in the model";
    case difference_kind::missing_column:
      return thing("column") + "is missing from the database (model: " + model + ")";
    case difference_kind::extra_column:
      return thing("column") + "is in the database but not in the model (database: " + database + ")";
    case difference_kind::type_changed:
      return column_at + ": type differs: model " + model + ", database " + database;
    case difference_kind::nullability_changed:
      return column_at + ": nullability differs: model " + model + ", database " + database;
    case difference_kind::default_changed:
      return column_at + ": default differs: model " + model + ", database " + database;
    case difference_kind::primary_key_changed:
      return at + ": primary key differs: model " + model + ", database " + database;
    case difference_kind::missing_index:
      return thing("index") + model + " is missing from the database";
    case difference_kind::extra_index:
      return thing("index") + database + " is in the database but not in the model";
    case difference_kind::missing_unique:
      return thing("unique constraint") + model + " is missing from the database";
    case difference_kind::extra_unique:
      return thing("unique constraint") + database + " is in the database but not in the model";
    case difference_kind::missing_foreign_key:
      return thing("foreign key") + model + " is missing from the database";
    case difference_kind::extra_foreign_key:
      return thing("foreign key") + database + " is in the database but not in the model";
    case difference_kind::missing_check:
      return thing("check constraint") + model + " is missing from the database";
    case difference_kind::extra_check:
      return thing("check constraint") + database + " is in the database but not in the model";
  }
  return at;
}

schema_drift_error::schema_drift_error(std::string message, std::vector<difference> differences)
    : usage_error(std::move(message)), differences_(std::move(differences)) {}

}  // namespace relate::migrations
