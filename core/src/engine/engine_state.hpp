// SPDX-License-Identifier: MIT
// What an engine handle shares (driver, pool, logger, listeners) and what a
// connection handle shares with its results and transaction guards.
#pragma once

#include <relate/engine.hpp>

#include "engine/connection_pool.hpp"
#include "engine/engine_hooks.hpp"

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
  /// hooks: the listeners to share (a replica shares its primary's); null: new ones.
  engine_state(url target, engine_options options, std::shared_ptr<relate::driver> drv,
               std::shared_ptr<engine_hooks> hooks = nullptr, bool is_replica = false);

  const url target;
  const engine_options options;
  const std::shared_ptr<relate::driver> drv;
  const std::shared_ptr<spdlog::logger> logger;
  const std::shared_ptr<engine_hooks> hooks;
  connection_pool pool;

  // ---- replica routing (replica_routing.cpp) ----
  /// The engines of engine_options::replicas; empty for a replica itself.
  std::vector<std::shared_ptr<engine_state>> replicas;
  /// Where the next read starts its round over the replicas.
  std::atomic<std::size_t> next_replica{0};
  const bool is_replica;
  /// A replica that failed is skipped until then (steady clock, in ns since its epoch).
  std::atomic<std::int64_t> skipped_until{0};
  /// Skips this replica for options.replica_backoff, with a warning.
  void skip_for_backoff(std::string_view why) noexcept;
  bool skipped(std::chrono::steady_clock::time_point now) const noexcept;
};

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
  /// The primary's log position after this connection's last read-write
  /// commit, when the engine has replicas (read_token); empty otherwise.
  const std::string& committed_position() const noexcept { return committed_position_; }

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
  /// A replica whose connection broke is skipped for a while.
  void note_failure(const operational_error& failure) noexcept;
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
  std::string committed_position_;
};

}  // namespace relate::detail
