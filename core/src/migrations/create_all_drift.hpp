// SPDX-License-Identifier: MIT
// create_all's first hint that a table it would leave alone is out of date.
#pragma once

#include <relate/engine.hpp>
#include <relate/orm/metadata.hpp>
#include <relate/sql/schema.hpp>

#include <vector>

namespace relate::migrations::detail {

/// Compares the tables of `model` that exist in the database with their
/// definitions: a warning per difference on the engine's logger, or (error)
/// one schema_drift_error listing them all.  Does nothing where the driver
/// offers no inspection.
void check_drift(connection& conn, const std::vector<sql::table_def>& model, orm::on_drift mode);

}  // namespace relate::migrations::detail
