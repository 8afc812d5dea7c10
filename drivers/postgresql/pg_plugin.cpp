// SPDX-License-Identifier: MIT
// The plugin's entry point: postgresql:// and postgres:// URLs load this module.
#include "pg_driver.hpp"

#include <relate/plugin/export.hpp>

RELATE_DEFINE_PLUGIN(relate::postgresql::pg_driver, "postgresql", relate::postgresql::plugin_version(),
                     "postgresql", "postgres")
