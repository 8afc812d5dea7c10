// SPDX-License-Identifier: MIT
// Transaction bookkeeping of one checked-out connection (SQLAlchemy's
// autobegin: the first statement begins a transaction; nothing commits
// unless asked).
#include "engine/engine_state.hpp"

#include "engine/logging.hpp"

#include <relate/error.hpp>

#include <spdlog/logger.h>

#include <algorithm>

namespace relate::detail {

pooled_connection::pooled_connection(relate::engine owner, std::shared_ptr<engine_state> state,
                                     connection_pool::lease native)
    : owner_(std::move(owner)),
      state_(std::move(state)),
      native_(std::move(native)),
      tx_options_(state_->options.transaction) {}

pooled_connection::~pooled_connection() {
  if (in_transaction_) {
    try {
      rollback();
    } catch (const std::exception& e) {
      // A connection that cannot roll back must not be reused.
      state_->logger->warn("rollback on returning a connection failed, discarding it: {}", e.what());
      native_.conn.reset();
    } catch (...) {
      native_.conn.reset();
    }
  }
  // The driver ends what the database may still have open (a transaction
  // begun by raw SQL, or a failed one): the next user gets a clean connection.
  try {
    if (native_.conn && !native_.conn->reset()) native_.conn.reset();
  } catch (...) {
    native_.conn.reset();
  }
  if (native_.conn && !state_->hooks->notify_checkin(*native_.conn)) native_.conn.reset();
  state_->pool.release(std::move(native_));
}

void pooled_connection::refuse_nul(std::string_view sql, std::size_t offset) const {
  // The databases' C APIs read SQL up to its first NUL, so the statement would
  // end early (DELETE FROM t\0 WHERE ... deletes every row): refuse it before
  // anything is sent.  Values with NUL bytes belong in bound parameters.
  error_info info;
  info.driver = std::string(state_->drv->name());
  info.sql = std::string(sql.substr(0, offset)) + "\\0" + std::string(sql.substr(offset + 1));
  info.native_message = "SQL text contains a NUL byte at offset " + std::to_string(offset) +
                        " (bind such values as parameters)";
  throw programming_error(std::move(info));
}

void pooled_connection::log(std::string_view what) {
  log_statement(*state_->logger, state_->options.echo, what, {});
}

std::unique_ptr<native_cursor> pooled_connection::run(std::string_view sql, std::span<const value> params,
                                                      fetch_mode mode) {
  if (const auto nul = sql.find('\0'); nul != std::string_view::npos) refuse_nul(sql, nul);
  if (!in_transaction_) begin(true);
  log_statement(*state_->logger, state_->options.echo, sql, params);
  try {
    return state_->hooks->execute({.sql = sql, .params = params},
                                  [&] { return native_.conn->execute(sql, params, mode); });
  } catch (const operational_error& failure) {
    note_failure(failure);
    throw;
  }
}

std::vector<std::int64_t> pooled_connection::run_batch(std::string_view sql,
                                                       std::span<const std::vector<value>> param_sets) {
  if (const auto nul = sql.find('\0'); nul != std::string_view::npos) refuse_nul(sql, nul);
  if (param_sets.empty()) return {};
  if (!in_transaction_) begin(true);
  for (const auto& params : param_sets) log_statement(*state_->logger, state_->options.echo, sql, params);
  try {
    return state_->hooks->execute({.sql = sql, .batch = param_sets},
                                  [&] { return native_.conn->execute_batch(sql, param_sets); });
  } catch (const operational_error& failure) {
    note_failure(failure);
    throw;
  }
}

void pooled_connection::note_failure(const operational_error& failure) noexcept {
  if (state_->is_replica && !native_.conn->is_open()) state_->skip_for_backoff(failure.what());
}

void pooled_connection::set_transaction_options(const transaction_options& options) {
  if (in_transaction_)
    throw usage_error(
        "set_transaction_options: a transaction is open on this connection; commit or roll "
        "it back first (the isolation level of a transaction cannot change once it began)");
  tx_options_ = options;
}

void pooled_connection::begin(bool implicit) {
  // Autocommit: statements run on their own; only an explicit begin() (or a
  // savepoint, which needs one) opens a transaction, at the database's level.
  const bool autocommit = tx_options_.isolation == isolation_level::autocommit;
  if (implicit && autocommit) return;
  transaction_options options = tx_options_;
  if (autocommit) options.isolation = isolation_level::database_default;
  log(implicit ? "BEGIN (implicit)" : "BEGIN");
  native_.conn->begin(options);
  in_transaction_ = true;
  ++generation_;
}

void pooled_connection::commit() {
  if (!in_transaction_) return;
  log("COMMIT");
  // Whatever happens, the savepoints are gone with the transaction.
  savepoints_.clear();
  native_.conn->commit();
  in_transaction_ = false;
  // Where the primary's log stands now covers this commit: a read on a
  // replica that has replayed that far sees it (read_token).
  if (!state_->replicas.empty() && !tx_options_.read_only) {
    try {
      committed_position_ = native_.conn->log_position();
    } catch (const std::exception& failure) {
      // The commit itself succeeded; only the token is missing.
      committed_position_.clear();
      state_->logger->warn(
          "could not read the log position after a commit (reads may go to a "
          "replica that has not replayed it): {}",
          failure.what());
    }
  }
}

void pooled_connection::rollback() {
  if (!in_transaction_) return;
  log("ROLLBACK");
  savepoints_.clear();
  in_transaction_ = false;
  native_.conn->rollback();
}

std::string pooled_connection::open_savepoint() {
  if (!in_transaction_) begin(/*implicit=*/tx_options_.isolation != isolation_level::autocommit);
  auto name = "relate_sp_" + std::to_string(++savepoint_counter_);
  log("SAVEPOINT " + name);
  native_.conn->savepoint(name);
  savepoints_.push_back(name);
  return name;
}

bool pooled_connection::has_savepoint(const std::string& name) const {
  return std::find(savepoints_.begin(), savepoints_.end(), name) != savepoints_.end();
}

void pooled_connection::drop_savepoints_from(const std::string& name) {
  // Releasing or rolling back to a savepoint ends every savepoint opened after it.
  const auto it = std::find(savepoints_.begin(), savepoints_.end(), name);
  savepoints_.erase(it, savepoints_.end());
}

void pooled_connection::release_savepoint(const std::string& name) {
  log("RELEASE SAVEPOINT " + name);
  native_.conn->release_savepoint(name);
  drop_savepoints_from(name);
}

void pooled_connection::rollback_to_savepoint(const std::string& name) {
  log("ROLLBACK TO SAVEPOINT " + name);
  native_.conn->rollback_to_savepoint(name);
  // The savepoint is kept by the database after ROLLBACK TO; release it so a
  // finished guard leaves nothing behind.
  native_.conn->release_savepoint(name);
  drop_savepoints_from(name);
}

}  // namespace relate::detail
