// SPDX-License-Identifier: MIT
// The SQLite driver under the engine, where its behaviour depends on the
// engine's pool and options: in-memory databases, the busy timeout taken from
// engine_options, and immediate transactions for read-modify-write loops.
#include "sqlite_test_support.hpp"

#include <relate/engine.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace relate::sqlite {
namespace {

class sqlite_engine : public testing::temp_dir_test {};

TEST_F(sqlite_engine, in_memory_database_survives_between_checkouts) {
  auto engine = create_engine("sqlite://");
  {
    auto conn = engine.connect();
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    conn.execute("INSERT INTO notes (body) VALUES (?)", {"kept"});
    conn.commit();
  }
  auto conn = engine.connect();
  EXPECT_EQ(conn.execute("SELECT body FROM notes").scalar<std::string>(), "kept");
}

TEST_F(sqlite_engine, busy_timeout_comes_from_engine_options) {
  auto holder_engine = create_engine(file_url("busy.db"));
  auto holder = holder_engine.connect();
  holder.execute("CREATE TABLE t (x INTEGER)");
  holder.commit();
  holder.execute("INSERT INTO t VALUES (1)");  // an open write transaction

  engine_options options;
  options.busy_timeout = std::chrono::milliseconds(200);
  auto waiter_engine = create_engine(file_url("busy.db"), options);
  auto waiter = waiter_engine.connect();
  const auto start = std::chrono::steady_clock::now();
  try {
    waiter.execute("INSERT INTO t VALUES (2)");
    FAIL() << "wrote past another connection's write lock";
  } catch (const operational_error& e) {
    EXPECT_TRUE(e.retryable());
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  }
}

TEST_F(sqlite_engine, immediate_transactions_make_concurrent_increments_exact) {
  auto engine =
      create_engine(file_url("counter.db", "transaction_mode=immediate&journal_mode=wal&timeout=30"));
  {
    auto conn = engine.connect();
    conn.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
    conn.execute("INSERT INTO counter (id, n) VALUES (1, 0)");
    conn.commit();
  }
  constexpr int threads = 4;
  constexpr int increments = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < increments; ++i) {
        try {
          auto conn = engine.connect();
          // Read, then write: with a deferred BEGIN two readers could both
          // read n and one would fail (or lose an update) when upgrading.
          const auto n = conn.execute("SELECT n FROM counter WHERE id = 1").scalar<std::int64_t>().value();
          conn.execute("UPDATE counter SET n = ? WHERE id = 1", {n + 1});
          conn.commit();
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(engine.connect().execute("SELECT n FROM counter").scalar<std::int64_t>(), threads * increments);
}

}  // namespace
}  // namespace relate::sqlite
