// SPDX-License-Identifier: MIT
// Retryable errors and relate::run_transaction: serialization failures,
// deadlocks and SQLite's busy database are retried until every function's
// effect is there exactly once; a lost COMMIT is never retried.
#include "production_support.hpp"

#include <unistd.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

namespace production_test {
namespace {

using namespace std::chrono_literals;
using relate::isolation_level;

class retry : public relate::testing::backend_test {
 protected:
  void create_counters(int rows) {
    auto conn = engine().connect();
    conn.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    conn.execute("CREATE TABLE runs (who INTEGER NOT NULL)");
    for (int id = 1; id <= rows; ++id)
      conn.execute("INSERT INTO counters (id, n) VALUES (" + std::to_string(id) + ", 0)");
    conn.commit();
  }
  std::int64_t counter(int id) {
    return count_rows(engine(), "SELECT n FROM counters WHERE id = " + std::to_string(id));
  }
  const relate::retry_options serializable{
      .max_attempts = 20,
      .initial_backoff = 5ms,
      .transaction = relate::transaction_options{.isolation = isolation_level::serializable}};
};

TEST_P(retry, write_skew_under_serializable_is_a_serialization_error) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite serializes writers with its lock";
  create_counters(2);
  auto a = engine().connect();
  auto b = engine().connect();
  a.set_transaction_options({.isolation = isolation_level::serializable});
  b.set_transaction_options({.isolation = isolation_level::serializable});
  // Both read the same rows, then each writes the row the other did not.
  a.execute("SELECT sum(n) FROM counters");
  b.execute("SELECT sum(n) FROM counters");
  a.execute("UPDATE counters SET n = n + 1 WHERE id = 1");
  try {
    b.execute("UPDATE counters SET n = n + 1 WHERE id = 2");
    a.commit();
    b.commit();
    FAIL() << "both write-skewed transactions committed";
  } catch (const relate::serialization_error& error) {
    EXPECT_TRUE(error.retryable());
    EXPECT_EQ(error.native_code(), "40001");
    const relate::retryable_error& base = error;  // the class retry loops catch
    EXPECT_EQ(base.kind(), relate::error_kind::serialization_failure);
  }
}

TEST_P(retry, the_helper_applies_both_write_skewed_functions_exactly_once) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite serializes writers with its lock";
  create_counters(2);
  std::barrier both_read(2);
  std::atomic<int> attempts{0}, retries{0};
  auto options = serializable;
  options.on_retry = [&](const relate::retryable_error& error, std::size_t) {
    EXPECT_EQ(error.native_code(), "40001");
    ++retries;
  };
  auto work = [&](int who) {
    bool first = true;
    relate::run_transaction(
        engine(),
        [&](relate::session& s) {
          ++attempts;
          auto& conn = s.get_connection();
          conn.execute("SELECT sum(n) FROM counters");
          if (std::exchange(first, false)) both_read.arrive_and_wait();  // first attempts overlap
          conn.execute("UPDATE counters SET n = n + 1 WHERE id = " + std::to_string(who));
          conn.execute("INSERT INTO runs (who) VALUES (" + std::to_string(who) + ")");
        },
        options);
  };
  std::thread ta(work, 1), tb(work, 2);
  ta.join();
  tb.join();
  EXPECT_GE(retries.load(), 1);
  EXPECT_EQ(attempts.load(), 2 + retries.load());
  EXPECT_EQ(counter(1), 1);
  EXPECT_EQ(counter(2), 1);
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM runs WHERE who = 1"), 1);
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM runs WHERE who = 2"), 1);
}

TEST_P(retry, a_deadlock_is_detected_and_retried) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite has no row locks to deadlock on";
  create_counters(2);
  std::barrier both_locked(2);
  std::atomic<int> deadlocks{0};
  relate::retry_options options{.max_attempts = 10, .initial_backoff = 5ms};
  options.on_retry = [&](const relate::retryable_error& error, std::size_t) {
    if (dynamic_cast<const relate::deadlock_error*>(&error)) ++deadlocks;
  };
  auto work = [&](int first_row, int second_row) {
    bool first = true;
    relate::run_transaction(
        engine(),
        [&](relate::connection& conn) {
          conn.execute("UPDATE counters SET n = n + 1 WHERE id = " + std::to_string(first_row));
          if (std::exchange(first, false)) both_locked.arrive_and_wait();  // each holds one row
          conn.execute("UPDATE counters SET n = n + 1 WHERE id = " + std::to_string(second_row));
          conn.execute("INSERT INTO runs (who) VALUES (" + std::to_string(first_row) + ")");
        },
        options);
  };
  std::thread ta(work, 1, 2), tb(work, 2, 1);
  ta.join();
  tb.join();
  EXPECT_EQ(deadlocks.load(), 1);
  EXPECT_EQ(counter(1), 2);
  EXPECT_EQ(counter(2), 2);
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM runs"), 2);
}

