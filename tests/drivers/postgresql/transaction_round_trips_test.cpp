// SPDX-License-Identifier: MIT
// The round trips a short transaction costs (pg_deferred_begin.cpp): BEGIN
// goes out with the first statement, and a READ ONLY transaction of queries
// is rolled back without waiting.  What the server sees is watched from a
// second connection through pg_stat_activity.
#include "pg_test_support.hpp"

#include <relate/transaction_options.hpp>

namespace relate::postgresql {
namespace {

using testing::pg_test;
using testing::run;
using testing::scalar_int;
using testing::scalar_text;

class postgresql_round_trips : public pg_test {
 protected:
  void SetUp() override {
    pg_test::SetUp();
    if (IsSkipped()) return;
    conn_ = connect();
    observer_ = connect();
    pid_ = scalar_int(*conn_, "SELECT pg_backend_pid()");
  }
  /// The state the server reports for conn_'s backend ("idle", "idle in transaction").
  std::string server_state() {
    return scalar_text(*observer_, "SELECT state FROM pg_stat_activity WHERE pid = $1", {pid_});
  }

  std::unique_ptr<pg_connection> conn_, observer_;
  std::int64_t pid_ = 0;
};

TEST_F(postgresql_round_trips, begin_reaches_the_server_with_the_first_statement) {
  conn_->begin({});
  EXPECT_EQ(server_state(), "idle") << "BEGIN alone must not cost a round trip";
  EXPECT_EQ(scalar_int(*conn_, "SELECT 1"), 1);  // simple protocol: BEGIN in the same query
  EXPECT_EQ(server_state(), "idle in transaction");
  conn_->rollback();
  EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_IDLE) << "a read-write ROLLBACK is waited for";
  EXPECT_EQ(server_state(), "idle");

  // With parameters (one pipeline), the transaction has the options asked for.
  conn_->begin({.isolation = isolation_level::serializable, .read_only = false, .deferrable = false});
  EXPECT_EQ(server_state(), "idle");
  EXPECT_EQ(scalar_text(*conn_, "SELECT current_setting($1)", {"transaction_isolation"}), "serializable");
  EXPECT_EQ(server_state(), "idle in transaction");
  conn_->commit();
  EXPECT_EQ(server_state(), "idle");
  EXPECT_EQ(scalar_text(*conn_, "SELECT current_setting($1)", {"transaction_isolation"}), "read committed");
}

TEST_F(postgresql_round_trips, a_transaction_with_no_statement_sends_nothing_and_ends_cleanly) {
  conn_->begin({});
  conn_->commit();
  conn_->begin({});
  conn_->rollback();
  EXPECT_EQ(server_state(), "idle");
  // A savepoint needs the transaction: BEGIN goes out with it.
  conn_->begin({});
  conn_->savepoint("sp");
  EXPECT_EQ(server_state(), "idle in transaction");
  conn_->rollback_to_savepoint("sp");
  conn_->rollback();
  EXPECT_EQ(server_state(), "idle");
}

TEST_F(postgresql_round_trips, a_statement_that_fails_after_a_deferred_begin_leaves_its_transaction_failed) {
  conn_->begin({});
  EXPECT_THROW(run(*conn_, "SELECT $1::int / 0", {1}), database_error);
  EXPECT_EQ(server_state(), "idle in transaction (aborted)");
  conn_->rollback();
  EXPECT_EQ(scalar_int(*conn_, "SELECT $1::int + 1", {1}), 2);
}

TEST_F(postgresql_round_trips, a_read_only_transaction_of_queries_ends_and_the_connection_carries_on) {
  conn_->begin({.isolation = isolation_level::database_default, .read_only = true, .deferrable = false});
  EXPECT_EQ(scalar_text(*conn_, "SELECT current_setting($1)", {"transaction_read_only"}), "on");
  conn_->rollback();
  // ROLLBACK went out and rollback() did not wait for its reply...
  EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_ACTIVE);
  // ...which the next use reads; the transaction is over.
  EXPECT_TRUE(conn_->reset());
  EXPECT_EQ(scalar_text(*conn_, "SELECT current_setting($1)", {"transaction_read_only"}), "off");
  EXPECT_EQ(server_state(), "idle");
  // And after a pre-ping.
  conn_->begin({.isolation = isolation_level::database_default, .read_only = true, .deferrable = false});
  EXPECT_EQ(scalar_int(*conn_, "WITH x AS (SELECT $1::int AS v) SELECT v FROM x", {7}), 7);
  conn_->rollback();
  EXPECT_TRUE(conn_->ping());
  EXPECT_EQ(server_state(), "idle");
}

