// SPDX-License-Identifier: MIT
// Isolation levels, read-only and autocommit transactions, per engine,
// connection and session; statement_timeout and lock_timeout.
#include "production_support.hpp"

#include <thread>

namespace production_test {
namespace {

using namespace std::chrono_literals;
using relate::isolation_level;

class transaction_options : public relate::testing::backend_test {};

std::string isolation_in_effect(relate::connection& conn) {
  auto level = conn.execute("SHOW transaction_isolation").scalar<std::string>().value_or("");
  conn.rollback();
  return level;
}

// Runs sql, which must be cancelled (with SQLSTATE code) long before it would end.
void expect_canceled(relate::connection& conn, const std::string& sql, const char* code) {
  const auto start = std::chrono::steady_clock::now();
  try {
    conn.execute(sql);
    ADD_FAILURE() << sql << " was not cancelled";
  } catch (const relate::query_canceled_error& error) {
    EXPECT_EQ(error.native_code(), code);
    EXPECT_LT(seconds_since(start), 5.0);
  }
}

TEST_P(transaction_options, the_isolation_level_in_effect_is_the_one_asked_for) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite's transactions are always serializable";
  {
    auto conn = engine().connect();
    EXPECT_EQ(isolation_in_effect(conn), "read committed");
    for (auto [level, name] : {std::pair{isolation_level::repeatable_read, "repeatable read"},
                               std::pair{isolation_level::serializable, "serializable"},
                               std::pair{isolation_level::read_committed, "read committed"}}) {
      conn.set_transaction_options({.isolation = level});
      EXPECT_EQ(isolation_in_effect(conn), name);
    }
    // READ ONLY DEFERRABLE: the snapshot-waiting mode of SERIALIZABLE.
    conn.set_transaction_options(
        {.isolation = isolation_level::serializable, .read_only = true, .deferrable = true});
    EXPECT_EQ(conn.execute("SHOW transaction_deferrable").scalar<std::string>(), "on");
    EXPECT_EQ(conn.execute("SHOW transaction_read_only").scalar<std::string>(), "on");
    EXPECT_EQ(conn.execute("SHOW transaction_isolation").scalar<std::string>(), "serializable");
    conn.rollback();
    conn.set_transaction_options({});
  }
  // Per engine, and per session over it.
  auto e =
      relate::create_engine(db().url(), {.transaction = {.isolation = isolation_level::repeatable_read}});
  {
    auto conn = e.connect();
    EXPECT_EQ(isolation_in_effect(conn), "repeatable read");
  }
  relate::session s(e,
                    {.transaction = relate::transaction_options{.isolation = isolation_level::serializable}});
  EXPECT_EQ(isolation_in_effect(s.get_connection()), "serializable");
  // A connection back in the pool forgets what its last user asked for.
  auto conn = e.connect();
  conn.set_transaction_options({.isolation = isolation_level::serializable});
  conn.close();
  auto again = e.connect();
  EXPECT_EQ(isolation_in_effect(again), "repeatable read");
}

TEST_P(transaction_options, the_level_cannot_change_inside_a_transaction) {
  auto conn = engine().connect();
  conn.execute("SELECT 1");
  EXPECT_THROW(conn.set_transaction_options({.isolation = isolation_level::serializable}),
               relate::usage_error);
  conn.rollback();
  conn.set_transaction_options({.isolation = isolation_level::serializable});
}

TEST_P(transaction_options, a_read_only_transaction_refuses_writes) {
  {
    auto conn = engine().connect();
    conn.execute("CREATE TABLE notes (body TEXT)");
    conn.commit();
  }
  auto conn = engine().connect();
  conn.set_transaction_options({.read_only = true});
  EXPECT_EQ(conn.execute("SELECT count(*) FROM notes").scalar<std::int64_t>(), 0);  // reads work
  EXPECT_THROW(conn.execute("INSERT INTO notes (body) VALUES ('no')"), relate::database_error);
  conn.rollback();
  conn.set_transaction_options({});
  conn.execute("INSERT INTO notes (body) VALUES ('yes')");
  conn.commit();
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM notes"), 1);
}

TEST_P(transaction_options, a_connection_back_from_a_read_only_user_writes_again) {
  {
    auto conn = engine().connect();
    conn.execute("CREATE TABLE notes (body TEXT)");
    conn.commit();
  }
  {
    auto conn = engine().connect();
    conn.set_transaction_options({.read_only = true});
    EXPECT_EQ(conn.execute("SELECT count(*) FROM notes").scalar<std::int64_t>(), 0);
  }  // back in the pool, as a read-only session's connection goes
  {
    auto conn = engine().connect();
    conn.execute("INSERT INTO notes (body) VALUES ('in a transaction')");
    conn.commit();
  }
  {
    auto conn = engine().connect();
    conn.set_transaction_options({.read_only = true});
    conn.execute("SELECT 1");
    conn.rollback();
    conn.set_transaction_options({.isolation = isolation_level::autocommit});
    conn.execute("INSERT INTO notes (body) VALUES ('in autocommit')");
  }
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM notes"), 2);
}

TEST_P(transaction_options, autocommit_runs_statements_that_cannot_run_in_a_transaction) {
  // SQLite's VACUUM takes a schema, PostgreSQL's a table.
  const std::string vacuum = backend() == "postgresql" ? "VACUUM t" : "VACUUM main";
  auto conn = engine().connect();
  conn.execute("CREATE TABLE t (n INTEGER)");
  conn.commit();
  EXPECT_THROW(conn.execute(vacuum), relate::database_error);
  conn.rollback();
  conn.set_transaction_options({.isolation = isolation_level::autocommit});
  conn.execute(vacuum);
  conn.execute("INSERT INTO t (n) VALUES (1)");
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM t"), 1);  // committed without commit()
  // An explicit begin() still opens a transaction.
  {
    auto tx = conn.begin();
    conn.execute("INSERT INTO t (n) VALUES (2)");
  }  // rolled back
  EXPECT_EQ(count_rows(engine(), "SELECT count(*) FROM t"), 1);
}

TEST_P(transaction_options, statement_timeout_cancels_a_long_statement_with_a_distinct_error) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite has no statement timeout";
  auto e = relate::create_engine(db().url(), {.statement_timeout = 200ms});
  auto conn = e.connect();
  expect_canceled(conn, "SELECT pg_sleep(10)", "57014");
  conn.rollback();
  // Also outside a transaction, in autocommit mode.
  conn.set_transaction_options({.isolation = isolation_level::autocommit});
  EXPECT_THROW(conn.execute("SELECT pg_sleep(10)"), relate::query_canceled_error);
}

TEST_P(transaction_options, lock_timeout_ends_a_wait_for_a_row_lock) {
  if (backend() != "postgresql") GTEST_SKIP() << "SQLite's lock wait is busy_timeout (see the retry tests)";
  {
    auto conn = engine().connect();
    conn.execute("CREATE TABLE rows_ (id INTEGER PRIMARY KEY)");
    conn.execute("INSERT INTO rows_ (id) VALUES (1)");
    conn.commit();
  }
  auto holder = engine().connect();
  holder.execute("UPDATE rows_ SET id = 1 WHERE id = 1");
  auto e = relate::create_engine(db().url(), {.lock_timeout = 200ms});
  auto conn = e.connect();
  expect_canceled(conn, "UPDATE rows_ SET id = 1 WHERE id = 1", "55P03");
}

RELATE_INSTANTIATE_BACKENDS(transaction_options);

}  // namespace
}  // namespace production_test
