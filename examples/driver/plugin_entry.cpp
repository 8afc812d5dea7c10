// SPDX-License-Identifier: MIT
// The plugin's one exported symbol: relate's loader finds this file as
// librelate_driver_logging.so for logging:// URLs and calls it.
#include "logging_driver.hpp"

#include <relate/plugin/export.hpp>

RELATE_DEFINE_PLUGIN(logging_driver::logging_driver, "logging", "1.0 (wraps the SQLite driver)", "logging")
