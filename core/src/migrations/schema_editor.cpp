// SPDX-License-Identifier: MIT
#include "migrations/schema_editor.hpp"

#include <relate/error.hpp>
#include <relate/migrations/drift.hpp>
#include <relate/sql/compiler.hpp>

#include "sql/generated_name.hpp"

#include <algorithm>

namespace relate::migrations::detail {
namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void rename_in(std::vector<std::string>& v, const std::string& from, const std::string& to) {
  std::replace(v.begin(), v.end(), from, to);
}

// The column as the model keeps it: defaults as SQL text, key columns NOT NULL.
sql::column_def model_column(const sql::dialect& d, sql::column_def c) {
  if (c.server_default) {
    c.server_default_sql = d.render_literal(*c.server_default);
    c.server_default.reset();
  }
  if (c.primary_key || c.autoincrement) c.nullable = false;
  return c;
}

// Whether a unique or foreign key matches the one an operation names: by name
// where both have one, else by columns (and target).
bool same_unique(const sql::unique_def& have, const sql::unique_def& named) {
  if (!named.name.empty() && !have.name.empty()) return have.name == named.name;
  return have.columns == named.columns;
}
bool same_foreign_key(const sql::foreign_key_def& have, const sql::foreign_key_def& named) {
  if (!named.name.empty() && !have.name.empty()) return have.name == named.name;
  return have.columns == named.columns && have.ref_table == named.ref_table;
}

}  // namespace

schema_editor::schema_editor(const sql::dialect& d, const database_schema& current)
    : d_(d), tools_(schema_tools(d)) {
  refresh(current);
}

void schema_editor::refresh(const database_schema& current) {
  tables_.clear();
  for (const auto& t : current.tables) tables_[t.def.name] = t;
}

sql::reflected_table& schema_editor::table(const std::string& name) {
  const auto it = tables_.find(name);
  if (it == tables_.end()) throw usage_error("migration: table \"" + name + "\" does not exist");
  return it->second;
}

std::string schema_editor::quoted(const sql::table_def& t) const {
  return (t.schema.empty() ? std::string() : d_.quote_identifier(t.schema) + ".") +
         d_.quote_identifier(t.name);
}

bool schema_editor::may_rebuild(const sql::schema_support& tools, const operation& o) {
  const auto& a = tools.alter();
  return std::visit(overloaded{
                        [&](const op::add_column& x) {
                          return !a.add_column_expression_default &&
                                 (x.column.server_default_sql || x.column.unique || x.column.primary_key ||
                                  (!x.column.nullable && !x.column.server_default));
                        },
                        [&](const op::drop_column&) { return true; },
                        [&](const op::alter_column& x) {
                          return (x.type && !a.alter_column_type) ||
                                 (x.nullable && !a.alter_column_nullability) ||
                                 (x.server_default && !a.alter_column_default);
                        },
                        [&](const op::add_unique&) { return !a.alter_constraints; },
                        [&](const op::drop_unique&) { return !a.alter_constraints; },
                        [&](const op::add_foreign_key&) { return !a.alter_constraints; },
                        [&](const op::drop_foreign_key&) { return !a.alter_constraints; },
                        [&](const op::add_check&) { return !a.alter_constraints; },
                        [&](const op::drop_check&) { return !a.alter_constraints; },
                        [](const auto&) { return false; },
                    },
                    o);
}

std::vector<std::string> schema_editor::rebuild(const sql::reflected_table& before,
                                                const sql::table_def& after,
                                                const std::map<std::string, std::string>& sources) {
  rebuilt_ = true;
  sql::table_def temporary = after;
  temporary.name = sql::detail::fit_generated_name("_relate_rebuild_" + after.name,
                                                   d_.capabilities().max_identifier_length);
  temporary.indexes.clear();
  std::vector<std::string> out = d_.create_table(temporary, false);
  std::string into, from;
  for (const auto& c : after.columns) {
    const auto source = sources.find(c.name);
    if (source == sources.end()) continue;  // a new column: its default fills it
    into += (into.empty() ? "" : ", ") + d_.quote_identifier(c.name);
    from += (from.empty() ? "" : ", ") + d_.quote_identifier(source->second);
  }
  if (!into.empty())
    out.push_back("INSERT INTO " + quoted(temporary) + " (" + into + ") SELECT " + from + " FROM " +
                  quoted(before.def));
  out.push_back("DROP TABLE " + quoted(before.def));
  out.push_back("ALTER TABLE " + quoted(temporary) + " RENAME TO " + d_.quote_identifier(after.name));
  const auto ddl = d_.make_ddl_compiler();
  for (const auto& i : after.indexes) out.push_back(ddl->create_index_on(after, i));
  for (const auto& trigger : before.triggers) out.push_back(trigger);
  return out;
}

// Rebuild with every column of `after` coming from the column of the same name.
std::vector<std::string> schema_editor::rebuild(sql::reflected_table& t, sql::table_def after) {
  std::map<std::string, std::string> sources;
  for (const auto& c : after.columns)
    if (t.def.find_column(c.name)) sources[c.name] = c.name;
  auto out = rebuild(t, after, sources);
  t.def = std::move(after);
  return out;
}

