// Registration checks, foreign-key ordering and DDL for a metadata.
#include <relate/orm/metadata.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace relate::orm {

metadata& metadata::add(const mapper& m) {
  for (const mapper* existing : mappers_) {
    if (existing == &m) return *this;
    if (existing->table_name() == m.table_name())
      throw usage_error("relate::metadata: table \"" + m.table_name() + "\" is mapped by both " +
                        existing->type_name() + " and " + m.type_name());
  }
  // Relationships are resolved now, so a mapping mistake surfaces at
  // registration rather than at the first flush or query.
  (void)m.relationships();
  mappers_.push_back(&m);
  return *this;
}

std::vector<const mapper*> metadata::sorted_mappers() const {
  std::map<std::string, const mapper*, std::less<>> by_table;
  for (const mapper* m : mappers_) by_table.emplace(m->table_name(), m);

  // Edges child -> parent, checked against the registered tables.
  std::map<const mapper*, std::set<const mapper*>> parents;
  for (const mapper* m : mappers_) {
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
    }
  }

  // Kahn's algorithm, taking ready tables in registration order so the
  // result is deterministic.
  std::vector<const mapper*> out;
  std::set<const mapper*> done;
  while (out.size() < mappers_.size()) {
    bool progressed = false;
    for (const mapper* m : mappers_) {
      if (done.count(m)) continue;
      const auto& p = parents[m];
      if (std::all_of(p.begin(), p.end(), [&](const mapper* x) { return done.count(x) > 0; })) {
        out.push_back(m);
        done.insert(m);
        progressed = true;
      }
    }
    if (!progressed) {
      std::string names;
      for (const mapper* m : mappers_)
        if (!done.count(m)) names += (names.empty() ? "\"" : ", \"") + m->table_name() + "\"";
      throw usage_error("relate::metadata: the foreign keys between tables " + names +
                        " form a cycle; relate cannot order their creation");
    }
  }
  return out;
}

std::vector<sql::table_def> metadata::tables() const {
  std::vector<sql::table_def> out;
  for (const mapper* m : sorted_mappers()) out.push_back(m->table_definition());
  return out;
}

void metadata::create_all(const engine& e, bool checkfirst) const {
  auto defs = tables();
  auto conn = e.connect();
  const auto& d = e.dialect();
  for (const auto& def : defs) {
    for (const auto& statement : d.create_table(def, checkfirst)) conn.execute(statement);
    // Without transactional DDL each table stands on its own.
    if (!d.capabilities().transactional_ddl) conn.commit();
  }
  conn.commit();
}

void metadata::drop_all(const engine& e, bool checkfirst) const {
  auto defs = tables();
  auto conn = e.connect();
  const auto& d = e.dialect();
  for (auto it = defs.rbegin(); it != defs.rend(); ++it) {
    for (const auto& statement : d.drop_table(*it, checkfirst)) conn.execute(statement);
    if (!d.capabilities().transactional_ddl) conn.commit();
  }
  conn.commit();
}

}  // namespace relate::orm
