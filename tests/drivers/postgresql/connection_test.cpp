// SPDX-License-Identifier: MIT
// The PostgreSQL connection against a real server: type round trips, server
// NOTICEs in the logger, passwords kept out of logs and errors, RETURNING,
// transactions and savepoints, streamed results.
#include "pg_test_support.hpp"

#include <backends.hpp>

#include <relate/error.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace relate::postgresql {
namespace {

using namespace std::chrono;
using testing::pg_test;
using testing::run;
using testing::scalar_int;
using testing::scalar_text;

class postgresql_connection : public pg_test {};

TEST_F(postgresql_connection, types_round_trip_through_a_table) {
  auto conn = connect();
  const std::string t = unique_table("types");
  run(*conn, "CREATE TABLE " + t +
                 " (id INTEGER, b BOOLEAN, s SMALLINT, i INTEGER, big BIGINT, d DOUBLE PRECISION, txt TEXT,"
                 " v VARCHAR(20), bin BYTEA, ts TIMESTAMP WITHOUT TIME ZONE, tstz TIMESTAMP WITH TIME ZONE,"
                 " day DATE, num NUMERIC(30, 10))");
  const blob bytes{std::byte{0}, std::byte{'a'}, std::byte{0}, std::byte{0xff}, std::byte{'\\'}};
  const timestamp ts =
      sys_days(year(2024) / 2 / 29) + hours(23) + minutes(59) + seconds(58) + microseconds(123456);
  const date day = sys_days(year(1999) / 12 / 31);
  run(*conn, "INSERT INTO " + t + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {1, true, -32768, 2147483647, std::numeric_limits<std::int64_t>::min(), 0.1, "h\u00e9llo \u2603", "v",
       bytes, ts, ts, day, "12345678901234567890.0123456789"});
  run(*conn, "INSERT INTO " + t + " (id) VALUES ($1)", {2});

  auto c = run(*conn, "SELECT b, s, i, big, d, txt, v, bin, ts, tstz, day, num FROM " + t + " ORDER BY id");
  ASSERT_EQ(c->column_count(), 12u);
  EXPECT_EQ(c->column_name(0), "b");
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->kind(0), value_kind::boolean);
  EXPECT_TRUE(c->get_bool(0));
  EXPECT_EQ(c->kind(1), value_kind::integer);
  EXPECT_EQ(c->get_int64(1), -32768);
  EXPECT_EQ(c->get_int64(2), 2147483647);
  EXPECT_EQ(c->get_int64(3), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(c->kind(4), value_kind::real);
  EXPECT_EQ(c->get_double(4), 0.1);
  EXPECT_EQ(c->kind(5), value_kind::text);
  EXPECT_EQ(c->get_text(5), "h\u00e9llo \u2603");
  EXPECT_EQ(c->get_text(6), "v");
  EXPECT_EQ(c->kind(7), value_kind::blob);
  EXPECT_EQ(c->get_blob(7), bytes);
  EXPECT_EQ(c->kind(8), value_kind::timestamp);
  EXPECT_EQ(c->get_timestamp(8), ts);
  EXPECT_EQ(c->kind(9), value_kind::timestamp);
  EXPECT_EQ(c->get_timestamp(9), ts);
  EXPECT_EQ(c->kind(10), value_kind::date);
  EXPECT_EQ(c->get_date(10), day);
  EXPECT_EQ(c->kind(11), value_kind::text);  // numeric stays exact, as text
  EXPECT_EQ(c->get_text(11), "12345678901234567890.0123456789");

  ASSERT_TRUE(c->next());
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(c->kind(i), value_kind::null) << i;
  EXPECT_FALSE(c->next());
}

TEST_F(postgresql_connection, special_doubles_round_trip) {
  auto conn = connect();
  const double specials[] = {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             -0.0,
                             1e308,
                             5e-324,
                             1.0 / 3.0};
  for (double d : specials) {
    auto c = run(*conn, "SELECT $1::double precision, $1::double precision::text", {d});
    ASSERT_TRUE(c->next());
    const double back = c->get_double(0);
    if (std::isnan(d)) {
      EXPECT_TRUE(std::isnan(back)) << c->get_text(1);
    } else {
      EXPECT_EQ(back, d) << c->get_text(1);
      EXPECT_EQ(std::signbit(back), std::signbit(d)) << c->get_text(1);
    }
  }
  EXPECT_EQ(scalar_text(*conn, "SELECT 'NaN'::float8 = $1", {std::numeric_limits<double>::quiet_NaN()}), "t");
}

TEST_F(postgresql_connection, empty_and_nul_only_bytea_round_trip) {
  auto conn = connect();
  for (const blob& b : {blob{}, blob{std::byte{0}}, blob(1000, std::byte{0})}) {
    auto c = run(*conn, "SELECT $1::bytea, length($1::bytea)", {b});
    ASSERT_TRUE(c->next());
    EXPECT_EQ(c->kind(0), value_kind::blob);  // empty, not NULL
    EXPECT_EQ(c->get_blob(0), b);
    EXPECT_EQ(c->get_int64(1), static_cast<std::int64_t>(b.size()));
  }
}

TEST_F(postgresql_connection, timestamptz_reads_back_in_utc_whatever_the_server_time_zone) {
  // The URL asks the server for another zone; the driver still reads instants in UTC.
  auto conn = connect(pg_connection::default_statement_cache_size, "options=-c%20TimeZone%3DAsia/Kolkata");
  const timestamp ts = sys_days(year(2021) / 6 / 1) + hours(1) + minutes(2) + seconds(3);
  auto c = run(
      *conn, "SELECT $1::timestamptz, $1::timestamptz::text, '2021-06-01 06:32:03+05:30'::timestamptz", {ts});
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_timestamp(0), ts);
  EXPECT_EQ(c->get_text(1), "2021-06-01 01:02:03+00");
  EXPECT_EQ(c->get_timestamp(2), ts);
}

