// SPDX-License-Identifier: MIT
// The bounded pool: pool_size + max_overflow caps the open connections,
// pool_timeout bounds the wait, pool_recycle replaces old connections, reuse
// is last-in first-out, and a connection returned dirty is clean next time.
#include "production_support.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <unistd.h>

namespace production_test {
namespace {

using namespace std::chrono_literals;

std::string with_option(const std::string& url, const std::string& option) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + option;
}

class pool : public relate::testing::backend_test {
 protected:
  relate::engine make(relate::engine_options options, const std::string& extra_option = "") {
    auto url = db().url();
    if (!extra_option.empty() && backend() == "postgresql") url = with_option(url, extra_option);
    return relate::create_engine(url, std::move(options));
  }
};

TEST_P(pool, thirty_two_threads_never_open_more_than_pool_size_plus_max_overflow) {
  const std::string app = "relate_pool_" + std::to_string(::getpid());
  auto e = make({.pool_size = 4, .max_overflow = 4, .pool_timeout = 60s}, "application_name=" + app);
  {
    auto setup = e.connect();
    setup.execute("CREATE TABLE hits (n INTEGER)");
    setup.commit();
  }
  std::atomic<std::size_t> most_open{0}, most_server{0}, errors{0};
  std::atomic<bool> done{false};
  auto note_max = [](std::atomic<std::size_t>& most, std::size_t now) {
    for (auto seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
    }
  };
  // The server's own count, on a connection outside the pool.
  std::thread watcher;
  if (backend() == "postgresql") {
    watcher = std::thread([&] {
      auto monitor = relate::create_engine(db().url());
      auto conn = monitor.connect();
      while (!done) {
        const auto n =
            conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", {app})
                .scalar<std::int64_t>()
                .value_or(0);
        conn.rollback();
        note_max(most_server, static_cast<std::size_t>(n));
        std::this_thread::sleep_for(2ms);
      }
    });
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        try {
          auto conn = e.connect();
          note_max(most_open, e.pool_status().open);
          conn.execute("SELECT count(*) FROM hits");
        } catch (const std::exception& error) {
          ++errors;
          ADD_FAILURE() << error.what();
        }
      }
    });
  for (auto& t : threads) t.join();
  done = true;
  if (watcher.joinable()) watcher.join();
  EXPECT_EQ(errors.load(), 0u);
  EXPECT_LE(most_open.load(), 8u);
  EXPECT_GE(most_open.load(), 2u);  // the threads did contend
  if (backend() == "postgresql") {
    EXPECT_LE(most_server.load(), 8u);
    EXPECT_GE(most_server.load(), 1u);
  }
  const auto status = e.pool_status();
  EXPECT_EQ(status.checked_out, 0u);
  EXPECT_EQ(status.waiting, 0u);
  EXPECT_LE(status.idle, 4u);  // overflow connections were closed on return
}

TEST_P(pool, a_checkout_beyond_the_limit_times_out_with_the_limits_in_the_message) {
  auto e = make({.pool_size = 1, .max_overflow = 1, .pool_timeout = 300ms});
  auto a = e.connect();
  auto b = e.connect();
  EXPECT_EQ(e.pool_status().checked_out, 2u);
  const auto start = std::chrono::steady_clock::now();
  try {
    auto c = e.connect();
    FAIL() << "a third connection was handed out";
  } catch (const relate::pool_timeout_error& error) {
    const auto waited = seconds_since(start);
    EXPECT_GE(waited, 0.28);
    EXPECT_LT(waited, 3.0);
    const std::string text = error.what();
    EXPECT_NE(text.find("pool_size 1"), std::string::npos) << text;
    EXPECT_NE(text.find("max_overflow 1"), std::string::npos) << text;
    EXPECT_NE(text.find("2 of 2"), std::string::npos) << text;
    EXPECT_FALSE(error.retryable());
  }
  // A connection handed back wakes a waiter.
  std::thread release([&] {
    std::this_thread::sleep_for(100ms);
    a.close();
  });
  auto c = e.connect();  // the engine's own 300 ms are enough for a 100 ms wait
  release.join();
  EXPECT_EQ(c.execute("SELECT 1").scalar<std::int64_t>(), 1);
}

