// SPDX-License-Identifier: MIT
// Registration checks, foreign-key ordering and DDL for a metadata.
#include <relate/orm/metadata.hpp>

#include <relate/sql/nodes.hpp>
#include "migrations/create_all_drift.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

namespace relate::orm {

namespace {

// ---- two mappings of one table ------------------------------------------------

std::string type_text(const sql::sql_type& t) {
  std::string s(sql::to_string(t.kind));
  if (t.length) s += "(" + std::to_string(t.length) + ")";
  if (t.precision) s += "(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
  return s;
}

std::string column_text(const sql::column_def& c) {
  std::string s = type_text(c.type) + (c.nullable ? " null" : " not null");
  if (c.primary_key) s += " primary key";
  if (c.autoincrement) s += " autoincrement";
  if (c.unique) s += " unique";
  if (c.server_default) s += " default " + to_log_string(*c.server_default);
  if (c.server_default_sql) s += " default_sql '" + *c.server_default_sql + "'";
  return s;
}

bool same_column(const sql::column_def& a, const sql::column_def& b) {
  return a.type == b.type && a.nullable == b.nullable && a.primary_key == b.primary_key &&
         a.autoincrement == b.autoincrement && a.unique == b.unique && a.server_default == b.server_default &&
         a.server_default_sql == b.server_default_sql;
}

// Constraints compared as sets: the order they are declared in does not
// change the table.
template <class T, class Key>
bool same_set(const std::vector<T>& a, const std::vector<T>& b, Key key) {
  std::multiset<decltype(key(std::declval<const T&>()))> x, y;
  for (const auto& e : a) x.insert(key(e));
  for (const auto& e : b) y.insert(key(e));
  return x == y;
}

/// How a second mapping's table differs from the first's, or empty when
/// they describe one table (columns in any order).
std::string table_difference(const sql::table_def& first, const std::string& first_type,
                             const sql::table_def& second, const std::string& second_type) {
  if (first.schema != second.schema)
    return "schema \"" + first.schema + "\" in " + first_type + ", \"" + second.schema + "\" in " +
           second_type;
  for (const auto& c : first.columns) {
    const sql::column_def* other = second.find_column(c.name);
    if (!other) return "column \"" + c.name + "\" is mapped by " + first_type + " only";
    if (!same_column(c, *other))
      return "column \"" + c.name + "\" differs: " + column_text(c) + " in " + first_type + ", " +
             column_text(*other) + " in " + second_type;
  }
  for (const auto& c : second.columns)
    if (!first.find_column(c.name)) return "column \"" + c.name + "\" is mapped by " + second_type + " only";
  if (first.primary_key != second.primary_key) return "their primary keys differ";
  const auto fk = [](const sql::foreign_key_def& k) {
    return std::make_tuple(k.name, k.columns, k.ref_table, k.ref_columns, k.on_delete, k.on_update);
  };
  if (!same_set(first.foreign_keys, second.foreign_keys, fk)) return "their foreign keys differ";
  const auto uq = [](const sql::unique_def& u) { return std::make_tuple(u.name, u.columns); };
  if (!same_set(first.uniques, second.uniques, uq)) return "their unique constraints differ";
  const auto ix = [](const sql::index_def& i) { return std::make_tuple(i.name, i.columns, i.unique); };
  if (!same_set(first.indexes, second.indexes, ix)) return "their indexes differ";
  const auto ck = [](const sql::check_def& c) { return std::make_tuple(c.name, c.expression); };
  if (!same_set(first.checks, second.checks, ck)) return "their check constraints differ";
  return {};
}

}  // namespace

metadata& metadata::add(const mapper& m) {
  for (const mapper* existing : mappers_) {
    if (existing == &m) return *this;
  }
  for (const mapper* existing : mappers_) {
    if (existing->table_name() != m.table_name()) continue;
    // A second mapping of a table (other relationships or cascades) is
    // welcome when it describes the same table: create_all makes it once.
    const auto why = table_difference(existing->table_definition(), existing->type_name(),
                                      m.table_definition(), m.type_name());
    if (!why.empty())
      throw usage_error("relate::metadata: " + existing->type_name() + " and " + m.type_name() +
                        " both map table \"" + m.table_name() + "\", but " + why +
                        "; two mappings of one table must declare it alike");
    break;
  }
  // Relationships are resolved now, so a mapping mistake surfaces at
  // registration rather than at the first flush or query.
  (void)m.relationships();
  mappers_.push_back(&m);
  return *this;
}

namespace {

using parent_sets = std::map<const mapper*, std::set<const mapper*>>;

/// The enumeration types the tables' columns use (of arrays too), each once,
/// where the database has enum types; none elsewhere (a CHECK stands in).
std::vector<const sql::enum_type*> enum_types_of(const sql::dialect& d,
                                                 const std::vector<sql::table_def>& defs) {
  std::vector<const sql::enum_type*> out;
  if (!d.capabilities().native_enums) return out;
  for (const auto& def : defs)
    for (const auto& c : def.columns) {
      const auto* e = c.type.enumeration;
      const bool enumeration =
          c.type.kind == sql::type_kind::enumeration ||
          (c.type.kind == sql::type_kind::array && c.type.element == sql::type_kind::enumeration);
      if (!enumeration || !e) continue;
      auto same_name =
          std::find_if(out.begin(), out.end(), [&](const sql::enum_type* x) { return x->name == e->name; });
      if (same_name == out.end())
        out.push_back(e);
      else if (**same_name != *e)
        throw usage_error("relate::metadata: two enumerations are both the database type \"" + e->name +
                          "\" with different labels; give one its own type name");
    }
  return out;
}

// Whether `to` is reachable from `from` along child -> parent edges between
// tables not created yet.
bool reaches(const parent_sets& parents, const std::set<const mapper*>& done, const mapper* from,
             const mapper* to) {
  std::vector<const mapper*> stack{from};
  std::set<const mapper*> seen;
  while (!stack.empty()) {
    const mapper* m = stack.back();
    stack.pop_back();
    for (const mapper* p : parents.at(m)) {
      if (p == to) return true;
      if (!done.count(p) && seen.insert(p).second) stack.push_back(p);
    }
  }
  return false;
}

// The name of a foreign key added by ALTER TABLE: the mapping's, else
// PostgreSQL's convention for the keys it names itself.
std::string cycle_key_name(const sql::table_def& table, const sql::foreign_key_def& fk, std::size_t limit) {
  if (!fk.name.empty()) return fk.name;
  std::string name = table.name;
  for (const auto& c : fk.columns) name += "_" + c;
  return sql::generated_name(name + "_fkey", limit);
}

}  // namespace

std::vector<const mapper*> metadata::table_owners() const {
  std::vector<const mapper*> out;
  for (const mapper* m : mappers_)
    if (std::none_of(out.begin(), out.end(),
                     [&](const mapper* o) { return o->table_name() == m->table_name(); }))
      out.push_back(m);
  return out;
}

metadata::plan metadata::creation_plan() const {
  // One table, one entry: the first mapper registered for it stands for it.
  const auto owners = table_owners();
  std::map<std::string, const mapper*, std::less<>> by_table;
  for (const mapper* m : owners) by_table.emplace(m->table_name(), m);

  // Edges child -> parent, checked against the registered tables; the target
  // of each foreign key kept to find the keys that close a cycle.
  parent_sets parents;
  std::map<const mapper*, std::vector<const mapper*>> key_targets;
  for (const mapper* m : owners) {
    auto def = m->table_definition();
    auto& p = parents[m];
    for (const auto& fk : def.foreign_keys) {
      auto it = by_table.find(fk.ref_table);
      if (it == by_table.end())
        throw usage_error("relate::metadata: " + m->type_name() + " (table \"" + m->table_name() +
                          "\") has a foreign key to table \"" + fk.ref_table +
                          "\", which is not registered in this metadata (add its model first)");
      for (const auto& col : fk.ref_columns)
        if (it->second->find_column(col) == mapper::npos)
          throw usage_error("relate::metadata: " + m->type_name() + " has a foreign key to \"" +
                            fk.ref_table + "." + col + "\", which is not a mapped column");
      if (it->second != m) p.insert(it->second);
      key_targets[m].push_back(it->second);
    }
  }

  // Kahn's algorithm, taking ready tables in registration order so the
  // result is deterministic.  When no table is ready, the first one on a
  // cycle stops waiting for the tables of its cycle: those keys are created
  // after the tables.
  plan out;
  std::map<const mapper*, std::set<const mapper*>> deferred;  // per table: targets it no longer waits for
  std::set<const mapper*> done;
  while (out.order.size() < owners.size()) {
    bool progressed = false;
    for (const mapper* m : owners) {
      if (done.count(m)) continue;
      const auto& p = parents[m];
      if (std::all_of(p.begin(), p.end(), [&](const mapper* x) { return done.count(x) > 0; })) {
        out.order.push_back(m);
        done.insert(m);
        progressed = true;
      }
    }
    if (progressed) continue;
    for (const mapper* m : owners) {
      if (done.count(m) || !reaches(parents, done, m, m)) continue;
      auto& p = parents[m];
      for (auto it = p.begin(); it != p.end();) {
        if (!done.count(*it) && reaches(parents, done, *it, m)) {
          deferred[m].insert(*it);
          it = p.erase(it);
        } else {
          ++it;
        }
      }
      break;
    }
  }

  for (std::size_t t = 0; t < out.order.size(); ++t) {
    const auto found = deferred.find(out.order[t]);
    if (found == deferred.end()) continue;
    const auto& targets = key_targets[out.order[t]];
    for (std::size_t k = 0; k < targets.size(); ++k)
      if (found->second.count(targets[k])) out.cycle_keys.push_back({t, k});
  }
  return out;
}

std::vector<const mapper*> metadata::sorted_mappers() const {
  std::vector<const mapper*> out;
  for (const mapper* owner : creation_plan().order)
    for (const mapper* m : mappers_)
      if (m->table_name() == owner->table_name()) out.push_back(m);
  return out;
}

std::vector<sql::table_def> metadata::tables() const { return definitions(creation_plan()); }

std::vector<metadata::cycle_key> metadata::cycle_keys() const { return creation_plan().cycle_keys; }

std::vector<sql::table_def> metadata::definitions(const plan& p) {
  std::vector<sql::table_def> out;
  for (const mapper* m : p.order) out.push_back(m->table_definition());
  return out;
}

void metadata::create_all(const engine& e, bool checkfirst) const {
  create_all(e, create_options{.checkfirst = checkfirst});
}

void metadata::create_all(const engine& e, const create_options& options) const {
  const bool checkfirst = options.checkfirst;
  const auto planned = creation_plan();
  const auto& cycles = planned.cycle_keys;
  auto defs = definitions(planned);
  auto conn = e.connect();
  const auto& d = e.dialect();
  const bool alter = d.capabilities().alter_foreign_keys;
  const std::size_t name_limit = d.capabilities().max_identifier_length;
  if (checkfirst && options.drift != on_drift::ignore)
    migrations::detail::check_drift(conn, defs, options.drift);

  // The keys that wait for every table, named; removed from their CREATE TABLE.
  std::vector<std::pair<std::size_t, sql::foreign_key_def>> later;
  if (alter) {
    for (const auto& k : cycles) {
      auto fk = defs[k.table].foreign_keys[k.key];
      fk.name = cycle_key_name(defs[k.table], fk, name_limit);
      later.emplace_back(k.table, std::move(fk));
    }
    for (auto it = cycles.rbegin(); it != cycles.rend(); ++it) {
      auto& keys = defs[it->table].foreign_keys;
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(it->key));
    }
  }