TEST_P(retry, contending_writers_are_retried_and_the_counter_is_exact) {
  create_counters(1);
  // SQLite: no busy wait, so a writer that finds the lock taken fails at once
  // (busy_error); PostgreSQL: SERIALIZABLE makes a lost update a 40001.
  auto e = relate::create_engine(db().url(), {.busy_timeout = 0ms});
  std::atomic<int> retries{0};
  auto options = serializable;
  options.max_attempts = 1000;
  options.initial_backoff = 1ms;
  options.max_backoff = 20ms;
  options.on_retry = [&](const relate::retryable_error&, std::size_t) { ++retries; };
  constexpr int threads = 4, increments = 25;
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < increments; ++i)
        relate::run_transaction(
            e,
            [&](relate::connection& conn) {
              const auto n =
                  conn.execute("SELECT n FROM counters WHERE id = 1").scalar<std::int64_t>().value();
              std::this_thread::sleep_for(1ms);  // read-modify-write with a window for the others
              conn.execute("UPDATE counters SET n = " + ph(e, 1) + " WHERE id = 1", {n + 1});
            },
            options);
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(counter(1), threads * increments);
  EXPECT_GT(retries.load(), 0);
}

TEST_P(retry, the_helper_gives_up_after_max_attempts_and_rethrows_the_last_error) {
  int calls = 0;
  relate::retry_options options{.max_attempts = 3, .initial_backoff = 1ms};
  try {
    relate::run_transaction(
        engine(),
        [&](relate::connection&) {
          ++calls;
          relate::error_info info;
          info.native_message = "attempt " + std::to_string(calls);
          throw relate::deadlock_error(std::move(info));
        },
        options);
    FAIL() << "no error";
  } catch (const relate::deadlock_error& error) {
    EXPECT_NE(std::string(error.what()).find("attempt 3"), std::string::npos);
  }
  EXPECT_EQ(calls, 3);
  // Errors that are not retryable propagate at once.
  calls = 0;
  EXPECT_THROW(relate::run_transaction(
                   engine(),
                   [&](relate::connection&) {
                     ++calls;
                     throw relate::integrity_error({});
                   },
                   options),
               relate::integrity_error);
  EXPECT_EQ(calls, 1);
  // What the function returns comes back.
  EXPECT_EQ(relate::run_transaction(engine(), [](relate::connection&) { return 42; }), 42);
}

TEST_P(retry, a_connection_lost_during_commit_is_commit_outcome_unknown_and_not_retried) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite has no connection to lose";
  create_counters(1);
  int calls = 0;
  auto admin = relate::create_engine(db().url());
  try {
    relate::run_transaction(engine(), [&](relate::session& s) {
      ++calls;
      auto& conn = s.get_connection();
      conn.execute("UPDATE counters SET n = n + 1 WHERE id = 1");
      const auto pid = conn.execute("SELECT pg_backend_pid()").scalar<std::int64_t>().value();
      // The hook: the last thing before the helper sends COMMIT, the backend
      // is terminated, so COMMIT meets a connection that answers nothing.
      auto killer = admin.connect();
      killer.execute("SELECT pg_terminate_backend($1::integer)", {pid});
      for (int i = 0; i < 500; ++i) {
        if (killer.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::integer", {pid})
                .scalar<std::int64_t>() == 0)
          break;
        killer.rollback();
        std::this_thread::sleep_for(10ms);
      }
    });
    FAIL() << "the commit reported success";
  } catch (const relate::commit_outcome_unknown_error& error) {
    EXPECT_FALSE(error.retryable());
    EXPECT_NE(std::string(error.what()).find("may or may not have been committed"), std::string::npos);
  }
  EXPECT_EQ(calls, 1);  // not re-run
  // The pool hands out a working connection afterwards.
  EXPECT_EQ(counter(1), 0);
}

RELATE_INSTANTIATE_BACKENDS(retry);

// SQLite only (its whole-database write lock; PostgreSQL's row locks are the
// deadlock and lock_timeout tests): not instantiated for the other backend.
TEST(sqlite_busy, a_busy_sqlite_database_is_a_busy_error) {
  const auto file =
      std::filesystem::temp_directory_path() / ("relate-busy-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(file);
  {
    auto e = relate::create_engine("sqlite:///" + file.string(), {.busy_timeout = 0ms});
    auto setup = e.connect();
    setup.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    setup.execute("INSERT INTO counters (id, n) VALUES (1, 0)");
    setup.commit();
    auto holder = e.connect();
    holder.execute("UPDATE counters SET n = 1 WHERE id = 1");
    auto other = e.connect();
    try {
      other.execute("UPDATE counters SET n = 2 WHERE id = 1");
      ADD_FAILURE() << "the second writer was not refused";
    } catch (const relate::busy_error& error) {
      EXPECT_TRUE(error.retryable());
    }
  }
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace production_test
