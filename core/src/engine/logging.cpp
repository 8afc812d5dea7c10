// SPDX-License-Identifier: MIT
#include "engine/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace relate::detail {

namespace {

// A deleter of a type local to this file keeps the shared_ptr's control block
// (and its vtable and typeinfo) out of librelate's exports; std::make_shared
// would instantiate a class template over spdlog::logger, which spdlog
// declares visible, and export it.
struct delete_logger {
  void operator()(spdlog::logger* logger) const { delete logger; }
};

}  // namespace

std::shared_ptr<spdlog::logger> make_sql_logger(const engine_options& options) {
  if (options.logger) return options.logger;
  if (auto registered = spdlog::get("relate.sql")) return registered;
  // Deliberately not registered: the library must not claim a global name
  // or touch spdlog's default logger on the application's behalf.
  std::shared_ptr<spdlog::logger> logger(
      new spdlog::logger("relate.sql", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()), delete_logger{});
  logger->set_level(options.echo ? spdlog::level::info : spdlog::level::warn);
  return logger;
}

void log_statement(spdlog::logger& logger, bool echo, std::string_view sql, std::span<const value> params) {
  const auto level = echo ? spdlog::level::info : spdlog::level::debug;
  if (!logger.should_log(level)) return;
  if (params.empty()) {
    logger.log(level, "{}", sql);
    return;
  }
  std::string text = "(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) text += ", ";
    text += to_log_string(params[i]);
  }
  text += ')';
  logger.log(level, "{} [parameters: {}]", sql, text);
}

}  // namespace relate::detail
