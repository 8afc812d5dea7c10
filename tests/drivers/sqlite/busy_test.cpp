// SPDX-License-Identifier: MIT
// Two connections to one file: the busy timeout, immediate transactions and
// what a locked database looks like to the caller.
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace relate::sqlite {
namespace {

using clock_type = std::chrono::steady_clock;

class sqlite_busy : public testing::temp_dir_test {
 protected:
  void SetUp() override {
    temp_dir_test::SetUp();
    testing::open(file_url("busy.db"))->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
  }
};

TEST_F(sqlite_busy, writer_waits_for_the_busy_timeout_then_fails_retryable) {
  auto holder = testing::open(file_url("busy.db"));
  holder->begin({});
  holder->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);  // holds the write lock

  auto waiter = testing::open(file_url("busy.db", "timeout=0.3"));
  const auto start = clock_type::now();
  try {
    waiter->execute("INSERT INTO t VALUES (2)", {}, fetch_mode::buffered);
    FAIL() << "wrote while another connection held the write lock";
  } catch (const operational_error& e) {
    const auto waited = clock_type::now() - start;
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.native_code().rfind("SQLITE_BUSY", 0), 0u) << e.native_code();
    EXPECT_GE(waited, std::chrono::milliseconds(250));
    EXPECT_LT(waited, std::chrono::seconds(5));
  }
  holder->rollback();
  // Once the lock is gone the same connection writes.
  waiter->execute("INSERT INTO t VALUES (3)", {}, fetch_mode::buffered);
  EXPECT_EQ(testing::scalar_int(*waiter, "SELECT count(*) FROM t"), 1);
}

TEST_F(sqlite_busy, connect_options_busy_timeout_applies_without_url_option) {
  auto holder = testing::open(file_url("busy.db"));
  holder->begin({});
  holder->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);

  auto options = testing::quiet_options();
  options.busy_timeout = std::chrono::milliseconds(0);
  auto waiter = testing::open(file_url("busy.db"), options);
  const auto start = clock_type::now();
  EXPECT_THROW(waiter->execute("INSERT INTO t VALUES (2)", {}, fetch_mode::buffered), operational_error);
  EXPECT_LT(clock_type::now() - start, std::chrono::milliseconds(200));
  holder->rollback();
}

TEST_F(sqlite_busy, writer_succeeds_when_the_lock_is_released_within_the_timeout) {
  auto holder = testing::open(file_url("busy.db"));
  holder->begin({});
  holder->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    holder->commit();
  });
  auto waiter = testing::open(file_url("busy.db", "timeout=5"));
  EXPECT_NO_THROW(waiter->execute("INSERT INTO t VALUES (2)", {}, fetch_mode::buffered));
  release.join();
  EXPECT_EQ(testing::scalar_int(*waiter, "SELECT count(*) FROM t"), 2);
}

TEST_F(sqlite_busy, immediate_transactions_take_the_write_lock_at_begin) {
  auto first = testing::open(file_url("busy.db", "transaction_mode=immediate"));
  auto second = testing::open(file_url("busy.db", "transaction_mode=immediate&timeout=0.1"));
  first->begin({});
  // A deferred BEGIN would succeed here and fail only at the first write.
  try {
    second->begin({});
    FAIL() << "two immediate transactions at once";
  } catch (const operational_error& e) {
    EXPECT_TRUE(e.retryable());
  }
  first->commit();
  second->begin({});
  second->commit();
}

TEST_F(sqlite_busy, deferred_is_the_default_transaction_mode) {
  auto first = testing::open(file_url("busy.db"));
  auto second = testing::open(file_url("busy.db", "timeout=0.1"));
  first->begin({});
  first->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);
  EXPECT_NO_THROW(second->begin({}));  // no lock taken yet
  EXPECT_EQ(testing::scalar_int(*second, "SELECT count(*) FROM t"), 0);
  second->rollback();
  first->rollback();
}

}  // namespace
}  // namespace relate::sqlite