std::vector<std::string> schema_editor::apply(const operation& o) {
  const auto& caps = tools_.alter();
  const auto ddl = d_.make_ddl_compiler();
  auto alter = [&](const sql::table_def& t) { return "ALTER TABLE " + quoted(t) + " "; };
  return std::visit(
      overloaded{
          [&](const op::create_table& x) -> std::vector<std::string> {
            if (tables_.count(x.table.name))
              throw usage_error("migration: table \"" + x.table.name + "\" exists already");
            auto out = d_.create_table(x.table, false);
            sql::reflected_table t;
            t.def = normalized_model_table(d_, x.table);
            tables_[x.table.name] = std::move(t);
            return out;
          },
          [&](const op::drop_table& x) -> std::vector<std::string> {
            const auto def = table(x.table).def;
            tables_.erase(x.table);
            return {"DROP TABLE " + quoted(def)};
          },
          [&](const op::rename_table& x) -> std::vector<std::string> {
            auto t = table(x.table);
            const auto statement = alter(t.def) + "RENAME TO " + d_.quote_identifier(x.new_name);
            tables_.erase(x.table);
            t.def.name = x.new_name;
            tables_[x.new_name] = std::move(t);
            for (auto& [n, other] : tables_)
              for (auto& fk : other.def.foreign_keys)
                if (fk.ref_table == x.table) fk.ref_table = x.new_name;
            return {statement};
          },
          [&](const op::add_column& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            if (t.def.find_column(x.column.name))
              throw usage_error("migration: column \"" + x.table + "." + x.column.name + "\" exists already");
            auto column = model_column(d_, x.column);
            if (may_rebuild(tools_, o)) {
              auto after = t.def;
              after.columns.push_back(column);
              if (column.unique) {
                after.uniques.push_back({{}, {column.name}});
                after.columns.back().unique = false;
              }
              return rebuild(t, std::move(after));
            }
            auto statement = ddl->add_column(t.def, x.column);
            t.def.columns.push_back(column);
            if (column.unique) {
              t.def.uniques.push_back({{}, {column.name}});
              t.def.columns.back().unique = false;
            }
            return {statement};
          },
          [&](const op::drop_column& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            if (!t.def.find_column(x.column))
              throw usage_error("migration: column \"" + x.table + "." + x.column + "\" does not exist");
            auto after = t.def;
            std::erase_if(after.columns, [&](const sql::column_def& c) { return c.name == x.column; });
            std::erase_if(after.indexes,
                          [&](const sql::index_def& i) { return contains(i.columns, x.column); });
            std::erase_if(after.uniques,
                          [&](const sql::unique_def& u) { return contains(u.columns, x.column); });
            std::erase_if(after.foreign_keys,
                          [&](const sql::foreign_key_def& f) { return contains(f.columns, x.column); });
            const bool used = contains(t.def.primary_key, x.column) ||
                              after.indexes.size() != t.def.indexes.size() ||
                              after.uniques.size() != t.def.uniques.size() ||
                              after.foreign_keys.size() != t.def.foreign_keys.size();
            if (caps.drop_column && (!used || caps.alter_constraints)) {
              auto statement = alter(t.def) + "DROP COLUMN " + d_.quote_identifier(x.column);
              t.def = std::move(after);
              return {statement};
            }
            return rebuild(t, std::move(after));
          },
          [&](const op::alter_column& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            const auto* current = t.def.find_column(x.column);
            if (!current)
              throw usage_error("migration: column \"" + x.table + "." + x.column + "\" does not exist");
            auto after = t.def;
            auto& c = *std::find_if(after.columns.begin(), after.columns.end(),
                                    [&](const sql::column_def& k) { return k.name == x.column; });
            if (x.type) c.type = *x.type;
            if (x.nullable) c.nullable = *x.nullable;
            if (x.server_default) {
              c.server_default_sql = x.server_default->value
                                         ? std::optional(d_.render_literal(*x.server_default->value))
                                         : x.server_default->sql;
            }
            const std::string final_name = x.new_name.value_or(x.column);
            if (x.new_name) {
              c.name = *x.new_name;
              rename_in(after.primary_key, x.column, c.name);
              for (auto& i : after.indexes) rename_in(i.columns, x.column, c.name);
              for (auto& u : after.uniques) rename_in(u.columns, x.column, c.name);
              for (auto& f : after.foreign_keys) rename_in(f.columns, x.column, c.name);
            }
            if (may_rebuild(tools_, o)) {
              std::map<std::string, std::string> sources;
              for (const auto& k : after.columns) sources[k.name] = k.name == final_name ? x.column : k.name;
              auto out = rebuild(t, after, sources);
              t.def = std::move(after);
              return out;
            }
            std::vector<std::string> out;
            const auto column = d_.quote_identifier(x.column);
            if (x.type)
              out.push_back(alter(t.def) + "ALTER COLUMN " + column + " TYPE " + d_.type_name(*x.type));
            if (x.nullable)
              out.push_back(alter(t.def) + "ALTER COLUMN " + column +
                            (*x.nullable ? " DROP NOT NULL" : " SET NOT NULL"));
            if (x.server_default) {
              out.push_back(
                  alter(t.def) + "ALTER COLUMN " + column +
                  (c.server_default_sql ? " SET DEFAULT " + *c.server_default_sql : " DROP DEFAULT"));
            }
            if (x.new_name)
              out.push_back(alter(t.def) + "RENAME COLUMN " + column + " TO " +
                            d_.quote_identifier(*x.new_name));
            t.def = std::move(after);
            return out;
          },
          [&](const op::create_index& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            auto statement = ddl->create_index_on(t.def, x.index);
            t.def.indexes.push_back(x.index);
            return {statement};
          },
          [&](const op::drop_index& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            std::erase_if(t.def.indexes, [&](const sql::index_def& i) { return i.name == x.name; });
            return {"DROP INDEX " +
                    (t.def.schema.empty() ? std::string() : d_.quote_identifier(t.def.schema) + ".") +
                    d_.quote_identifier(x.name)};
          },
          [&](const op::add_unique& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            if (!caps.alter_constraints) {
              auto after = t.def;
              after.uniques.push_back(x.unique);
              return rebuild(t, std::move(after));
            }
            t.def.uniques.push_back(x.unique);
            std::string cols;
            for (const auto& c : x.unique.columns)
              cols += (cols.empty() ? "" : ", ") + d_.quote_identifier(c);
            return {alter(t.def) + "ADD " +
                    (x.unique.name.empty() ? "" : "CONSTRAINT " + d_.quote_identifier(x.unique.name) + " ") +
                    "UNIQUE (" + cols + ")"};
          },
          [&](const op::drop_unique& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            const auto found =
                std::find_if(t.def.uniques.begin(), t.def.uniques.end(),
                             [&](const sql::unique_def& u) { return same_unique(u, x.unique); });
            if (found == t.def.uniques.end())
              throw usage_error("migration: table \"" + x.table + "\" has no such unique constraint");
            const auto name = found->name;
            auto after = t.def;
            after.uniques.erase(after.uniques.begin() + (found - t.def.uniques.begin()));
            if (!caps.alter_constraints) return rebuild(t, std::move(after));
            t.def = std::move(after);
            return {alter(t.def) + "DROP CONSTRAINT " + d_.quote_identifier(name)};
          },
          [&](const op::add_foreign_key& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            auto fk = x.foreign_key;
            if (!caps.alter_constraints) {
              auto after = t.def;
              after.foreign_keys.push_back(fk);
              return rebuild(t, std::move(after));
            }
            if (fk.name.empty()) {
              fk.name = t.def.name;
              for (const auto& c : fk.columns) fk.name += "_" + c;
              fk.name =
                  sql::detail::fit_generated_name(fk.name + "_fkey", d_.capabilities().max_identifier_length);
            }
            t.def.foreign_keys.push_back(fk);
            return {d_.add_foreign_key(t.def, fk)};
          },
          [&](const op::drop_foreign_key& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            const auto found = std::find_if(
                t.def.foreign_keys.begin(), t.def.foreign_keys.end(),
                [&](const sql::foreign_key_def& f) { return same_foreign_key(f, x.foreign_key); });
            if (found == t.def.foreign_keys.end())
              throw usage_error("migration: table \"" + x.table + "\" has no such foreign key");
            const auto name = found->name;
            auto after = t.def;
            after.foreign_keys.erase(after.foreign_keys.begin() + (found - t.def.foreign_keys.begin()));
            if (!caps.alter_constraints) return rebuild(t, std::move(after));
            t.def = std::move(after);
            return {d_.drop_foreign_key(t.def, name, false)};
          },
          [&](const op::add_check& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            if (!caps.alter_constraints) {
              auto after = t.def;
              after.checks.push_back(x.check);
              return rebuild(t, std::move(after));
            }
            t.def.checks.push_back(x.check);
            return {alter(t.def) + "ADD CONSTRAINT " + d_.quote_identifier(x.check.name) + " CHECK (" +
                    x.check.expression + ")"};
          },
          [&](const op::drop_check& x) -> std::vector<std::string> {
            auto& t = table(x.table);
            auto after = t.def;
            std::erase_if(after.checks, [&](const sql::check_def& c) { return c.name == x.name; });
            if (!caps.alter_constraints) return rebuild(t, std::move(after));
            t.def = std::move(after);
            return {alter(t.def) + "DROP CONSTRAINT " + d_.quote_identifier(x.name)};
          },
          [&](const op::execute_sql& x) -> std::vector<std::string> {
            if (!x.only_on.empty() && x.only_on != d_.name()) return {};
            return {x.sql};
          },
          [&](const op::call&) -> std::vector<std::string> { return {}; },
      },
      o);
}

}  // namespace relate::migrations::detail
