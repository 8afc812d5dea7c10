// SPDX-License-Identifier: MIT
// An engine's listeners and statement count.  Shared by a primary and the
// engines of its replicas, so a listener added to the engine an application
// holds sees every statement, wherever it ran.
#pragma once

#include <relate/engine.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace relate::detail {

class engine_hooks {
 public:
  explicit engine_hooks(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

  std::atomic<std::uint64_t> statements{0};

  std::size_t add_listener(engine_listener listener);
  void remove_listener(std::size_t id);

  /// Runs one execution (run() returns what the driver gave), counts its
  /// parameter sets as statements when it succeeded, and tells the
  /// listeners before, after, or on error.
  template <class Run>
  auto execute(execution e, Run&& run) -> decltype(run());
  /// Calls one connection callback of every listener that has it.
  void notify(std::function<void(native_connection&)> engine_listener::*event, native_connection& conn);
  /// The same for on_checkin, where nothing may throw: false when a listener
  /// threw (logged; the connection must not be reused).
  bool notify_checkin(native_connection& conn) noexcept;

 private:
  using listener_list = std::vector<std::pair<std::size_t, engine_listener>>;
  std::shared_ptr<const listener_list> snapshot();
  void report_error(const listener_list& listeners, const execution& e, const std::exception& x) noexcept;

  std::shared_ptr<spdlog::logger> logger_;
  std::mutex listeners_mutex_;
  // Copy-on-write, so an execution only copies a pointer under the lock.
  std::shared_ptr<const listener_list> listeners_ = std::make_shared<listener_list>();
  // listeners_->size(), readable without the lock: with no listener (the
  // usual case) an execution takes no lock and touches no shared count.
  std::atomic<std::size_t> listener_count_{0};
  std::size_t next_listener_id_ = 1;
};

template <class Run>
auto engine_hooks::execute(execution e, Run&& run) -> decltype(run()) {
  const auto sets = e.parameter_sets();
  if (listener_count_.load(std::memory_order_acquire) == 0) {
    auto out = run();
    statements.fetch_add(sets, std::memory_order_relaxed);
    return out;
  }
  const auto listeners = snapshot();
  for (const auto& [id, l] : *listeners)
    if (l.before_execute) l.before_execute(e);
  const auto start = std::chrono::steady_clock::now();
  std::optional<decltype(run())> out;
  try {
    out.emplace(run());
  } catch (const std::exception& x) {
    e.elapsed = std::chrono::steady_clock::now() - start;
    report_error(*listeners, e, x);
    throw;
  }
  e.elapsed = std::chrono::steady_clock::now() - start;
  statements.fetch_add(sets, std::memory_order_relaxed);
  for (const auto& [id, l] : *listeners)
    if (l.after_execute) l.after_execute(e);
  return std::move(*out);
}

}  // namespace relate::detail