TEST_F(postgresql_connection, integer_parameters_work_where_postgresql_expects_int4_or_int8) {
  auto conn = connect();
  // int4 for small values: functions taking integer resolve.
  EXPECT_EQ(scalar_text(*conn, "SELECT substr('hello', $1, $2)", {2, 3}), "ell");
  // int8 for large ones, and the same SQL is then prepared again for the other type.
  EXPECT_EQ(scalar_int(*conn, "SELECT $1 + 1", {1}), 2);
  EXPECT_EQ(scalar_int(*conn, "SELECT $1 + 1", {std::int64_t{5'000'000'000}}), 5'000'000'001);
  EXPECT_EQ(scalar_text(*conn, "SELECT $1::boolean AND $2", {true, false}), "f");
}

TEST_F(postgresql_connection, conversions_and_their_errors) {
  auto conn = connect();
  auto c =
      run(*conn, "SELECT 42::numeric(10,2) AS n, 'abc'::text AS word, true AS yes, '2020-01-02'::date AS d");
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 42);  // "42.00" is an integer
  EXPECT_DOUBLE_EQ(c->get_double(0), 42.0);
  EXPECT_EQ(c->get_int64(2), 1);
  EXPECT_EQ(c->get_timestamp(3), timestamp(sys_days(year(2020) / 1 / 2)));
  try {
    c->get_int64(1);
    FAIL() << "expected usage_error";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("\"word\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(c->get_date(1), usage_error);
}

TEST_F(postgresql_connection, notices_go_to_the_logger_at_their_level) {
  auto conn = connect();
  run(*conn, "DO $$ BEGIN RAISE NOTICE 'hello from plpgsql %', 42; RAISE WARNING 'careful %', 'now'; END $$");
  EXPECT_TRUE(sink_->contains(spdlog::level::info, "hello from plpgsql 42")) << sink_->all_text();
  EXPECT_TRUE(sink_->contains(spdlog::level::warn, "careful now")) << sink_->all_text();
}

TEST_F(postgresql_connection, password_never_appears_in_logs_or_errors) {
  const std::string secret = "Sup3rS3cretPw";
  // A server that is not there: libpq's error names host and port, never the password.
  connect_options options = options_;
  options.connect_timeout = seconds(2);
  try {
    pg_connection conn(url::parse("postgresql://someone:" + secret + "@127.0.0.1:1/nodb"), options);
    FAIL() << "expected operational_error";
  } catch (const operational_error& e) {
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
  }
  // A successful connection (the test server trusts its clients, or checks a
  // password the URL already carries) logs its parameters with the password masked.
  const url base = url::parse(url_);
  std::string with_password = url_;
  if (!base.password()) {
    const auto at = with_password.find('@');
    ASSERT_NE(at, std::string::npos) << "the test URL needs a user";
    with_password.insert(at, ":" + secret);
  }
  try {
    pg_connection conn(url::parse(with_password), options_);
    EXPECT_TRUE(conn.ping());
  } catch (const database_error& e) {
    // A server that checks passwords refuses the made-up one: still no password in the message.
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
  }
  EXPECT_NE(sink_->all_text().find("password=***"), std::string::npos) << sink_->all_text();
  EXPECT_EQ(sink_->all_text().find(secret), std::string::npos) << sink_->all_text();
}

TEST_F(postgresql_connection, unknown_url_option_is_a_url_error) {
  EXPECT_THROW(
      pg_connection(url::parse(url_ + (url_.find('?') == std::string::npos ? "?" : "&") + "no_such_option=1"),
                    options_),
      url_error);
}

TEST_F(postgresql_connection, returning_gives_generated_keys) {
  auto conn = connect();
  const std::string t = unique_table("returning");
  run(*conn, "CREATE TABLE " + t + " (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT)");
  auto c = run(*conn, "INSERT INTO " + t + " (name) VALUES ($1), ($2) RETURNING id, name", {"a", "b"});
  EXPECT_EQ(c->rows_affected(), 2);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 1);
  EXPECT_EQ(c->get_text(1), "a");
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 2);
  EXPECT_FALSE(c->next());
  EXPECT_EQ(run(*conn, "UPDATE " + t + " SET name = $1", {"z"})->rows_affected(), 2);
  EXPECT_EQ(run(*conn, "SELECT * FROM " + t)->rows_affected(), 0);  // not a change
}

TEST_F(postgresql_connection, transactions_and_quoted_savepoints) {
  auto conn = connect();
  const std::string t = unique_table("tx");
  run(*conn, "CREATE TABLE " + t + " (v INTEGER)");
  conn->begin({});
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {1});
  conn->savepoint("sp \"one\"");  // any name, quoted
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {2});
  conn->rollback_to_savepoint("sp \"one\"");
  conn->savepoint("two");
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {3});
  conn->release_savepoint("two");
  conn->commit();
  EXPECT_EQ(scalar_text(*conn, "SELECT string_agg(v::text, ',' ORDER BY v) FROM " + t), "1,3");

  conn->begin({});
  run(*conn, "DELETE FROM " + t);
  conn->rollback();
  EXPECT_EQ(scalar_int(*conn, "SELECT count(*) FROM " + t), 2);
}

