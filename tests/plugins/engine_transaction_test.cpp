// SPDX-License-Identifier: MIT
// Connections and transactions (SQLAlchemy 2.0 "commit as you go"): autobegin,
// rollback on return to the pool, RAII guards and savepoints.
#include "fake_engine.hpp"

#include <relate/engine.hpp>

#include <gtest/gtest.h>

namespace {

using relate::testing::journal_of;
using relate::testing::test_host;
using events = std::vector<std::string>;

TEST(engine_transactions, first_statement_begins_and_commit_ends) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  {
    auto conn = engine.connect();
    EXPECT_FALSE(conn.in_transaction());
    conn.execute("INSERT 1");
    EXPECT_TRUE(conn.in_transaction());
    conn.execute("INSERT 2");
    conn.commit();
    EXPECT_FALSE(conn.in_transaction());
  }
  EXPECT_EQ(journal_of(host),
            (events{"c1 open", "c1 begin", "c1 exec INSERT 1", "c1 exec INSERT 2", "c1 commit"}));
}

TEST(engine_transactions, returning_to_the_pool_rolls_back) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  { engine.connect().execute("INSERT 1"); }
  auto again = engine.connect();
  EXPECT_FALSE(again.in_transaction());
  EXPECT_EQ(again.execute("SELECT connection_id").scalar<int>(), 1);  // the same, pooled connection
  EXPECT_EQ(journal_of(host), (events{"c1 open", "c1 begin", "c1 exec INSERT 1", "c1 rollback", "c1 begin",
                                      "c1 exec SELECT connection_id"}));
}

TEST(engine_transactions, close_rolls_back_and_forbids_use) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  conn.execute("INSERT 1");
  conn.close();
  EXPECT_TRUE(conn.closed());
  EXPECT_THROW(conn.execute("INSERT 2"), relate::usage_error);
  EXPECT_THROW(conn.commit(), relate::usage_error);
  EXPECT_EQ(journal_of(host), (events{"c1 open", "c1 begin", "c1 exec INSERT 1", "c1 rollback"}));
}

TEST(engine_transactions, guard_commits_or_rolls_back) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  {
    auto tx = conn.begin();
    conn.execute("INSERT 1");
    tx.commit();
    EXPECT_FALSE(tx.is_active());
    EXPECT_THROW(tx.commit(), relate::usage_error);
  }
  {
    auto tx = conn.begin();
    conn.execute("INSERT 2");
  }  // no commit: rolled back
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(journal_of(host), (events{"c1 open", "c1 begin", "c1 exec INSERT 1", "c1 commit", "c1 begin",
                                      "c1 exec INSERT 2", "c1 rollback"}));
}

TEST(engine_transactions, guard_rolls_back_when_an_exception_escapes) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  EXPECT_THROW(
      {
        auto tx = conn.begin();
        conn.execute("INSERT 1");
        conn.execute("FAIL integrity");
        tx.commit();
      },
      relate::integrity_error);
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(journal_of(host).back(), "c1 rollback");
}

TEST(engine_transactions, savepoints_nest_with_generated_names) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  conn.execute("INSERT 1");
  {
    auto outer = conn.begin_nested();
    conn.execute("INSERT 2");
    {
      auto inner = conn.begin();  // inside a transaction, begin() is a savepoint too
      conn.execute("INSERT 3");
    }  // rolled back to relate_sp_2
    outer.commit();
  }
  conn.commit();
  EXPECT_EQ(journal_of(host),
            (events{"c1 open", "c1 begin", "c1 exec INSERT 1", "c1 savepoint relate_sp_1", "c1 exec INSERT 2",
                    "c1 savepoint relate_sp_2", "c1 exec INSERT 3", "c1 rollback_to relate_sp_2",
                    "c1 release relate_sp_2", "c1 release relate_sp_1", "c1 commit"}));
}

TEST(engine_transactions, begin_nested_without_transaction_begins_one) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  auto sp = conn.begin_nested();
  EXPECT_TRUE(conn.in_transaction());
  sp.rollback();
  EXPECT_TRUE(conn.in_transaction());  // only the savepoint ended
  EXPECT_EQ(journal_of(host), (events{"c1 open", "c1 begin", "c1 savepoint relate_sp_1",
                                      "c1 rollback_to relate_sp_1", "c1 release relate_sp_1"}));
}

TEST(engine_transactions, guard_of_an_ended_transaction_does_nothing) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto conn = engine.connect();
  auto tx = conn.begin();
  auto sp = conn.begin_nested();
  conn.commit();             // ends both behind the guards' backs
  conn.execute("INSERT 1");  // a new transaction the old guards must not touch
  EXPECT_THROW(sp.commit(), relate::usage_error);
  tx.rollback();
  EXPECT_TRUE(conn.in_transaction());
  EXPECT_EQ(journal_of(host), (events{"c1 open", "c1 begin", "c1 savepoint relate_sp_1", "c1 commit",
                                      "c1 begin", "c1 exec INSERT 1"}));
}

TEST(engine_transactions, moved_connection_keeps_its_transaction) {
  const auto host = test_host();
  auto engine = relate::create_engine("fakedb://" + host + "/db");
  auto first = engine.connect();
  first.execute("INSERT 1");
  auto second = std::move(first);
  EXPECT_TRUE(second.in_transaction());
  second.commit();
  EXPECT_EQ(journal_of(host).back(), "c1 commit");
}

TEST(engine_transactions, database_errors_keep_their_category) {
  auto engine = relate::create_engine("fakedb://" + test_host() + "/db");
  auto conn = engine.connect();
  EXPECT_THROW(conn.execute("FAIL integrity"), relate::integrity_error);
  EXPECT_THROW(conn.execute("FAIL programming"), relate::programming_error);
  try {
    conn.execute("FAIL data", {42, "secret-value"});
    FAIL() << "no data_error";
  } catch (const relate::data_error& e) {
    EXPECT_EQ(e.driver(), "fakedb");
    EXPECT_EQ(e.sql(), "FAIL data");
    EXPECT_EQ(std::string(e.what()).find("secret-value"), std::string::npos);
  }
}

}  // namespace
