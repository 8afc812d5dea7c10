#include "engine/connection_pool.hpp"

#include <relate/error.hpp>

#include <string>

namespace relate::detail {

connection_pool::connection_pool(opener open, settings config) : opener_(std::move(open)), config_(config) {}

connection_pool::~connection_pool() = default;

void connection_pool::forget_one() {
  if (open_ > 0) --open_;
  returned_.notify_one();
}

// Pops idle connections until one is alive; dead ones are closed outside the lock.
std::unique_ptr<native_connection> connection_pool::take_idle(std::unique_lock<std::mutex>& lock) {
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    bool alive = conn->is_open();
    if (alive && config_.pre_ping) alive = conn->ping();
    if (!alive) conn.reset();
    lock.lock();
    if (alive) return conn;
    forget_one();
  }
  return nullptr;
}

std::unique_ptr<native_connection> connection_pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + config_.wait_timeout;
  for (;;) {
    if (auto conn = take_idle(lock)) return conn;
    if (config_.max_open == 0 || open_ < config_.max_open) break;
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= config_.max_open)
      throw operational_error({.driver = "",
                               .sql = "",
                               .native_code = "",
                               .native_message = "timed out after " +
                                                 std::to_string(config_.wait_timeout.count()) +
                                                 " ms waiting for a pooled connection (this engine allows " +
                                                 std::to_string(config_.max_open) +
                                                 " open connection(s); close the connections you hold)",
                               .retryable = true});
  }
  ++open_;
  lock.unlock();
  try {
    return opener_();
  } catch (...) {
    lock.lock();
    forget_one();
    throw;
  }
}

void connection_pool::release(std::unique_ptr<native_connection> conn) {
  std::unique_lock lock(mutex_);
  // A single-connection engine (in-memory SQLite) must keep its connection:
  // closing it would discard the database.
  const auto keep = config_.max_open != 0 ? config_.max_open : config_.idle_limit;
  if (conn && conn->is_open() && idle_.size() < keep) {
    idle_.push_back(std::move(conn));
    returned_.notify_one();
    return;
  }
  forget_one();
  lock.unlock();
  conn.reset();
}

void connection_pool::dispose() {
  std::vector<std::unique_ptr<native_connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= closing.size();
  }
  returned_.notify_all();
}

std::size_t connection_pool::idle_count() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

std::size_t connection_pool::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace relate::detail
