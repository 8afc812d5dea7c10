// SPDX-License-Identifier: MIT
// The PostgreSQL driver as users reach it: through create_engine() and the
// plugin loader, with the engine's pool and logger.
#include "pg_test_support.hpp"

#include <relate/engine.hpp>

#include <thread>

namespace relate::postgresql {
namespace {

using testing::pg_test;

class postgresql_plugin : public pg_test {
 protected:
  engine make_engine(engine_options options = {}) {
    options.logger = options_.logger;
    return create_engine(url_, std::move(options));
  }
};

TEST_F(postgresql_plugin, both_schemes_load_the_driver) {
  const std::string rest = url_.substr(url_.find("://"));
  for (const std::string scheme : {"postgresql", "postgres"}) {
    auto e = create_engine(scheme + rest);
    EXPECT_EQ(e.driver_name(), "postgresql");
    EXPECT_EQ(e.dialect().name(), "postgresql");
    auto conn = e.connect();
    EXPECT_EQ(conn.execute("SELECT $1::int + 1", {41}).scalar<int>(), 42) << scheme;
  }
}

TEST_F(postgresql_plugin, notices_reach_the_engine_logger) {
  auto e = make_engine();
  auto conn = e.connect();
  conn.execute("DO $$ BEGIN RAISE NOTICE 'notice through the engine'; END $$");
  EXPECT_TRUE(sink_->contains(spdlog::level::info, "notice through the engine")) << sink_->all_text();
}

TEST_F(postgresql_plugin, streamed_results_through_the_engine) {
  auto e = make_engine();
  auto conn = e.connect();
  const std::vector<value> params{50'000};
  auto result = conn.execute("SELECT g FROM generate_series(1, $1) AS g", params, fetch_mode::streamed);
  std::int64_t count = 0;
  for (const auto& row : result) count += row.get<std::int64_t>(0) > 0;
  EXPECT_EQ(count, 50'000);
}

TEST_F(postgresql_plugin, pre_ping_replaces_a_pooled_connection_whose_backend_died) {
  auto e = make_engine({.pool_size = 1, .pool_pre_ping = true});
  std::int64_t pid = 0;
  {
    auto conn = e.connect();
    pid = *conn.execute("SELECT pg_backend_pid()").scalar<std::int64_t>();
    conn.commit();
  }  // back in the pool
  {
    auto killer = create_engine(url_).connect();
    EXPECT_TRUE(*killer.execute("SELECT pg_terminate_backend($1)", {pid}).scalar<bool>());
    // Termination is asynchronous: wait until the backend is gone.
    for (int i = 0; i < 100; ++i) {
      if (*killer.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", {pid})
               .scalar<std::int64_t>() == 0)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    killer.commit();
  }
  auto conn = e.connect();
  const auto new_pid = conn.execute("SELECT pg_backend_pid()").scalar<std::int64_t>();
  ASSERT_TRUE(new_pid);
  EXPECT_NE(*new_pid, pid);
}

}  // namespace
}  // namespace relate::postgresql

namespace relate::postgresql {
namespace {

// A COMMIT that PostgreSQL turned into a ROLLBACK (a statement of the
// transaction had failed) is an error, and what the application runs
// afterwards is still inside a transaction: its rollback() takes it back.
TEST_F(postgresql_plugin, a_failed_commit_leaves_nothing_autocommitted_behind) {
  auto e = make_engine();
  auto conn = e.connect();
  const std::string t = unique_table("failedcommit");
  conn.execute("CREATE TABLE " + t + " (v INTEGER PRIMARY KEY)");
  conn.commit();
  conn.execute("INSERT INTO " + t + " VALUES ($1)", {1});
  EXPECT_THROW(conn.execute("INSERT INTO " + t + " VALUES ($1)", {1}), integrity_error);
  EXPECT_THROW(conn.commit(), database_error);
  conn.execute("INSERT INTO " + t + " VALUES ($1)", {2});
  conn.rollback();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM " + t).scalar<std::int64_t>(), 0);
  conn.rollback();
}

}  // namespace
}  // namespace relate::postgresql
