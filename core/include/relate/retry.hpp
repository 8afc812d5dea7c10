// SPDX-License-Identifier: MIT
// Retrying a transaction that lost a race: relate::run_transaction.
//
//   relate::run_transaction(engine, [&](relate::connection& conn) {
//     conn.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", {10, 1});
//   }, {.transaction = {.isolation = relate::isolation_level::serializable}});
//
// Each attempt gets a fresh connection (or session: relate/orm/run_transaction.hpp)
// and transaction; after the function returns the transaction is committed.
// A retryable_error (serialization failure, deadlock, SQLite busy) rolls the
// attempt back, waits (exponential backoff with full jitter) and runs the
// function again, up to max_attempts; then the last error is rethrown.  Any
// other error, and commit_outcome_unknown_error above all, propagates at once:
// the function may have taken effect, so running it again is not safe.
//
// The function must be safe to run several times: keep side effects outside
// the database (sending mail, incrementing counters in memory) after the call.
#pragma once

#include <relate/engine.hpp>
#include <relate/error.hpp>
#include <relate/export.hpp>
#include <relate/transaction_options.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace relate {

struct retry_options {
  /// Attempts in all, the first included; at least 1.
  std::size_t max_attempts = 5;
  /// The wait before the second attempt is drawn from [0, initial_backoff];
  /// each later one from [0, min(max_backoff, initial_backoff * 2^(n-1))].
  std::chrono::milliseconds initial_backoff{10};
  std::chrono::milliseconds max_backoff{1'000};
  /// The transaction each attempt begins; unset: the engine's.
  std::optional<transaction_options> transaction{};
  /// Called after a failed attempt, before the wait (for logging and metrics).
  std::function<void(const retryable_error& error, std::size_t attempt)> on_retry{};
};

namespace detail {

/// Sleeps the jittered backoff that follows failed attempt number `attempt` (1-based).
RELATE_API void backoff_after(const retry_options& options, std::size_t attempt);

/// Runs attempt() until it returns or throws something other than a
/// retryable_error, or max_attempts are used up (then rethrows the last).
template <class Attempt>
auto retry_loop(const retry_options& options, Attempt&& attempt) -> decltype(attempt()) {
  const std::size_t limit = options.max_attempts == 0 ? 1 : options.max_attempts;
  for (std::size_t n = 1;; ++n) {
    try {
      return attempt();
    } catch (const retryable_error& e) {
      if (n >= limit) throw;
      if (options.on_retry) options.on_retry(e, n);
    }
    backoff_after(options, n);
  }
}

/// fn(handle), then handle.commit(); returns what fn returned.
template <class F, class Handle>
auto call_then_commit(F& fn, Handle& handle) -> std::invoke_result_t<F&, Handle&> {
  if constexpr (std::is_void_v<std::invoke_result_t<F&, Handle&>>) {
    fn(handle);
    handle.commit();
  } else {
    auto out = fn(handle);
    handle.commit();
    return out;
  }
}

}  // namespace detail

/// Runs fn(connection&) in a transaction on a fresh connection and commits,
/// retrying on retryable errors as described above.  Returns what fn returns.
template <class F>
requires std::is_invocable_v<F&, connection&>
auto run_transaction(const engine& e, F&& fn, const retry_options& options = {}) {
  return detail::retry_loop(options, [&]() -> std::invoke_result_t<F&, connection&> {
    auto conn = e.connect();
    if (options.transaction) conn.set_transaction_options(*options.transaction);
    return detail::call_then_commit(fn, conn);
  });
}

}  // namespace relate