TEST_F(postgresql_round_trips, the_next_transaction_goes_out_behind_a_read_only_rollback) {
  const std::string t = unique_table("behind");
  run(*observer_, "CREATE TABLE " + t + " (v INTEGER)");
  const std::string count = "SELECT count(*) FROM " + t + " WHERE v >= $1";
  const transaction_options read_only{
      .isolation = isolation_level::database_default, .read_only = true, .deferrable = false};
  // Both statements prepared once, so that later they need nothing but their execution.
  EXPECT_EQ(scalar_int(*conn_, count, {0}), 0);
  EXPECT_THROW(run(*conn_, "SELECT $1::int / 0", {1}), database_error);

  conn_->begin(read_only);
  EXPECT_EQ(scalar_int(*conn_, count, {0}), 0);
  conn_->rollback();
  run(*observer_, "INSERT INTO " + t + " VALUES (1)");  // committed while that ROLLBACK is on its way
  conn_->begin(read_only);
  EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_ACTIVE) << "begin() must not wait for the ROLLBACK";
  // The lookup went out behind the ROLLBACK: a transaction of its own, with its options, that sees the
  // insert.
  EXPECT_EQ(scalar_int(*conn_, count, {0}), 1);
  EXPECT_EQ(server_state(), "idle in transaction");
  EXPECT_EQ(scalar_text(*conn_, "SELECT current_setting($1)", {"transaction_read_only"}), "on");
  conn_->rollback();

  // A statement that fails behind the ROLLBACK reports its own error; the connection carries on.
  conn_->begin(read_only);
  try {
    run(*conn_, "SELECT $1::int / 0", {1});
    ADD_FAILURE() << "division by zero did not fail";
  } catch (const database_error& e) {
    EXPECT_EQ(e.info().sql, "SELECT $1::int / 0");
    EXPECT_EQ(e.info().native_code, "22012");
  }
  EXPECT_EQ(server_state(), "idle in transaction (aborted)");
  conn_->rollback();
  EXPECT_TRUE(conn_->reset());
  EXPECT_EQ(scalar_int(*conn_, "SELECT $1::int + 1", {1}), 2);
  EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_IDLE);
}

TEST_F(postgresql_round_trips, a_read_only_transaction_that_locked_a_table_waits_for_its_rollback) {
  const std::string t = unique_table("locked");
  run(*observer_, "CREATE TABLE " + t + " (id INTEGER)");
  for (int i = 0; i < 3; ++i) {
    conn_->begin({.isolation = isolation_level::database_default, .read_only = true, .deferrable = false});
    run(*conn_, "LOCK TABLE " + t + " IN ACCESS EXCLUSIVE MODE");
    conn_->rollback();
    // rollback() waited for the reply (the connection is idle, not waiting
    // for one), so the lock is gone the moment it returns: NOWAIT succeeds.
    EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_IDLE);
    observer_->begin({});
    EXPECT_NO_THROW(run(*observer_, "LOCK TABLE " + t + " IN ACCESS EXCLUSIVE MODE NOWAIT")) << "round " << i;
    observer_->rollback();
  }
}

}  // namespace
}  // namespace relate::postgresql
