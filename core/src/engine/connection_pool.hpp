// SPDX-License-Identifier: MIT
// A thread-safe, bounded pool of native connections to one database (the
// shape of SQLAlchemy's QueuePool).
//
// At most pool_size + max_overflow connections are open at once; a checkout
// beyond that waits up to pool_timeout for one to come back, then throws
// pool_timeout_error.  Up to pool_size returned connections are kept idle and
// reused last-in first-out, so a quiet period lets the ones at the bottom age
// out (pool_recycle) instead of every connection being kept warm.  A
// connection found dead (is_open() false, a failed pre-ping) or older than
// pool_recycle is closed and replaced, never handed out.
//
// One pool serves one target; an engine routing between servers (replicas,
// shards) would hold one pool per target.
#pragma once

#include <relate/driver/driver.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace relate {
struct pool_status;
}

namespace relate::detail {

class connection_pool {
 public:
  using opener = std::function<std::unique_ptr<native_connection>()>;
  using clock = std::chrono::steady_clock;

  struct settings {
    std::size_t pool_size = 5;
    std::size_t max_overflow = 10;
    std::chrono::milliseconds timeout{30'000};
    std::chrono::milliseconds recycle{0};  // 0: connections never age out
    bool pre_ping = false;
  };

  /// A connection out of the pool, with the time it was opened (for recycle).
  struct lease {
    std::unique_ptr<native_connection> conn;
    clock::time_point opened{};
  };

  connection_pool(opener open, settings config);
  ~connection_pool();
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  lease acquire();
  /// Gives a connection back; a null one (dropped by its user) only frees its slot.
  void release(lease returned);
  /// Closes the idle connections.
  void dispose();

  relate::pool_status status() const;
  const settings& config() const noexcept { return config_; }

 private:
  lease take_idle(std::unique_lock<std::mutex>& lock);
  bool expired(const lease& l, clock::time_point now) const;
  void forget_one();
  [[noreturn]] void throw_timeout() const;

  opener opener_;
  settings config_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<lease> idle_;  // the most recently returned at the back
  std::size_t open_ = 0;     // idle + checked out + being opened
  std::size_t waiting_ = 0;  // threads blocked in acquire()
};

}  // namespace relate::detail
