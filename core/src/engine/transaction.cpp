// SPDX-License-Identifier: MIT
// The RAII transaction / savepoint guard.
#include "engine/engine_state.hpp"

#include <spdlog/logger.h>

namespace relate {

transaction::transaction(std::shared_ptr<detail::pooled_connection> conn, std::string savepoint)
    : conn_(std::move(conn)), savepoint_(std::move(savepoint)), generation_(conn_->generation()) {}

transaction::transaction(transaction&& other) noexcept
    : conn_(std::move(other.conn_)),
      savepoint_(std::move(other.savepoint_)),
      generation_(other.generation_),
      active_(other.active_) {
  other.active_ = false;
}

transaction::~transaction() {
  if (!active_) return;
  try {
    rollback();
  } catch (const std::exception& e) {
    conn_->state().logger->warn("rolling back an abandoned transaction failed: {}", e.what());
  } catch (...) {
  }
}

namespace {

// Whether what a guard began is still open: the connection may have
// committed, rolled back or closed it, or an outer savepoint may have ended it.
bool still_open(detail::pooled_connection& conn, const std::string& savepoint, std::uint64_t generation) {
  if (!conn.in_transaction() || conn.generation() != generation) return false;
  return savepoint.empty() || conn.has_savepoint(savepoint);
}

}  // namespace

void transaction::commit() {
  if (!active_) throw usage_error("this transaction is no longer active (already committed or rolled back)");
  active_ = false;
  if (!still_open(*conn_, savepoint_, generation_))
    throw usage_error("cannot commit: the " +
                      (savepoint_.empty() ? std::string("transaction") : "savepoint " + savepoint_) +
                      " was already ended through its connection");
  if (savepoint_.empty())
    conn_->commit();
  else
    conn_->release_savepoint(savepoint_);
}

void transaction::rollback() {
  if (!active_) return;
  active_ = false;
  if (!still_open(*conn_, savepoint_, generation_)) return;
  if (savepoint_.empty())
    conn_->rollback();
  else
    conn_->rollback_to_savepoint(savepoint_);
}

}  // namespace relate
