// SPDX-License-Identifier: MIT
// Opens another driver plugin by file name and creates its driver, with the
// same checks relate's own loader makes (entry symbol, plugin ABI version,
// C++ library ABI) before any C++ object crosses over.
#pragma once

#include <relate/driver/driver.hpp>

#include <memory>
#include <string>

namespace logging_driver {

/// The driver of the plugin file at `path`.  Throws relate::plugin_error.
/// The file stays loaded for the life of the process: the driver's
/// connections and cursors run its code.
std::unique_ptr<relate::driver> open_wrapped_driver(const std::string& path);

}  // namespace logging_driver
