// SPDX-License-Identifier: MIT
#include "engine/engine_state.hpp"

#include "engine/logging.hpp"

#include <spdlog/logger.h>

namespace relate::detail {

namespace {

connect_options make_connect_options(const engine_options& options, std::shared_ptr<spdlog::logger> logger) {
  connect_options result;
  result.connect_timeout = options.connect_timeout;
  result.busy_timeout = options.busy_timeout;
  result.statement_timeout = options.statement_timeout;
  result.lock_timeout = options.lock_timeout;
  result.prepared_statements = options.prepared_statements;
  result.logger = std::move(logger);
  return result;
}

// A single-connection database (in-memory SQLite) keeps exactly one: closing
// it would discard the database.
connection_pool::settings pool_settings(const engine_options& options, bool single_connection) {
  return {.pool_size = single_connection ? std::size_t{1} : options.pool_size,
          .max_overflow = single_connection ? std::size_t{0} : options.max_overflow,
          .timeout = options.pool_timeout,
          .recycle = single_connection ? std::chrono::milliseconds{0} : options.pool_recycle,
          .pre_ping = options.pool_pre_ping};
}

}  // namespace

engine_state::engine_state(url target_url, engine_options engine_opts,
                           std::shared_ptr<relate::driver> driver_ptr,
                           std::shared_ptr<engine_hooks> shared_hooks, bool replica)
    : target(std::move(target_url)),
      options(std::move(engine_opts)),
      drv(std::move(driver_ptr)),
      logger(make_sql_logger(options)),
      hooks(shared_hooks ? std::move(shared_hooks) : std::make_shared<engine_hooks>(logger)),
      pool(
          [this, connect = make_connect_options(options, logger)] {
            auto opened = drv->connect(target, connect);
            hooks->notify(&engine_listener::on_connect, *opened);  // a throw discards it
            return opened;
          },
          pool_settings(options, drv->single_connection(target))),
      is_replica(replica) {}

}  // namespace relate::detail
