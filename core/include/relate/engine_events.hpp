// SPDX-License-Identifier: MIT
// Engine events: what an engine tells listeners about the statements it runs
// and the connections it opens and lends (SQLAlchemy's before_cursor_execute,
// after_cursor_execute, handle_error, connect, checkout and checkin).
//
//   auto id = engine.add_listener(relate::engine_listener{
//       .after_execute = [](const relate::execution& e) { metrics.observe(e.sql, e.elapsed); },
//       .on_error = [](const relate::execution& e, const std::exception& x) { log_failure(e.sql, x); },
//   });
//   ...
//   engine.remove_listener(id);
//
// - One call per execution: connection::execute is one, and so is one
//   execute_many (a batch, however many parameter sets it carries: they are
//   all in execution::batch).  BEGIN, COMMIT, ROLLBACK and savepoints are not
//   executions (a driver sends them through its own calls).
// - A statement that fails reaches before_execute and on_error, never
//   after_execute.  on_error sees the exception before it propagates; an
//   exception thrown by an on_error listener is logged and ignored, so the
//   program always gets the database's error.
// - An exception from any other listener propagates: from before_execute it
//   stops the statement before it is sent, from on_connect it discards the
//   new connection, from on_checkout it returns the connection to the pool.
//   on_checkin runs while a connection is handed back, where nothing can be
//   thrown: its exceptions are logged and the connection is closed instead.
// - Listeners run on the thread that executes, in the order they were added,
//   outside any lock of the engine.  Adding or removing a listener while
//   other threads execute is safe; a listener added or removed during an
//   execution may or may not see that execution.
// - With no listener, an execution costs one atomic load more than without
//   events.
#pragma once

#include <relate/driver/driver.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace relate {

/// One execution as listeners see it.  The views are valid during the call only.
struct execution {
  std::string_view sql;
  /// The parameters of a single execute (empty for a batch).
  std::span<const value> params{};
  /// Every parameter set of an execute_many (empty for a single execute).
  std::span<const std::vector<value>> batch{};
  /// How long the database took (after_execute and on_error; zero in before_execute).
  std::chrono::nanoseconds elapsed{};

  bool is_batch() const noexcept { return !batch.empty(); }
  /// How many times the statement runs: 1, or the batch's size.
  std::size_t parameter_sets() const noexcept { return is_batch() ? batch.size() : 1; }
};

/// The callbacks of one listener; leave out the ones you do not need.
struct engine_listener {
  std::function<void(const execution&)> before_execute{};
  std::function<void(const execution&)> after_execute{};
  std::function<void(const execution&, const std::exception&)> on_error{};
  /// A new native connection was opened (before its first use), e.g. to set
  /// a session variable or a SQLite pragma on it.
  std::function<void(native_connection&)> on_connect{};
  /// A connection leaves the pool for engine::connect() or a session.
  std::function<void(native_connection&)> on_checkout{};
  /// A connection goes back to the pool (after its transaction was rolled
  /// back); not called for a connection discarded because it broke.
  std::function<void(native_connection&)> on_checkin{};
};

}  // namespace relate
