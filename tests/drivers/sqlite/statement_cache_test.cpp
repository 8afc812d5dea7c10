// The per-connection prepared-statement cache: reuse, the lease that keeps a
// live cursor's statement from being reset, and LRU eviction.
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

namespace relate::sqlite {
namespace {

class sqlite_statement_cache : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = testing::open("sqlite://?statement_cache_size=3");
    conn_->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
    conn_->execute("INSERT INTO t VALUES (1), (2), (3)", {}, fetch_mode::buffered);
  }
  std::unique_ptr<sqlite_connection> conn_;
};

TEST_F(sqlite_statement_cache, the_same_sql_is_prepared_once) {
  const auto before = conn_->cache_statistics();
  const std::string sql = "SELECT x FROM t WHERE x >= ?";
  for (int i = 1; i <= 3; ++i) {
    auto c = conn_->execute(sql, std::vector<value>{value(i)}, fetch_mode::buffered);
    int n = 0;
    while (c->next()) ++n;
    EXPECT_EQ(n, 4 - i) << "bindings of the earlier run must not leak into this one";
  }
  const auto after = conn_->cache_statistics();
  EXPECT_EQ(after.misses - before.misses, 1u);
  EXPECT_EQ(after.hits - before.hits, 2u);
}

TEST_F(sqlite_statement_cache, a_statement_read_by_a_live_cursor_is_not_reused) {
  const std::string sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
  auto first = conn_->execute(sql, std::vector<value>{value(1)}, fetch_mode::streamed);
  ASSERT_TRUE(first->next());
  EXPECT_EQ(first->get_int64(0), 1);

  const auto before = conn_->cache_statistics();
  auto second = conn_->execute(sql, std::vector<value>{value(3)}, fetch_mode::streamed);
  EXPECT_EQ(conn_->cache_statistics().bypassed - before.bypassed, 1u);
  ASSERT_TRUE(second->next());
  EXPECT_EQ(second->get_int64(0), 3);
  EXPECT_FALSE(second->next());

  // The first cursor carries on where it was.
  ASSERT_TRUE(first->next());
  EXPECT_EQ(first->get_int64(0), 2);
  ASSERT_TRUE(first->next());
  EXPECT_EQ(first->get_int64(0), 3);
  EXPECT_FALSE(first->next());

  // Finished, the cached statement is free again.
  const auto later = conn_->cache_statistics();
  conn_->execute(sql, std::vector<value>{value(2)}, fetch_mode::buffered);
  EXPECT_EQ(conn_->cache_statistics().hits - later.hits, 1u);
}

TEST_F(sqlite_statement_cache, least_recently_used_statements_are_evicted) {
  for (int i = 0; i < 10; ++i) {
    conn_->execute("SELECT " + std::to_string(i), {}, fetch_mode::buffered);
  }
  EXPECT_EQ(conn_->cache_statistics().size, 3u);
  const auto before = conn_->cache_statistics();
  conn_->execute("SELECT 9", {}, fetch_mode::buffered);  // still cached
  conn_->execute("SELECT 0", {}, fetch_mode::buffered);  // evicted long ago
  const auto after = conn_->cache_statistics();
  EXPECT_EQ(after.hits - before.hits, 1u);
  EXPECT_EQ(after.misses - before.misses, 1u);
}

TEST_F(sqlite_statement_cache, an_unfinished_buffered_read_holds_no_lock) {
  // A buffered cursor has given its statement back: the table can be dropped
  // while the rows are still being read.
  auto c = conn_->execute("SELECT x FROM t ORDER BY x", {}, fetch_mode::buffered);
  ASSERT_TRUE(c->next());
  conn_->execute("DROP TABLE t", {}, fetch_mode::buffered);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 2);
}

TEST_F(sqlite_statement_cache, a_cursor_may_outlive_its_connection) {
  auto c = conn_->execute("SELECT x FROM t ORDER BY x", {}, fetch_mode::streamed);
  ASSERT_TRUE(c->next());
  conn_.reset();  // sqlite3_close_v2 waits for the leased statement
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 2);
}

}  // namespace
}  // namespace relate::sqlite
