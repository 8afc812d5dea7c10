// SPDX-License-Identifier: MIT
#include "engine/engine_state.hpp"

#include "engine/logging.hpp"

#include <spdlog/logger.h>

#include <algorithm>

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
                           std::shared_ptr<relate::driver> driver_ptr)
    : target(std::move(target_url)),
      options(std::move(engine_opts)),
      drv(std::move(driver_ptr)),
      logger(make_sql_logger(options)),
      pool(
          [this, connect = make_connect_options(options, logger)] {
            auto opened = drv->connect(target, connect);
            notify(&engine_listener::on_connect, *opened);  // a throw discards it
            return opened;
          },
          pool_settings(options, drv->single_connection(target))) {}

std::size_t engine_state::add_listener(engine_listener listener) {
  std::lock_guard lock(listeners_mutex_);
  auto next = std::make_shared<listener_list>(*listeners_);
  const auto id = next_listener_id_++;
  next->emplace_back(id, std::move(listener));
  listener_count_.store(next->size(), std::memory_order_release);
  listeners_ = std::move(next);
  return id;
}

void engine_state::remove_listener(std::size_t id) {
  std::lock_guard lock(listeners_mutex_);
  auto next = std::make_shared<listener_list>(*listeners_);
  std::erase_if(*next, [id](const auto& entry) { return entry.first == id; });
  listener_count_.store(next->size(), std::memory_order_release);
  listeners_ = std::move(next);
}

std::shared_ptr<const engine_state::listener_list> engine_state::snapshot() {
  std::lock_guard lock(listeners_mutex_);
  return listeners_;
}

void engine_state::report_error(const listener_list& listeners, const execution& e,
                                const std::exception& x) noexcept {
  // The program must get the database's error, not a listener's.
  for (const auto& [id, l] : listeners) {
    if (!l.on_error) continue;
    try {
      l.on_error(e, x);
    } catch (const std::exception& failure) {
      logger->warn("an on_error listener threw (ignored): {}", failure.what());
    } catch (...) {
      logger->warn("an on_error listener threw (ignored)");
    }
  }
}

void engine_state::notify(std::function<void(native_connection&)> engine_listener::*event,
                          native_connection& conn) {
  if (listener_count_.load(std::memory_order_acquire) == 0) return;
  const auto listeners = snapshot();
  for (const auto& [id, l] : *listeners)
    if (l.*event) (l.*event)(conn);
}

bool engine_state::notify_checkin(native_connection& conn) noexcept {
  try {
    notify(&engine_listener::on_checkin, conn);
    return true;
  } catch (const std::exception& failure) {
    logger->warn("an on_checkin listener threw, closing the connection: {}", failure.what());
  } catch (...) {
    logger->warn("an on_checkin listener threw, closing the connection");
  }
  return false;
}

}  // namespace relate::detail
