// SPDX-License-Identifier: MIT
#include "engine/engine_hooks.hpp"

#include <spdlog/logger.h>

#include <algorithm>

namespace relate::detail {

std::size_t engine_hooks::add_listener(engine_listener listener) {
  std::lock_guard lock(listeners_mutex_);
  auto next = std::make_shared<listener_list>(*listeners_);
  const auto id = next_listener_id_++;
  next->emplace_back(id, std::move(listener));
  listener_count_.store(next->size(), std::memory_order_release);
  listeners_ = std::move(next);
  return id;
}

void engine_hooks::remove_listener(std::size_t id) {
  std::lock_guard lock(listeners_mutex_);
  auto next = std::make_shared<listener_list>(*listeners_);
  std::erase_if(*next, [id](const auto& entry) { return entry.first == id; });
  listener_count_.store(next->size(), std::memory_order_release);
  listeners_ = std::move(next);
}

std::shared_ptr<const engine_hooks::listener_list> engine_hooks::snapshot() {
  std::lock_guard lock(listeners_mutex_);
  return listeners_;
}

void engine_hooks::report_error(const listener_list& listeners, const execution& e,
                                const std::exception& x) noexcept {
  // The program must get the database's error, not a listener's.
  for (const auto& [id, l] : listeners) {
    if (!l.on_error) continue;
    try {
      l.on_error(e, x);
    } catch (const std::exception& failure) {
      logger_->warn("an on_error listener threw (ignored): {}", failure.what());
    } catch (...) {
      logger_->warn("an on_error listener threw (ignored)");
    }
  }
}

void engine_hooks::notify(std::function<void(native_connection&)> engine_listener::*event,
                          native_connection& conn) {
  if (listener_count_.load(std::memory_order_acquire) == 0) return;
  const auto listeners = snapshot();
  for (const auto& [id, l] : *listeners)
    if (l.*event) (l.*event)(conn);
}

bool engine_hooks::notify_checkin(native_connection& conn) noexcept {
  try {
    notify(&engine_listener::on_checkin, conn);
    return true;
  } catch (const std::exception& failure) {
    logger_->warn("an on_checkin listener threw, closing the connection: {}", failure.what());
  } catch (...) {
    logger_->warn("an on_checkin listener threw, closing the connection");
  }
  return false;
}

}  // namespace relate::detail
