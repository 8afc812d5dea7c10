// SPDX-License-Identifier: MIT
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

// The cache keeps each statement's column description; SQLite re-prepares a
// cached statement after a schema change, and the description must follow.
TEST_F(sqlite_statement_cache, a_cached_statement_reports_its_columns_after_a_schema_change) {
  const std::string sql = "SELECT * FROM t";
  for (const auto mode : {fetch_mode::buffered, fetch_mode::streamed}) {
    SCOPED_TRACE(mode == fetch_mode::buffered ? "buffered" : "streamed");
    conn_->execute("DROP TABLE IF EXISTS t", {}, fetch_mode::buffered);
    conn_->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
    conn_->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);
    {
      auto c = conn_->execute(sql, {}, mode);
      ASSERT_EQ(c->column_count(), 1u);
      EXPECT_EQ(c->column_name(0), "x");
    }
    conn_->execute("ALTER TABLE t ADD COLUMN flag BOOLEAN DEFAULT 1", {}, fetch_mode::buffered);
    conn_->execute("ALTER TABLE t RENAME COLUMN x TO y", {}, fetch_mode::buffered);
    const auto before = conn_->cache_statistics();
    auto c = conn_->execute(sql, {}, mode);
    EXPECT_EQ(conn_->cache_statistics().hits - before.hits, 1u) << "the statement came from the cache";
    ASSERT_EQ(c->column_count(), 2u);
    EXPECT_EQ(c->column_name(0), "y");
    EXPECT_EQ(c->column_name(1), "flag");
    ASSERT_TRUE(c->next());
    EXPECT_EQ(c->kind(1), value_kind::boolean) << "the declared type of the new column counts too";
  }
}

// Buffered cells keep their bytes in one buffer: text, blobs (empty ones
// too), numbers read as text, and NULLs read back as they went in.
TEST_F(sqlite_statement_cache, buffered_cells_of_every_storage_class_read_back) {
  conn_->execute("CREATE TABLE cells (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)", {}, fetch_mode::buffered);
  const blob bytes{std::byte{0}, std::byte{1}, std::byte{255}};
  conn_->execute("INSERT INTO cells VALUES (?, ?, ?, ?, NULL), (?, ?, ?, ?, NULL)",
                 std::vector<value>{value(7), value(2.5), value("seven"), value(bytes), value(-1), value(0.0),
                                    value(""), value(blob{})},
                 fetch_mode::buffered);
  auto c = conn_->execute("SELECT i, r, s, b, n FROM cells ORDER BY i DESC", {}, fetch_mode::buffered);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 7);
  EXPECT_EQ(c->get_text(0), "7");
  EXPECT_EQ(c->get_double(1), 2.5);
  EXPECT_EQ(c->get_text(1), "2.5");
  EXPECT_EQ(c->get_text(2), "seven");
  EXPECT_EQ(c->get_blob(3), bytes);
  EXPECT_EQ(c->kind(4), value_kind::null);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), -1);
  EXPECT_EQ(c->get_text(2), "");
  EXPECT_EQ(c->kind(2), value_kind::text);
  EXPECT_EQ(c->get_blob(3), blob{});
  EXPECT_EQ(c->kind(3), value_kind::blob);
  EXPECT_FALSE(c->next());
}

}  // namespace
}  // namespace relate::sqlite
