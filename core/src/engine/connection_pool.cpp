// SPDX-License-Identifier: MIT
#include "engine/connection_pool.hpp"

#include <relate/engine.hpp>
#include <relate/error.hpp>

#include <string>

namespace relate::detail {

connection_pool::connection_pool(opener open, settings config) : opener_(std::move(open)), config_(config) {}

connection_pool::~connection_pool() = default;

void connection_pool::forget_one() {
  if (open_ > 0) --open_;
  returned_.notify_one();
}

bool connection_pool::expired(const lease& l, clock::time_point now) const {
  return config_.recycle.count() > 0 && now - l.opened >= config_.recycle;
}

// Pops idle connections, newest first, until one is alive and young enough;
// the others are closed outside the lock.
connection_pool::lease connection_pool::take_idle(std::unique_lock<std::mutex>& lock) {
  while (!idle_.empty()) {
    auto l = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    bool usable = !expired(l, clock::now()) && l.conn->is_open();
    if (usable && config_.pre_ping) usable = l.conn->ping();
    if (!usable) l.conn.reset();
    lock.lock();
    if (usable) return l;
    forget_one();
  }
  return {};
}

void connection_pool::throw_timeout() const {
  const auto limit = config_.pool_size + config_.max_overflow;
  throw pool_timeout_error(
      {.driver = "",
       .sql = "",
       .native_code = "",
       .native_message =
           "no pooled connection became free within pool_timeout (" +
           std::to_string(config_.timeout.count()) + " ms): pool_size " + std::to_string(config_.pool_size) +
           ", max_overflow " + std::to_string(config_.max_overflow) + ", " + std::to_string(open_) + " of " +
           std::to_string(limit) + " connection(s) open and checked out, " + std::to_string(waiting_) +
           " waiting (close the connections and sessions you hold, "
           "or raise pool_size / max_overflow)",
       .retryable = false,
       .kind = error_kind::pool_timeout});
}

connection_pool::lease connection_pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = clock::now() + config_.timeout;
  for (;;) {
    if (auto l = take_idle(lock); l.conn) return l;
    if (open_ < config_.pool_size + config_.max_overflow) break;
    ++waiting_;
    const auto woke = returned_.wait_until(lock, deadline);
    --waiting_;
    if (woke == std::cv_status::timeout && idle_.empty() && open_ >= config_.pool_size + config_.max_overflow)
      throw_timeout();
  }
  ++open_;
  lock.unlock();
  try {
    return {opener_(), clock::now()};
  } catch (...) {
    lock.lock();
    forget_one();
    throw;
  }
}

void connection_pool::release(lease returned) {
  std::unique_lock lock(mutex_);
  // Beyond pool_size a returned connection is overflow: closed, as is one
  // that is dead or past its recycle age.
  if (returned.conn && returned.conn->is_open() && idle_.size() < config_.pool_size &&
      !expired(returned, clock::now())) {
    idle_.push_back(std::move(returned));
    returned_.notify_one();
    return;
  }
  forget_one();
  lock.unlock();
  returned.conn.reset();
}

void connection_pool::dispose() {
  std::vector<lease> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= closing.size();
  }
  returned_.notify_all();
}

relate::pool_status connection_pool::status() const {
  std::lock_guard lock(mutex_);
  return {.open = open_,
          .idle = idle_.size(),
          .checked_out = open_ - idle_.size(),
          .waiting = waiting_,
          .pool_size = config_.pool_size,
          .max_overflow = config_.max_overflow};
}

}  // namespace relate::detail