  // The enumeration types the tables use, before the tables.
  for (const auto* type : enum_types_of(d, defs)) {
    if (checkfirst) {
      if (auto exists = d.enum_type_exists(*type))
        if (conn.execute(exists->sql, exists->params).scalar<std::int64_t>().value_or(0) != 0) continue;
    }
    conn.execute(d.create_enum_type(*type));
  }
  for (const auto& def : defs) {
    for (const auto& statement : d.create_table(def, checkfirst)) conn.execute(statement);
    // Without transactional DDL each table stands on its own.
    if (!d.capabilities().transactional_ddl) conn.commit();
  }
  for (const auto& [table, fk] : later) {
    if (checkfirst) {
      // A table that existed already has the key from an earlier run.
      if (auto exists = d.foreign_key_exists(defs[table], fk.name)) {
        if (conn.execute(exists->sql, exists->params).scalar<std::int64_t>().value_or(0) != 0) continue;
      }
    }
    conn.execute(d.add_foreign_key(defs[table], fk));
    if (!d.capabilities().transactional_ddl) conn.commit();
  }
  conn.commit();
}

void metadata::drop_all(const engine& e, bool checkfirst) const {
  const auto planned = creation_plan();
  const auto& cycles = planned.cycle_keys;
  const auto defs = definitions(planned);
  auto conn = e.connect();
  const auto& d = e.dialect();
  if (!cycles.empty()) {
    if (d.capabilities().alter_foreign_keys) {
      for (const auto& k : cycles) {
        const auto& def = defs[k.table];
        const auto name =
            cycle_key_name(def, def.foreign_keys[k.key], d.capabilities().max_identifier_length);
        conn.execute(d.drop_foreign_key(def, name, checkfirst));
      }
    } else if (auto defer = d.defer_foreign_key_checks()) {
      conn.execute(*defer);
    }
  }
  for (auto it = defs.rbegin(); it != defs.rend(); ++it) {
    for (const auto& statement : d.drop_table(*it, checkfirst)) conn.execute(statement);
    if (!d.capabilities().transactional_ddl) conn.commit();
  }
  // The enumeration types after the tables, but not one another table still uses.
  for (const auto* type : enum_types_of(d, defs)) {
    if (auto users = d.enum_type_users(*type))
      if (conn.execute(users->sql, users->params).scalar<std::int64_t>().value_or(0) != 0) continue;
    conn.execute(d.drop_enum_type(*type, checkfirst));
  }
  conn.commit();
}

}  // namespace relate::orm
