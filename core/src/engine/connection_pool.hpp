// A thread-safe pool of native connections for one engine.
//
// Idle connections (up to idle_limit) are reused; a connection found dead
// (is_open() false, or a failed pre-ping) is dropped, never handed out.  With
// max_open set (1 for in-memory SQLite), acquire() waits for a connection to
// come back instead of opening another.
#pragma once

#include <relate/driver/driver.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace relate::detail {

class connection_pool {
 public:
  using opener = std::function<std::unique_ptr<native_connection>()>;

  struct settings {
    std::size_t idle_limit = 5;
    std::size_t max_open = 0;  // 0: no limit
    bool pre_ping = false;
    std::chrono::milliseconds wait_timeout{10'000};
  };

  connection_pool(opener open, settings config);
  ~connection_pool();
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  std::unique_ptr<native_connection> acquire();
  /// Gives a connection back; null (a connection that was dropped) only
  /// frees its slot.
  void release(std::unique_ptr<native_connection> conn);
  /// Closes the idle connections.
  void dispose();

  std::size_t idle_count() const;
  std::size_t open_count() const;

 private:
  std::unique_ptr<native_connection> take_idle(std::unique_lock<std::mutex>& lock);
  void forget_one();

  opener opener_;
  settings config_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<native_connection>> idle_;
  std::size_t open_ = 0;  // idle + checked out
};

}  // namespace relate::detail
