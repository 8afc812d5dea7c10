// SPDX-License-Identifier: MIT
// The SQLite cursor's getters: which storage classes convert to which C++
// types, what is refused, and that streamed and buffered cursors agree.
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace relate::sqlite {
namespace {

using namespace std::chrono_literals;

class sqlite_cursor_test : public ::testing::TestWithParam<fetch_mode> {
 protected:
  void SetUp() override {
    conn_ = testing::open("sqlite://");
    run("CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, b BLOB, flag BOOLEAN, at DATETIME, day DATE, "
        "n NUMERIC(10, 2), anything)");
  }
  void run(std::string_view sql, std::vector<value> params = {}) { conn_->execute(sql, params, GetParam()); }
  std::unique_ptr<native_cursor> one(std::string_view sql, std::vector<value> params = {}) {
    auto cursor = conn_->execute(sql, params, GetParam());
    EXPECT_TRUE(cursor->next()) << sql;
    return cursor;
  }
  std::unique_ptr<sqlite_connection> conn_;
};

TEST_P(sqlite_cursor_test, integers_read_as_double_and_text_never_reads_as_integer) {
  run("INSERT INTO t (i, s, anything) VALUES (?, ?, ?)", {value(42), value("12"), value("12")});
  auto c = one("SELECT i, s, anything FROM t");
  EXPECT_EQ(c->get_int64(0), 42);
  EXPECT_EQ(c->get_double(0), 42.0);
  EXPECT_EQ(c->kind(1), value_kind::text);
  try {
    c->get_int64(1);
    FAIL() << "text read as an integer";
  } catch (const usage_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'s'"), std::string::npos) << what;
    EXPECT_NE(what.find("text"), std::string::npos) << what;
  }
  EXPECT_THROW(c->get_double(2), usage_error);
  EXPECT_THROW(c->get_blob(2), usage_error);
}

TEST_P(sqlite_cursor_test, numbers_read_as_text_in_sqlites_spelling) {
  run("INSERT INTO t (i, r, n) VALUES (?, ?, ?)", {value(-7), value(2.5), value("12.50")});
  auto c = one("SELECT i, r, n FROM t");
  EXPECT_EQ(c->get_text(0), "-7");
  EXPECT_EQ(c->get_text(1), "2.5");
  // NUMERIC affinity stores "12.50" as the real 12.5, as it does for SQLAlchemy.
  EXPECT_EQ(c->kind(2), value_kind::real);
  EXPECT_EQ(c->get_text(2), "12.5");
}

TEST_P(sqlite_cursor_test, whole_reals_read_as_integers_fractions_do_not) {
  run("INSERT INTO t (r, anything) VALUES (?, ?)", {value(3.0), value(3.5)});
  auto c = one("SELECT r, anything FROM t");
  EXPECT_EQ(c->get_int64(0), 3);
  EXPECT_THROW(c->get_int64(1), usage_error);
}

TEST_P(sqlite_cursor_test, booleans_are_stored_as_0_and_1_and_only_those_read_back) {
  run("INSERT INTO t (flag, i) VALUES (?, ?)", {value(true), value(2)});
  run("INSERT INTO t (flag, i) VALUES (?, ?)", {value(false), value(0)});
  auto c = conn_->execute("SELECT flag, i, typeof(flag) FROM t ORDER BY flag DESC", {}, GetParam());
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->kind(0), value_kind::boolean);  // declared BOOLEAN
  EXPECT_TRUE(c->get_bool(0));
  EXPECT_EQ(c->get_int64(0), 1);
  EXPECT_EQ(c->get_text(2), "integer");
  EXPECT_EQ(c->kind(1), value_kind::integer);  // declared BIGINT
  EXPECT_THROW(c->get_bool(1), usage_error);   // 2 is no boolean
  ASSERT_TRUE(c->next());
  EXPECT_FALSE(c->get_bool(0));
  EXPECT_TRUE(c->get_bool(1) == false);
}

TEST_P(sqlite_cursor_test, timestamps_are_stored_as_sqlalchemy_text_and_read_from_text_or_unix_seconds) {
  const timestamp t = std::chrono::sys_days(std::chrono::year{1969} / 7 / 20) + 20h + 17min + 40s + 123456us;
  const date d = std::chrono::sys_days(std::chrono::year{2021} / 1 / 31);
  run("INSERT INTO t (at, day, i) VALUES (?, ?, ?)", {value(t), value(d), value(86400 * 2 + 3600)});
  auto c = one("SELECT at, day, i, CAST(at AS TEXT), CAST(day AS TEXT) FROM t");
  EXPECT_EQ(c->get_text(3), "1969-07-20 20:17:40.123456");
  EXPECT_EQ(c->get_text(4), "2021-01-31");
  EXPECT_EQ(c->kind(0), value_kind::timestamp);
  EXPECT_EQ(c->kind(1), value_kind::date);
  EXPECT_EQ(c->get_timestamp(0), t);
  EXPECT_EQ(c->get_date(1), d);
  EXPECT_EQ(c->get_timestamp(2), timestamp(std::chrono::sys_days(std::chrono::year{1970} / 1 / 3) + 1h));
  EXPECT_EQ(c->get_date(2), std::chrono::sys_days(std::chrono::year{1970} / 1 / 3));
  EXPECT_EQ(c->get_date(0), std::chrono::sys_days(std::chrono::year{1969} / 7 / 20));
  auto huge = one("SELECT 9223372036854775807");
  EXPECT_THROW(huge->get_timestamp(0), usage_error);
}

TEST_P(sqlite_cursor_test, a_database_written_by_sqlalchemy_reads_back) {
  run("INSERT INTO t (at, day, flag) VALUES ('2021-01-01 00:00:00.000000', '2021-01-01', 1)");
  auto c = one("SELECT at, day, flag FROM t");
  EXPECT_EQ(c->get_timestamp(0), timestamp(std::chrono::sys_days(std::chrono::year{2021} / 1 / 1)));
  EXPECT_EQ(c->get_date(1), std::chrono::sys_days(std::chrono::year{2021} / 1 / 1));
  EXPECT_TRUE(c->get_bool(2));
}

TEST_P(sqlite_cursor_test, text_that_is_no_timestamp_is_a_usage_error) {
  run("INSERT INTO t (at, s) VALUES ('yesterday', 'x')");
  auto c = one("SELECT at, s, r FROM t");
  EXPECT_EQ(c->kind(0), value_kind::text);
  EXPECT_THROW(c->get_timestamp(0), usage_error);
  EXPECT_THROW(c->get_date(1), usage_error);
  EXPECT_EQ(c->kind(2), value_kind::null);
  EXPECT_TRUE(c->is_null(2));
}

TEST_P(sqlite_cursor_test, blobs_keep_nul_bytes_and_empty_blobs_stay_blobs) {
  const blob bytes{std::byte{0}, std::byte{'a'}, std::byte{0}, std::byte{0xff}};
  run("INSERT INTO t (i, b) VALUES (1, ?)", {value(bytes)});
  run("INSERT INTO t (i, b) VALUES (2, ?)", {value(blob{})});
  auto c = conn_->execute("SELECT b, typeof(b), length(b) FROM t ORDER BY i", {}, GetParam());
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_blob(0), bytes);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_text(1), "blob");
  EXPECT_EQ(c->get_int64(2), 0);
  EXPECT_EQ(c->kind(0), value_kind::blob);
  EXPECT_EQ(c->get_blob(0), blob{});
}

