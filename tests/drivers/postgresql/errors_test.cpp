// SPDX-License-Identifier: MIT
// SQLSTATE -> relate's exception types, provoked on a real server: each class
// the driver maps, concurrency failures with two connections, and a backend
// killed under a connection.
#include "pg_errors.hpp"
#include "pg_test_support.hpp"

#include <relate/error.hpp>

#include <future>
#include <thread>

namespace relate::postgresql {
namespace {

using testing::pg_test;
using testing::run;
using testing::scalar_int;

class postgresql_errors : public pg_test {
 protected:
  // Runs sql and returns the error it raised, checked to be an E.
  template <class E>
  E expect_error(native_connection& conn, const std::string& sql, std::vector<value> params = {}) {
    try {
      run(conn, sql, std::move(params));
    } catch (const E& e) {
      EXPECT_EQ(e.driver(), "postgresql");
      EXPECT_EQ(e.sql(), sql);
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "wrong exception type for " << sql << ": " << e.what();
      throw;
    }
    ADD_FAILURE() << "no error from " << sql;
    throw std::runtime_error("no error");
  }
};

TEST_F(postgresql_errors, constraint_violations_are_integrity_errors) {
  auto conn = connect();
  const std::string parent = unique_table("parent"), child = unique_table("child");
  run(*conn, "CREATE TABLE " + parent + " (id INTEGER PRIMARY KEY, email TEXT UNIQUE)");
  run(*conn, "CREATE TABLE " + child + " (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES " +
                 parent + ", qty INTEGER CHECK (qty > 0))");
  run(*conn, "INSERT INTO " + parent + " VALUES ($1, $2)", {1, "secret-address@example.com"});

  const auto unique = expect_error<integrity_error>(*conn, "INSERT INTO " + parent + " VALUES ($1, $2)",
                                                    {2, "secret-address@example.com"});
  EXPECT_EQ(unique.native_code(), "23505");
  EXPECT_EQ(unique.category(), error_category::integrity);
  // The server's DETAIL quotes the duplicate value; relate's error never does.
  EXPECT_EQ(std::string(unique.what()).find("secret-address"), std::string::npos) << unique.what();

  EXPECT_EQ(expect_error<integrity_error>(*conn, "INSERT INTO " + child + " VALUES ($1, $2, $3)", {1, 99, 1})
                .native_code(),
            "23503");
  EXPECT_EQ(
      expect_error<integrity_error>(*conn, "INSERT INTO " + child + " (id) VALUES ($1)", {1}).native_code(),
      "23502");
  EXPECT_EQ(expect_error<integrity_error>(*conn, "INSERT INTO " + child + " VALUES ($1, $2, $3)", {1, 1, 0})
                .native_code(),
            "23514");
}

TEST_F(postgresql_errors, bad_sql_is_a_programming_error) {
  auto conn = connect();
  const auto syntax = expect_error<programming_error>(*conn, "SELEKT 1");
  EXPECT_EQ(syntax.native_code(), "42601");
  EXPECT_NE(syntax.native_message().find("syntax error"), std::string::npos) << syntax.native_message();
  EXPECT_EQ(expect_error<programming_error>(*conn, "SELECT * FROM relate_no_such_table_xyz").native_code(),
            "42P01");
  // The same with parameters (a prepared statement that cannot be prepared).
  EXPECT_EQ(
      expect_error<programming_error>(*conn, "SELECT nope FROM relate_no_such_table_xyz WHERE a = $1", {1})
          .native_code(),
      "42P01");
  EXPECT_EQ(
      expect_error<programming_error>(*conn, "SELECT no_such_column_q FROM (SELECT 1) AS s").native_code(),
      "42703");
}

TEST_F(postgresql_errors, bad_data_is_a_data_error) {
  auto conn = connect();
  EXPECT_EQ(expect_error<data_error>(*conn, "SELECT 1 / $1", {0}).native_code(), "22012");
  EXPECT_EQ(expect_error<data_error>(*conn, "SELECT $1::integer", {"not a number"}).native_code(), "22P02");
  EXPECT_EQ(expect_error<data_error>(*conn, "SELECT $1::smallint", {100000}).native_code(), "22003");
}

TEST_F(postgresql_errors, serialization_failure_is_a_retryable_operational_error) {
  auto a = connect();
  auto b = connect();
  const std::string t = unique_table("serial");
  run(*a, "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, v INTEGER)");
  run(*a, "INSERT INTO " + t + " VALUES (1, 0)");

  run(*a, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(scalar_int(*a, "SELECT v FROM " + t + " WHERE id = $1", {1}), 0);  // snapshot taken
  run(*b, "UPDATE " + t + " SET v = 1 WHERE id = $1", {1});                    // autocommit
  const auto e = expect_error<operational_error>(*a, "UPDATE " + t + " SET v = 2 WHERE id = $1", {1});
  EXPECT_EQ(e.native_code(), "40001");
  EXPECT_TRUE(e.retryable());
  a->rollback();
  EXPECT_EQ(scalar_int(*a, "SELECT v FROM " + t + " WHERE id = $1", {1}), 1);
}

TEST_F(postgresql_errors, deadlock_is_a_retryable_operational_error) {
  auto a = connect();
  auto b = connect();
  const std::string t = unique_table("deadlock");
  run(*a, "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, v INTEGER)");
  run(*a, "INSERT INTO " + t + " VALUES (1, 0), (2, 0)");
  const std::string update = "UPDATE " + t + " SET v = v + 1 WHERE id = $1";

  a->begin({});
  b->begin({});
  run(*a, update, {1});
  run(*b, update, {2});
  // a now waits for b's row; b then asks for a's: one of them is chosen as the victim.
  auto a_side = std::async(std::launch::async, [&]() -> std::string {
    try {
      run(*a, update, {2});
      return "";
    } catch (const operational_error& e) {
      return e.native_code() + (e.retryable() ? " retryable" : "");
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let a block first
  std::string b_result;
  try {
    run(*b, update, {1});
  } catch (const operational_error& e) {
    b_result = e.native_code() + (e.retryable() ? " retryable" : "");
  }
  // Whoever was not the victim proceeds once the victim's transaction ends.
  if (!b_result.empty()) b->rollback();
  const std::string a_result = a_side.get();
  if (!a_result.empty()) a->rollback();
  EXPECT_NE(a_result.empty(), b_result.empty()) << "exactly one side is the deadlock victim";
  EXPECT_EQ(a_result + b_result, "40P01 retryable");
  if (a_result.empty()) a->commit();
  if (b_result.empty()) b->commit();
}

TEST_F(postgresql_errors, terminated_backend_is_an_operational_error_and_closes_the_connection) {
  auto victim = connect();
  auto killer = connect();
  const int pid = PQbackendPID(victim->handle());
  // With a timeout, pg_terminate_backend waits until the backend has exited (PostgreSQL 14+).
  EXPECT_EQ(testing::scalar_text(*killer, "SELECT pg_terminate_backend($1, 10000)", {pid}), "t");
  try {
    run(*victim, "SELECT 1");
    FAIL() << "expected operational_error";
  } catch (const operational_error& e) {
    // 57P01 when the server's goodbye arrived, no SQLSTATE if only the closed socket did.
    EXPECT_TRUE(e.native_code() == "57P01" || e.native_code().empty()) << e.native_code() << ": " << e.what();
  }
  EXPECT_FALSE(victim->is_open());
  EXPECT_FALSE(victim->ping());
  EXPECT_THROW(run(*victim, "SELECT 1"), operational_error);  // still closed, still the same kind of error
}

}  // namespace
}  // namespace relate::postgresql
