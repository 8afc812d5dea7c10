// SPDX-License-Identifier: MIT
// The connection pool: reuse, the idle limit, dead connections, pre-ping,
// single-connection engines (in-memory databases) and thread safety.
#include "fake_engine.hpp"

#include <relate/engine.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace {

using relate::testing::journal_of;
using relate::testing::test_host;
using events = std::vector<std::string>;
using namespace std::chrono_literals;

std::int64_t connection_id(relate::connection& conn) {
  return conn.execute("SELECT connection_id").scalar<std::int64_t>().value();
}

std::size_t count(const events& log, const std::string& event) {
  return static_cast<std::size_t>(std::count(log.begin(), log.end(), event));
}

TEST(engine_pool, keeps_at_most_pool_size_idle_connections) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db", {.pool_size = 1});
  {
    auto a = engine.connect();
    auto b = engine.connect();
    EXPECT_NE(connection_id(a), connection_id(b));
  }
  // b went back first and stayed; a found the pool full and was closed.
  auto c = engine.connect();
  EXPECT_EQ(connection_id(c), 2);
  EXPECT_EQ(count(journal_of(host), "c1 close"), 1u);
  EXPECT_EQ(count(journal_of(host), "c2 close"), 0u);
}

TEST(engine_pool, dead_connection_is_dropped_not_reused) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  {
    auto conn = engine.connect();
    conn.execute("KILL");
  }
  auto conn = engine.connect();
  EXPECT_EQ(connection_id(conn), 2);
  EXPECT_EQ(count(journal_of(host), "c1 close"), 1u);
}

TEST(engine_pool, pre_ping_tests_pooled_connections) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db", {.pool_pre_ping = true});
  { engine.connect().execute("INSERT 1"); }
  { auto conn = engine.connect(); }
  EXPECT_EQ(count(journal_of(host), "c1 ping"), 1u);
}

TEST(engine_pool, dispose_closes_idle_connections) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  { auto conn = engine.connect(); }
  engine.dispose();
  EXPECT_EQ(count(journal_of(host), "c1 close"), 1u);
  auto conn = engine.connect();
  EXPECT_EQ(connection_id(conn), 2);
}

TEST(engine_pool, failed_connect_frees_its_slot) {
  const auto host = test_host();
  auto engine =
      relate::create_engine("fakedb://" + host + "/:memory:?fail_connect=1", {.connect_timeout = 200ms});
  EXPECT_THROW(engine.connect(), relate::operational_error);
  // Had the failure kept the single slot, this would time out instead.
  try {
    engine.connect();
    FAIL() << "connect succeeded";
  } catch (const relate::operational_error& e) {
    EXPECT_NE(std::string(e.what()).find("connection refused"), std::string::npos) << e.what();
  }
}

TEST(engine_pool, single_connection_engine_shares_one_connection) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/:memory:", {.pool_size = 0});
  { engine.connect().execute("INSERT 1"); }
  { engine.connect().execute("INSERT 2"); }
  auto conn = engine.connect();
  EXPECT_EQ(connection_id(conn), 1);  // kept despite pool_size 0: closing it would lose the database
  EXPECT_EQ(count(journal_of(host), "c1 close"), 0u);
}

TEST(engine_pool, single_connection_engine_makes_connect_wait) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/:memory:", {.pool_timeout = 5s});
  auto held = engine.connect();
  std::atomic<bool> got{false};
  std::thread other([&] {
    auto conn = engine.connect();
    got = true;
    EXPECT_EQ(connection_id(conn), 1);
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(got.load());
  held.close();
  other.join();
  EXPECT_TRUE(got.load());
}

TEST(engine_pool, single_connection_wait_times_out_clearly) {
  auto engine = relate::create_engine("fakedb://" + test_host() + "/:memory:", {.pool_timeout = 50ms});
  auto held = engine.connect();
  try {
    engine.connect();
    FAIL() << "second connect did not time out";
  } catch (const relate::pool_timeout_error& e) {
    EXPECT_NE(std::string(e.what()).find("pool_timeout (50 ms)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1 of 1 connection(s) open and checked out"), std::string::npos)
        << e.what();
  }
}

// Opens and closes in the driver's journal: the most connections open at once.
long most_open_in(const std::vector<std::string>& log) {
  long open_now = 0;
  long most_open = 0;
  for (const auto& e : log) {
    if (e.ends_with(" open")) most_open = std::max(most_open, ++open_now);
    if (e.ends_with(" close")) --open_now;
  }
  return most_open;
}

TEST(engine_pool, never_opens_more_than_pool_size_plus_max_overflow) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db", {.pool_size = 2, .max_overflow = 1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto conn = engine.connect();
        EXPECT_LE(engine.pool_status().open, 3u);
        conn.execute("INSERT 1");
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(most_open_in(journal_of(host)), 3);
  EXPECT_EQ(engine.pool_status().checked_out, 0u);
  EXPECT_LE(engine.pool_status().idle, 2u);
}

TEST(engine_pool, many_threads_share_an_engine) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db", {.pool_size = 3});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto conn = engine.connect();
        conn.execute("INSERT 1");
        if (i % 2) conn.commit();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(engine.statements_executed(), 400u);
  const auto log = journal_of(host);
  const auto ends_with = [&](std::string_view what) {
    return std::count_if(log.begin(), log.end(), [&](const auto& e) { return e.ends_with(what); });
  };
  // Never more connections open at once than threads (a connection returned
  // to a full pool is closed, so a later checkout may open another: the
  // total over time can be larger); never more than pool_size kept idle.
  EXPECT_LE(most_open_in(log), 8);
  EXPECT_GE(ends_with(" open") - ends_with(" close"), 1);
  EXPECT_LE(ends_with(" open") - ends_with(" close"), 3);
  EXPECT_EQ(ends_with(" begin"), ends_with(" commit") + ends_with(" rollback"));
}

}  // namespace
