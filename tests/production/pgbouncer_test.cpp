// SPDX-License-Identifier: MIT
// Behind PgBouncer in transaction mode (scripts/with-postgres.sh starts one in
// front of its throwaway server, with a server pool of 2 per database): named
// prepared statements fail with a clear error, unnamed ones work, batches
// still go out in a pipeline.  The ORM and relationship suites also run
// through it (tests/production/CMakeLists.txt).
#include "production_support.hpp"

#include <unistd.h>

namespace production_test {
namespace {

std::string bouncer_url() { return require_env("RELATE_TEST_PGBOUNCER_URL", "the PgBouncer tests"); }

// A fresh engine (so a fresh client connection, whose statement names start
// again at relate_1) runs a statement with a parameter: the server connection
// PgBouncer lends it may already hold relate_1 from an earlier client.
void run_fresh_client(const std::string& url, relate::engine_options options) {
  auto e = relate::create_engine(url, std::move(options));
  auto conn = e.connect();
  EXPECT_EQ(conn.execute("SELECT $1::integer + 1", {41}).scalar<std::int64_t>(), 42);
  conn.commit();
}

TEST(pgbouncer, named_prepared_statements_fail_with_a_clear_error) {
  const auto url = bouncer_url();
  if (url.empty()) return;
  std::string failure;
  for (int i = 0; i < 10 && failure.empty(); ++i) {
    try {
      run_fresh_client(url, {});
    } catch (const relate::programming_error& error) {
      failure = error.what();
    }
  }
  ASSERT_FALSE(failure.empty()) << "named statements worked through PgBouncer: the switch would not matter";
  EXPECT_NE(failure.find("prepared_statements=false"), std::string::npos) << failure;
}

TEST(pgbouncer, unnamed_statements_work_from_many_clients) {
  const auto url = bouncer_url();
  if (url.empty()) return;
  for (int i = 0; i < 20; ++i) run_fresh_client(url, {.prepared_statements = false});
  for (int i = 0; i < 5; ++i) run_fresh_client(url + "?prepared_statements=false", {});
}

TEST(pgbouncer, batches_and_timeouts_work_without_prepared_statements) {
  const auto url = bouncer_url();
  if (url.empty()) return;
  auto e = relate::create_engine(
      url, {.statement_timeout = std::chrono::milliseconds(200), .prepared_statements = false});
  auto conn = e.connect();
  conn.execute("CREATE TEMPORARY TABLE batch (n integer, label text)");
  std::vector<std::vector<relate::value>> rows;
  for (int i = 0; i < 50; ++i) rows.push_back({i, "row " + std::to_string(i)});
  const auto counts = conn.execute_many("INSERT INTO batch (n, label) VALUES ($1, $2)", rows);
  EXPECT_EQ(counts.size(), 50u);
  EXPECT_EQ(conn.execute("SELECT sum(n) FROM batch WHERE label LIKE $1", {"row %"}).scalar<std::int64_t>(),
            1225);
  // SET LOCAL at each BEGIN: the limit holds whichever server connection runs it.
  EXPECT_THROW(conn.execute("SELECT pg_sleep(5)"), relate::query_canceled_error);
  conn.rollback();
  // Nothing of it stays on the server connections other clients get next.
  for (int i = 0; i < 4; ++i) {
    auto other = relate::create_engine(url, {.prepared_statements = false});
    auto c = other.connect();
    EXPECT_EQ(c.execute("SHOW statement_timeout").scalar<std::string>(), "0");
  }
}

// A READ ONLY transaction's ROLLBACK is not waited for, and the next
// transaction's BEGIN and first statement are queued behind it
// (pg_deferred_begin.cpp): PgBouncer sees the three in one pipeline, and may
// hand the second transaction to another server connection.
TEST(pgbouncer, read_only_transactions_back_to_back_each_see_the_latest_commit) {
  const auto url = bouncer_url();
  if (url.empty()) return;
  const std::string table = "ro_lookups_" + std::to_string(::getpid());
  auto e = relate::create_engine(url, {.prepared_statements = false});
  auto writer = relate::create_engine(url, {.prepared_statements = false});
  {
    auto conn = writer.connect();
    conn.execute("DROP TABLE IF EXISTS " + table);
    conn.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY)");
    conn.commit();
  }
  for (int i = 0; i < 30; ++i) {
    {
      auto conn = e.connect();  // the pool's one connection, its last ROLLBACK perhaps unanswered
      conn.set_transaction_options({.read_only = true});
      EXPECT_EQ(conn.execute("SELECT count(*) FROM " + table + " WHERE id >= $1", {0}).scalar<std::int64_t>(),
                i)
          << "round " << i;
      EXPECT_EQ(conn.execute("SELECT current_setting($1)", {"transaction_read_only"}).scalar<std::string>(),
                "on");
      conn.rollback();
    }
    auto w = writer.connect();
    w.execute("INSERT INTO " + table + " (id) VALUES ($1)", {i});
    w.commit();
  }
  auto conn = writer.connect();
  conn.execute("DROP TABLE " + table);
  conn.commit();
}

}  // namespace
}  // namespace production_test