TEST_P(pool, status_counts_idle_checked_out_and_waiting) {
  auto e = make({.pool_size = 2, .max_overflow = 0, .pool_timeout = 5s});
  EXPECT_EQ(e.pool_status().open, 0u);
  auto a = e.connect();
  auto b = e.connect();
  std::thread waiter([&] { auto c = e.connect(); });
  for (int i = 0; i < 200 && e.pool_status().waiting == 0; ++i) std::this_thread::sleep_for(5ms);
  auto s = e.pool_status();
  EXPECT_EQ(s.open, 2u);
  EXPECT_EQ(s.checked_out, 2u);
  EXPECT_EQ(s.waiting, 1u);
  EXPECT_EQ(s.pool_size, 2u);
  EXPECT_EQ(s.max_overflow, 0u);
  a.close();
  waiter.join();
  s = e.pool_status();
  EXPECT_EQ(s.open, 2u);
  EXPECT_EQ(s.idle, 1u);
  EXPECT_EQ(s.checked_out, 1u);
  EXPECT_EQ(s.waiting, 0u);
}

TEST_P(pool, reuse_is_last_in_first_out) {
  auto e = make({.pool_size = 2, .max_overflow = 0});
  auto a = e.connect();
  auto b = e.connect();
  mark(a, "conn_a");
  mark(b, "conn_b");
  a.close();
  b.close();  // returned last
  auto next = e.connect();
  EXPECT_TRUE(has_mark(next, "conn_b"));
  EXPECT_FALSE(has_mark(next, "conn_a"));
}

TEST_P(pool, recycle_replaces_a_connection_older_than_pool_recycle) {
  auto e = make({.pool_size = 1, .max_overflow = 0, .pool_recycle = 400ms});
  {
    auto conn = e.connect();
    mark(conn, "old_conn");
  }
  {
    auto conn = e.connect();  // young: the same connection
    EXPECT_TRUE(has_mark(conn, "old_conn"));
  }
  std::this_thread::sleep_for(500ms);
  auto conn = e.connect();
  EXPECT_FALSE(has_mark(conn, "old_conn"));
  EXPECT_EQ(e.pool_status().open, 1u);
}

TEST_P(pool, a_connection_returned_inside_a_failed_transaction_is_clean_next_time) {
  auto e = make({.pool_size = 1, .max_overflow = 0});
  {
    auto setup = e.connect();
    setup.execute("CREATE TABLE items (n INTEGER)");
    setup.commit();
  }
  {
    auto conn = e.connect();
    mark(conn, "same_conn");
    conn.execute("INSERT INTO items (n) VALUES (1)");
    EXPECT_THROW(conn.execute("SELECT * FROM no_such_table"), relate::database_error);
    // Dropped here, mid-transaction, as an exception would drop it.
  }
  auto conn = e.connect();
  EXPECT_TRUE(has_mark(conn, "same_conn"));  // reused, not reopened
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(conn.execute("SELECT count(*) FROM items").scalar<std::int64_t>(), 0);
}

TEST_P(pool, a_transaction_begun_by_raw_sql_in_autocommit_mode_is_rolled_back_on_return) {
  auto e = make(
      {.pool_size = 1, .max_overflow = 1, .transaction = {.isolation = relate::isolation_level::autocommit}});
  {
    auto setup = e.connect();
    setup.execute("CREATE TABLE items (n INTEGER)");
  }
  {
    auto conn = e.connect();
    conn.execute("BEGIN");
    conn.execute("INSERT INTO items (n) VALUES (1)");
    EXPECT_FALSE(conn.in_transaction());  // relate did not begin it
  }
  auto conn = e.connect();
  conn.execute("INSERT INTO items (n) VALUES (2)");  // autocommitted, not inside the old BEGIN
  EXPECT_EQ(count_rows(e, "SELECT count(*) FROM items"), 1);
  EXPECT_EQ(count_rows(e, "SELECT max(n) FROM items"), 2);
}

RELATE_INSTANTIATE_BACKENDS(pool);

}  // namespace
}  // namespace production_test