TEST_F(postgresql_connection, a_savepoint_recovers_from_a_failed_statement) {
  auto conn = connect();
  const std::string t = unique_table("sp");
  run(*conn, "CREATE TABLE " + t + " (v INTEGER PRIMARY KEY)");
  conn->begin({});
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {1});
  conn->savepoint("retry");
  EXPECT_THROW(run(*conn, "INSERT INTO " + t + " VALUES ($1)", {1}), integrity_error);
  conn->rollback_to_savepoint("retry");
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {2});
  conn->commit();
  EXPECT_EQ(scalar_int(*conn, "SELECT sum(v) FROM " + t), 3);
}

TEST_F(postgresql_connection, commit_of_a_failed_transaction_is_an_error_not_silence) {
  auto conn = connect();
  const std::string t = unique_table("failedtx");
  run(*conn, "CREATE TABLE " + t + " (v INTEGER PRIMARY KEY)");
  conn->begin({});
  run(*conn, "INSERT INTO " + t + " VALUES ($1)", {1});
  EXPECT_THROW(run(*conn, "INSERT INTO " + t + " VALUES ($1)", {1}), integrity_error);
  try {
    conn->commit();
    FAIL() << "commit of an aborted transaction must not look like success";
  } catch (const database_error& e) {
    EXPECT_EQ(e.native_code(), "25P02");
  }
  EXPECT_EQ(scalar_int(*conn, "SELECT count(*) FROM " + t), 0);
}

TEST_F(postgresql_connection, scripts_without_parameters_may_hold_several_statements) {
  auto conn = connect();
  const std::string t = unique_table("script");
  run(*conn, "CREATE TABLE " + t + " (v INTEGER); INSERT INTO " + t + " VALUES (1), (2); INSERT INTO " + t +
                 " VALUES (3);");
  EXPECT_EQ(scalar_int(*conn, "SELECT sum(v) FROM " + t), 6);
}

TEST_F(postgresql_connection, streamed_fetch_reads_many_rows_one_at_a_time) {
  auto conn = connect();
  constexpr std::int64_t n = 200'000;
  auto c = conn->execute("SELECT g, repeat('x', 10) FROM generate_series(1, $1) AS g", std::vector<value>{n},
                         fetch_mode::streamed);
  ASSERT_EQ(c->column_count(), 2u);
  EXPECT_EQ(c->column_name(0), "g");
  std::int64_t count = 0, sum = 0;
  while (c->next()) {
    ++count;
    sum += c->get_int64(0);
  }
  EXPECT_EQ(count, n);
  EXPECT_EQ(sum, n * (n + 1) / 2);
  EXPECT_FALSE(c->next());
}

