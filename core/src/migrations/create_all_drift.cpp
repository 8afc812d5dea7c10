// SPDX-License-Identifier: MIT
#include "migrations/create_all_drift.hpp"

#include <relate/migrations/drift.hpp>

#include <spdlog/logger.h>

namespace relate::migrations::detail {

void check_drift(connection& conn, const std::vector<sql::table_def>& model, orm::on_drift mode) {
  if (!conn.dialect().schema_tools()) return;
  std::vector<difference> found;
  for (const auto& t : model) {
    auto reflected = inspect_table(conn, t.schema, t.name);
    if (!reflected) continue;  // create_all is about to create it
    auto diffs = compare_table(conn.dialect(), t, reflected);
    std::move(diffs.begin(), diffs.end(), std::back_inserter(found));
  }
  if (found.empty()) return;
  if (mode == orm::on_drift::error) {
    std::string message = "relate::metadata::create_all: the database differs from the model (" +
                          std::to_string(found.size()) + " difference" + (found.size() > 1 ? "s" : "") +
                          "); a migration changes existing tables:";
    for (const auto& d : found) message += "\n  " + d.describe();
    throw schema_drift_error(std::move(message), std::move(found));
  }
  auto& logger = *conn.get_engine().logger();
  for (const auto& d : found)
    logger.warn(
        "create_all: existing table differs from the model: {} (create_all leaves existing tables "
        "as they are; a migration changes them)",
        d.describe());
}

}  // namespace relate::migrations::detail