TEST_P(sqlite_cursor_test, text_keeps_embedded_nul_and_unicode) {
  const std::string text = std::string("a\0b", 3) + " \xC3\xA9\xF0\x9F\x98\x80 'quoted' \"double\"";
  run("INSERT INTO t (s) VALUES (?)", {value(text)});
  auto c = one("SELECT s, length(CAST(s AS BLOB)) FROM t");
  EXPECT_EQ(c->get_text(0), text);
  EXPECT_EQ(c->get_int64(1), static_cast<std::int64_t>(text.size()));
}

TEST_P(sqlite_cursor_test, extremes_of_integers_and_doubles) {
  const auto min = std::numeric_limits<std::int64_t>::min();
  const auto max = std::numeric_limits<std::int64_t>::max();
  const double inf = std::numeric_limits<double>::infinity();
  run("INSERT INTO t (i, r) VALUES (?, ?)", {value(min), value(inf)});
  run("INSERT INTO t (i, r) VALUES (?, ?)", {value(max), value(-inf)});
  auto c = conn_->execute("SELECT i, r FROM t ORDER BY i", {}, GetParam());
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), min);
  EXPECT_EQ(c->get_double(1), inf);
  EXPECT_THROW(c->get_int64(1), usage_error);  // infinity is no integer
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), max);
  EXPECT_EQ(c->get_double(1), -inf);
}

