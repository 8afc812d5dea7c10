// SPDX-License-Identifier: MIT
// The SQLite driver's plugin entry point: everything else is in the driver.
#include "sqlite_driver.hpp"

#include <relate/plugin/export.hpp>

RELATE_DEFINE_PLUGIN(relate::sqlite::sqlite_driver, "sqlite", ::relate::sqlite::driver_version(), "sqlite")
