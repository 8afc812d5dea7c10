// SPDX-License-Identifier: MIT
// Reads routed to replicas: round robin over the healthy ones, a replica
// that fails left out for a back-off period, read-your-writes by log
// position (a bounded wait for a replica to replay a read_token, then the
// primary), and bounded staleness.  The primary is the answer whenever no
// replica qualifies, so a read never fails because of a replica.
#include "engine/engine_state.hpp"

#include <spdlog/logger.h>

#include <algorithm>
#include <thread>

namespace relate {

namespace detail {

namespace {

std::int64_t ticks(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

void engine_state::skip_for_backoff(std::string_view why) noexcept {
  const auto until = std::chrono::steady_clock::now() + options.replica_backoff;
  // Warn once per failure period, not once per connection that noticed it.
  const auto before = skipped_until.exchange(ticks(until), std::memory_order_acq_rel);
  if (before < ticks(std::chrono::steady_clock::now())) {
    try {
      logger->warn("replica {} left out of reads for {} ms: {}", target.str(),
                   options.replica_backoff.count(), why);
    } catch (...) {
      // Logging must not turn a skipped replica into a failed read.
    }
  }
  // Its idle connections are as dead as the one that failed.
  pool.dispose();
}

bool engine_state::skipped(std::chrono::steady_clock::time_point now) const noexcept {
  return skipped_until.load(std::memory_order_acquire) > ticks(now);
}

}  // namespace detail

namespace {

transaction_options read_only(transaction_options options) {
  options.read_only = true;
  return options;
}

}  // namespace

std::size_t engine::replica_count() const noexcept { return state_->replicas.size(); }

std::optional<connection> engine::connect_to_replica(const std::shared_ptr<detail::engine_state>& replica,
                                                     const read_token& after, bool& may_catch_up) const {
  may_catch_up = false;
  std::optional<connection> conn;
  try {
    conn.emplace(engine(replica).connect());
  } catch (const pool_timeout_error&) {
    return std::nullopt;  // busy, not broken: the next replica, or the primary
  } catch (const operational_error& failure) {
    replica->skip_for_backoff(failure.what());
    return std::nullopt;
  }
  const auto max_lag = options().max_replica_lag;
  if (after.empty() && max_lag.count() == 0) return conn;
  replica_state state;
  try {
    state = conn->native().replication_status(after.position());
  } catch (const operational_error& failure) {
    if (!conn->native().is_open()) replica->skip_for_backoff(failure.what());
    return std::nullopt;
  } catch (const database_error& failure) {
    // A position the server cannot read (a token a client made up): the
    // primary answers such a read, it has everything.
    state_->logger->debug("replica {} cannot compare its replay position with {}: {}", replica->target.str(),
                          after.position(), failure.what());
    return std::nullopt;
  }
  if (max_lag.count() > 0 && (!state.lag || *state.lag > max_lag)) {
    state_->logger->debug("replica {} is {} behind (limit {} ms): not reading from it", replica->target.str(),
                          state.lag ? std::to_string(state.lag->count()) + " ms" : "an unknown time",
                          max_lag.count());
    return std::nullopt;
  }
  if (!state.caught_up) {
    may_catch_up = true;
    return std::nullopt;
  }
  return conn;
}

connection engine::connect_for_read(const read_token& after) const {
  const auto& replicas = state_->replicas;
  const auto deadline = std::chrono::steady_clock::now() + options().replica_wait;
  if (!replicas.empty()) {
    const auto first = state_->next_replica.fetch_add(1, std::memory_order_relaxed);
    for (;;) {
      bool any_may_catch_up = false;
      const auto now = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < replicas.size(); ++i) {
        const auto& replica = replicas[(first + i) % replicas.size()];
        if (replica->skipped(now)) continue;
        bool may_catch_up = false;
        if (auto conn = connect_to_replica(replica, after, may_catch_up)) {
          conn->set_transaction_options(read_only(options().transaction));
          return std::move(*conn);
        }
        any_may_catch_up = any_may_catch_up || may_catch_up;
      }
      // Only a replica that is behind the token is worth waiting for.
      if (!any_may_catch_up || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(5), deadline - std::chrono::steady_clock::now()));
    }
    state_->logger->debug("no replica can serve a read{}: reading from the primary",
                          after.empty() ? std::string() : " after " + after.position());
  }
  auto conn = connect();
  conn.set_transaction_options(read_only(options().transaction));
  return conn;
}

}  // namespace relate
