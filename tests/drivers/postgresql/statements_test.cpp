// SPDX-License-Identifier: MIT
// The per-connection prepared statement cache, observed from the server's
// side (pg_prepared_statements): a statement is prepared once and reused,
// the least recently used one is deallocated when the cache is full.
#include "pg_test_support.hpp"

namespace relate::postgresql {
namespace {

using testing::pg_test;
using testing::run;
using testing::scalar_int;

class postgresql_statements : public pg_test {
 protected:
  // Statements prepared on the server for this session whose text contains marker.
  // (Sent without parameters: the simple protocol prepares nothing.)
  static std::int64_t prepared_count(native_connection& conn, const std::string& marker) {
    return scalar_int(conn,
                      "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%" + marker + "%'");
  }
};

TEST_F(postgresql_statements, a_statement_is_prepared_once_and_reused) {
  auto conn = connect();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(scalar_int(*conn, "SELECT $1::int + 0 AS reuse_marker", {i}), i);
  EXPECT_EQ(prepared_count(*conn, "reuse_marker"), 1);
  EXPECT_EQ(conn->statements().size(), 1u);
}

TEST_F(postgresql_statements, least_recently_used_statements_are_deallocated) {
  auto conn = connect(/*statement_cache_size=*/2);
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS evict_a", {1}), 1);
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS evict_b", {2}), 2);
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS evict_a", {1}), 1);  // a is now more recent than b
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS evict_c", {3}), 3);  // evicts b
  EXPECT_EQ(conn->statements().size(), 2u);
  EXPECT_EQ(prepared_count(*conn, "evict_a"), 1);
  EXPECT_EQ(prepared_count(*conn, "evict_b"), 0);
  EXPECT_EQ(prepared_count(*conn, "evict_c"), 1);
  // An evicted statement simply gets prepared again.
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS evict_b", {4}), 4);
  EXPECT_EQ(prepared_count(*conn, "evict_b"), 1);
  EXPECT_EQ(prepared_count(*conn, "evict_"), 2);
}

TEST_F(postgresql_statements, eviction_inside_a_failed_transaction_is_deferred_not_lost) {
  auto conn = connect(/*statement_cache_size=*/1);
  conn->begin({});
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS deferred_a", {1}), 1);
  EXPECT_THROW(run(*conn, "SELECT 1 / $1 AS deferred_b", {0}), data_error);  // prepared, evicts a, then fails
  conn->rollback();
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS deferred_c", {3}), 3);
  EXPECT_EQ(prepared_count(*conn, "deferred_"), 1);
}

TEST_F(postgresql_statements, a_statement_dropped_by_the_server_is_prepared_again) {
  auto conn = connect();
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS dropped_marker", {1}), 1);
  run(*conn, "DEALLOCATE ALL");
  EXPECT_THROW(scalar_int(*conn, "SELECT $1::int AS dropped_marker", {2}), programming_error);  // 26000
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int AS dropped_marker", {3}), 3);
}

TEST_F(postgresql_statements, same_sql_with_other_parameter_types_is_a_separate_statement) {
  auto conn = connect();
  EXPECT_EQ(scalar_int(*conn, "SELECT $1 AS typed_marker", {1}), 1);
  EXPECT_EQ(scalar_int(*conn, "SELECT $1 AS typed_marker", {std::int64_t{1} << 40}), std::int64_t{1} << 40);
  EXPECT_EQ(prepared_count(*conn, "typed_marker"), 2);
}

}  // namespace
}  // namespace relate::postgresql

namespace relate::postgresql {
namespace {

// SELECT * prepared before ALTER TABLE cannot run afterwards ("cached plan
// must not change result type"): the error is reported once, the stale
// statement is deallocated, and the next execution prepares it afresh.
TEST_F(postgresql_statements, a_statement_whose_table_changed_shape_is_prepared_again) {
  auto conn = connect();
  const std::string t = unique_table("shape");
  run(*conn, "CREATE TABLE " + t + " (a INTEGER)");
  run(*conn, "INSERT INTO " + t + " VALUES (1)");
  const std::string select = "SELECT * FROM " + t + " WHERE a = $1";
  EXPECT_EQ(run(*conn, select, {1})->column_count(), 1u);
  run(*conn, "ALTER TABLE " + t + " ADD COLUMN b INTEGER");
  EXPECT_THROW(run(*conn, select, {1}), not_supported_error);  // 0A000
  auto c = run(*conn, select, {1});
  EXPECT_EQ(c->column_count(), 2u);
  EXPECT_EQ(prepared_count(*conn, "WHERE a = $1"), 1);
}

}  // namespace
}  // namespace relate::postgresql
