// SPDX-License-Identifier: MIT
// What an engine handle shares (driver, pool, logger, listeners) and what a
// connection handle shares with its results and transaction guards.
#pragma once

#include <relate/engine.hpp>

#include "engine/connection_pool.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relate::detail {

class engine_state {
 public:
  engine_state(url target, engine_options options, std::shared_ptr<relate::driver> drv);

  const url target;
  const engine_options options;
  const std::shared_ptr<relate::driver> drv;
  const std::shared_ptr<spdlog::logger> logger;
  connection_pool pool;
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

  std::mutex listeners_mutex_;
  // Copy-on-write, so an execution only copies a pointer under the lock.
  std::shared_ptr<const listener_list> listeners_ = std::make_shared<listener_list>();
  // listeners_->size(), readable without the lock: with no listener (the
  // usual case) an execution takes no lock and touches no shared count.
  std::atomic<std::size_t> listener_count_{0};
  std::size_t next_listener_id_ = 1;
};

template <class Run>
auto engine_state::execute(execution e, Run&& run) -> decltype(run()) {
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

/// A native connection checked out of the pool, with its transaction state.
/// Shared by the connection handle, its results and its transaction guards;
/// goes back to the pool (rolled back first) when the last of them is gone.
class pooled_connection {
 public:
  pooled_connection(relate::engine owner, std::shared_ptr<engine_state> state, connection_pool::lease native);
  ~pooled_connection();
  pooled_connection(const pooled_connection&) = delete;
  pooled_connection& operator=(const pooled_connection&) = delete;

  /// Runs a statement: begins a transaction first if none is open, logs it,
  /// counts it and tells the listeners.
  std::unique_ptr<native_cursor> run(std::string_view sql, std::span<const value> params, fetch_mode mode);
  /// The same for one statement and many parameter sets (native execute_batch):
  /// each set is logged and counted as a statement.
  std::vector<std::int64_t> run_batch(std::string_view sql, std::span<const std::vector<value>> param_sets);

  void begin(bool implicit);
  void commit();
  void rollback();
  bool in_transaction() const noexcept { return in_transaction_; }
  void set_transaction_options(const transaction_options& options);
  const transaction_options& get_transaction_options() const noexcept { return tx_options_; }
  /// Counts the transactions begun, so a guard can tell its own from a later one.
  std::uint64_t generation() const noexcept { return generation_; }

  /// Savepoints: open_savepoint() makes one with a fresh name.
  std::string open_savepoint();
  void release_savepoint(const std::string& name);
  void rollback_to_savepoint(const std::string& name);
  bool has_savepoint(const std::string& name) const;

  const relate::engine& owner() const noexcept { return owner_; }
  engine_state& state() noexcept { return *state_; }
  native_connection& native() noexcept { return *native_.conn; }

 private:
  void log(std::string_view what);
  [[noreturn]] void refuse_nul(std::string_view sql, std::size_t offset) const;
  void drop_savepoints_from(const std::string& name);

  relate::engine owner_;
  std::shared_ptr<engine_state> state_;
  connection_pool::lease native_;
  transaction_options tx_options_;
  bool in_transaction_ = false;
  std::vector<std::string> savepoints_;
  std::uint64_t savepoint_counter_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace relate::detail