TEST_F(postgresql_connection, an_abandoned_stream_does_not_block_the_next_statement) {
  auto conn = connect();
  auto first = conn->execute("SELECT g FROM generate_series(1, 100000) AS g", {}, fetch_mode::streamed);
  ASSERT_TRUE(first->next());
  EXPECT_EQ(first->get_int64(0), 1);
  // Outside a transaction (no server-side cursor) the next statement reads
  // the rest of the first into memory: its rows are kept, never dropped.
  EXPECT_EQ(scalar_int(*conn, "SELECT $1::int * 2", {21}), 42);
  std::int64_t last = 1, rows = 1;
  while (first->next()) {
    EXPECT_EQ(first->get_int64(0), last + 1);
    last = first->get_int64(0);
    ++rows;
  }
  EXPECT_EQ(rows, 100000);
  first.reset();

  auto second = conn->execute("SELECT g FROM generate_series(1, 100000) AS g", {}, fetch_mode::streamed);
  ASSERT_TRUE(second->next());
  second.reset();  // destroyed mid-stream
  EXPECT_TRUE(conn->ping());
  EXPECT_EQ(scalar_int(*conn, "SELECT 7"), 7);
}

TEST_F(postgresql_connection, streamed_errors_surface_when_they_happen_and_leave_the_connection_usable) {
  auto conn = connect();
  auto c =
      conn->execute("SELECT 10 / (500 - g) FROM generate_series(1, 1000) AS g", {}, fetch_mode::streamed);
  std::int64_t rows = 0;
  EXPECT_THROW(
      {
        while (c->next()) ++rows;
      },
      data_error);
  EXPECT_GT(rows, 0);  // rows before the failing one were delivered
  EXPECT_FALSE(c->next());
  c.reset();
  EXPECT_EQ(scalar_int(*conn, "SELECT 1"), 1);

  // Errors found before any row (here: parse errors) throw from execute itself.
  EXPECT_THROW(conn->execute("SELEC 1", {}, fetch_mode::streamed), programming_error);
  auto empty = conn->execute("SELECT 1 WHERE false", {}, fetch_mode::streamed);
  EXPECT_EQ(empty->column_count(), 1u);
  EXPECT_FALSE(empty->next());
}

TEST_F(postgresql_connection, streamed_insert_returning_reports_rows_affected_at_the_end) {
  auto conn = connect();
  const std::string t = unique_table("streamret");
  run(*conn, "CREATE TABLE " + t + " (id INTEGER GENERATED BY DEFAULT AS IDENTITY, v TEXT)");
  auto c = conn->execute("INSERT INTO " + t + " (v) SELECT 'x' FROM generate_series(1, $1) RETURNING id",
                         std::vector<value>{5}, fetch_mode::streamed);
  int rows = 0;
  while (c->next()) ++rows;
  EXPECT_EQ(rows, 5);
  EXPECT_EQ(c->rows_affected(), 5);
}

TEST_F(postgresql_connection, ping_and_is_open) {
  auto conn = connect();
  EXPECT_TRUE(conn->is_open());
  EXPECT_TRUE(conn->ping());
}

}  // namespace
}  // namespace relate::postgresql

namespace relate::postgresql {
namespace {

std::string encode_slashes(std::string_view path) {
  std::string out;
  for (char c : path) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

// A host that is a folder means a Unix socket.  scripts/with-postgres.sh says
// where its server's socket is, and docker/compose.yaml shares its server's
// socket folder with the tests; a developer's own server skips this one,
// except under CI=true, where every PostgreSQL test must run.
TEST_F(postgresql_connection, a_socket_folder_as_host_connects_through_the_unix_socket) {
  const char* dir = std::getenv("RELATE_TEST_POSTGRES_SOCKET_DIR");
  const char* port = std::getenv("RELATE_TEST_POSTGRES_PORT");
  if (!dir || !port) {
    if (relate::testing::running_in_ci())
      FAIL() << "CI=true but RELATE_TEST_POSTGRES_SOCKET_DIR/_PORT are not set: this test must run in CI";
    GTEST_SKIP() << "RELATE_TEST_POSTGRES_SOCKET_DIR is not set (scripts/with-postgres.sh sets it)";
  }
  for (const std::string& text :
       {"postgresql://postgres@/postgres?host=" + std::string(dir) + "&port=" + port,
        "postgresql://postgres@" + encode_slashes(dir) + ":" + port + "/postgres"}) {
    pg_connection conn(url::parse(text), options_);
    // inet_server_addr() is NULL on a Unix-socket connection.
    EXPECT_EQ(testing::scalar_text(conn, "SELECT coalesce(inet_server_addr()::text, 'socket')"), "socket")
        << text;
  }
}

}  // namespace
}  // namespace relate::postgresql
