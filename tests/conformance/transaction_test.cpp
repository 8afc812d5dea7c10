// SPDX-License-Identifier: MIT
// Transactions on every backend: what a second connection sees after commit
// and rollback, the RAII guard, and savepoints.
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace relate::testing {
namespace {

class transactions : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto conn = engine().connect();
    conn.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT)");
    conn.commit();
  }

  void insert(connection& conn, std::int64_t id) {
    conn.execute(portable_sql(engine(), "INSERT INTO items (id, name) VALUES (?, ?)"), {id, "item"});
  }

  // The ids as another connection sees them (only committed rows).
  std::vector<std::int64_t> committed_ids() {
    auto observer = engine().connect();
    std::vector<std::int64_t> ids;
    for (const auto& row : observer.execute("SELECT id FROM items ORDER BY id"))
      ids.push_back(row.get<std::int64_t>(0));
    observer.rollback();
    return ids;
  }

  using ids = std::vector<std::int64_t>;
};

TEST_P(transactions, commit_is_visible_from_a_second_connection) {
  auto conn = engine().connect();
  insert(conn, 1);
  EXPECT_TRUE(conn.in_transaction());
  EXPECT_EQ(committed_ids(), ids{}) << "uncommitted rows are invisible to other connections";
  conn.commit();
  EXPECT_EQ(committed_ids(), ids{1});
}

TEST_P(transactions, rollback_discards_the_changes) {
  auto conn = engine().connect();
  insert(conn, 1);
  conn.rollback();
  EXPECT_FALSE(conn.in_transaction());
  EXPECT_EQ(conn.execute("SELECT count(*) FROM items").scalar<std::int64_t>(), 0);
  EXPECT_EQ(committed_ids(), ids{});
}

TEST_P(transactions, a_connection_returned_uncommitted_rolls_back) {
  {
    auto conn = engine().connect();
    insert(conn, 1);
  }
  EXPECT_EQ(committed_ids(), ids{});
}

TEST_P(transactions, guard_commits_only_when_told) {
  auto conn = engine().connect();
  {
    auto tx = conn.begin();
    insert(conn, 1);
    EXPECT_TRUE(tx.is_active());
    tx.commit();
    EXPECT_FALSE(tx.is_active());
  }
  EXPECT_EQ(committed_ids(), ids{1});
  {
    auto tx = conn.begin();
    insert(conn, 2);
  }  // destroyed without commit
  EXPECT_EQ(committed_ids(), ids{1});
  EXPECT_EQ(conn.execute("SELECT count(*) FROM items").scalar<std::int64_t>(), 1);
}

TEST_P(transactions, guard_rolls_back_when_an_exception_leaves_the_scope) {
  auto conn = engine().connect();
  try {
    auto tx = conn.begin();
    insert(conn, 1);
    insert(conn, 2);
    throw std::runtime_error("failure in the middle of a unit of work");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(committed_ids(), ids{});
  // The connection is usable afterwards.
  insert(conn, 3);
  conn.commit();
  EXPECT_EQ(committed_ids(), ids{3});
}

TEST_P(transactions, savepoint_rollback_undoes_only_the_nested_part) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  insert(conn, 1);
  {
    auto nested = conn.begin_nested();
    insert(conn, 2);
    nested.rollback();
  }
  insert(conn, 3);
  {
    auto nested = conn.begin_nested();
    insert(conn, 4);
    nested.commit();  // released into the outer transaction
  }
  {
    auto nested = conn.begin_nested();
    insert(conn, 5);
  }  // a nested guard left without commit rolls back to its savepoint
  EXPECT_EQ(committed_ids(), ids{});
  tx.commit();
  EXPECT_EQ(committed_ids(), (ids{1, 3, 4}));
}

TEST_P(transactions, savepoint_recovers_from_a_failed_statement) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  insert(conn, 1);
  {
    auto nested = conn.begin_nested();
    EXPECT_THROW(insert(conn, 1), integrity_error);
    nested.rollback();  // the outer transaction stays usable (PostgreSQL needs this)
  }
  insert(conn, 2);
  tx.commit();
  EXPECT_EQ(committed_ids(), (ids{1, 2}));
}

TEST_P(transactions, savepoints_nest) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  auto outer = conn.begin_nested();
  insert(conn, 1);
  {
    auto inner = conn.begin_nested();
    insert(conn, 2);
    inner.commit();
  }
  outer.rollback();  // takes the released inner savepoint's row with it
  insert(conn, 3);
  tx.commit();
  EXPECT_EQ(committed_ids(), ids{3});
}

RELATE_INSTANTIATE_BACKENDS(transactions);

}  // namespace
}  // namespace relate::testing
