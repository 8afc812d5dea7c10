// SPDX-License-Identifier: MIT
// Helpers of the reliability suite: what a database holds, read on a
// connection of its own, so a test can say "every table is intact".
#pragma once

#include "backends.hpp"

#include <relate/engine.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace relate::testing {

/// The names of the tables in the scratch database, exactly as the database
/// spells them (SQLite's own sqlite_* tables left out).
inline std::set<std::string> table_names(scratch_database& db) {
  auto conn = db.engine().connect();
  // The catalogs differ; everything else in this suite is backend-neutral.
  const std::string sql = db.schema().empty()
                              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                "'sqlite\\_%' ESCAPE '\\'"
                              : "SELECT tablename::text FROM pg_catalog.pg_tables WHERE schemaname = "
                                "current_schema()";
  std::set<std::string> names;
  for (const auto& row : conn.execute(sql)) names.insert(row.get<std::string>(0));
  conn.rollback();
  return names;
}

/// SELECT key, value FROM table ORDER BY key, with every identifier quoted
/// by the dialect, on a fresh connection (so only committed rows count).
inline std::vector<std::pair<std::int64_t, std::string>> committed_pairs(engine& e, const std::string& table,
                                                                         const std::string& key,
                                                                         const std::string& value) {
  const auto& d = e.dialect();
  auto conn = e.connect();
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& row :
       conn.execute("SELECT " + d.quote_identifier(key) + ", " + d.quote_identifier(value) + " FROM " +
                    d.quote_identifier(table) + " ORDER BY " + d.quote_identifier(key)))
    out.emplace_back(row.get<std::int64_t>(0), row.get<std::string>(1));
  conn.rollback();
  return out;
}

/// SELECT count(*) FROM table on a fresh connection.
inline std::int64_t committed_count(engine& e, const std::string& table) {
  auto conn = e.connect();
  auto n = conn.execute("SELECT count(*) FROM " + e.dialect().quote_identifier(table)).scalar<std::int64_t>();
  conn.rollback();
  return n.value_or(-1);
}

}  // namespace relate::testing
