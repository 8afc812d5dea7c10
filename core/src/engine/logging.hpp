// SPDX-License-Identifier: MIT
// The "relate.sql" logger and how statements are written to it.
#pragma once

#include <relate/engine.hpp>

#include <spdlog/logger.h>

#include <memory>
#include <span>
#include <string_view>

namespace relate::detail {

/// options.logger, else the application's registered "relate.sql" logger,
/// else a new, unregistered stderr logger (info with echo, warn without, so a
/// user's console stays quiet unless asked).
std::shared_ptr<spdlog::logger> make_sql_logger(const engine_options& options);

/// Logs a statement and its parameters: info with echo, debug without.
void log_statement(spdlog::logger& logger, bool echo, std::string_view sql, std::span<const value> params);

}  // namespace relate::detail