TEST_P(sqlite_cursor_test, column_names_rows_affected_and_misuse) {
  run("INSERT INTO t (i) VALUES (1), (2), (3)");
  auto update = conn_->execute("UPDATE t SET s = 'x' WHERE i >= ?", std::vector<value>{value(2)}, GetParam());
  EXPECT_EQ(update->rows_affected(), 2);
  EXPECT_EQ(update->column_count(), 0u);
  EXPECT_FALSE(update->next());
  // A SELECT (or DDL) after it reports no changes of its own.
  auto select = conn_->execute("SELECT i AS number, s FROM t ORDER BY i", {}, GetParam());
  EXPECT_EQ(select->rows_affected(), 0);
  EXPECT_EQ(select->column_count(), 2u);
  EXPECT_EQ(select->column_name(0), "number");
  EXPECT_THROW(select->get_int64(0), usage_error);  // before next()
  EXPECT_THROW(select->column_name(2), usage_error);
  int n = 0;
  while (select->next()) ++n;
  EXPECT_EQ(n, 3);
  EXPECT_THROW(select->get_int64(0), usage_error);  // after the end
  auto create = conn_->execute("CREATE TABLE other (x INTEGER)", {}, GetParam());
  EXPECT_EQ(create->rows_affected(), 0);
}

TEST_P(sqlite_cursor_test, returning_rows_and_count) {
  auto c = conn_->execute("INSERT INTO t (i) VALUES (?), (?) RETURNING i",
                          std::vector<value>{value(7), value(8)}, GetParam());
  std::vector<std::int64_t> ids;
  while (c->next()) ids.push_back(c->get_int64(0));
  EXPECT_EQ(ids, (std::vector<std::int64_t>{7, 8}));
  EXPECT_EQ(c->rows_affected(), 2);
}

TEST_P(sqlite_cursor_test, scripts_run_every_statement_but_take_no_parameters) {
  auto c = conn_->execute(
      "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1); -- note\n"
      "INSERT INTO a VALUES (2); SELECT sum(x) FROM a;",
      {}, GetParam());
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 3);
  EXPECT_THROW(conn_->execute("INSERT INTO a VALUES (?); INSERT INTO a VALUES (?)",
                              std::vector<value>{value(1), value(2)}, GetParam()),
               programming_error);
  auto trailing = conn_->execute("SELECT ? + 1; -- a trailing comment /* and more */\n",
                                 std::vector<value>{value(6)}, GetParam());
  ASSERT_TRUE(trailing->next());
  EXPECT_EQ(trailing->get_int64(0), 7);
  auto nothing = conn_->execute("-- only a comment", {}, GetParam());
  EXPECT_FALSE(nothing->next());
}

INSTANTIATE_TEST_SUITE_P(modes, sqlite_cursor_test,
                         ::testing::Values(fetch_mode::buffered, fetch_mode::streamed), [](const auto& info) {
                           return std::string(info.param == fetch_mode::buffered ? "buffered" : "streamed");
                         });

}  // namespace
}  // namespace relate::sqlite
