// SPDX-License-Identifier: MIT
// Failover with a multi-host URL: a primary and a streaming standby
// (pg_basebackup -R) on loopback, made for this test by
// scripts/postgres-failover.sh (its path in RELATE_TEST_FAILOVER_SCRIPT, set
// by scripts/with-postgres.sh).  The engine writes, the primary stops, the
// standby is promoted, and the next session writes to it once pre-ping has
// discarded the pooled connections to the dead primary.
#include "production_support.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>
#include <thread>

namespace production_test {
namespace {

using namespace std::chrono_literals;

struct pair_of_servers {
  std::string script, dir;
  int primary = 0, standby = 0;
  ~pair_of_servers() {
    if (!dir.empty()) run_command(script + " stop " + dir);
  }
};

TEST(failover, a_multi_host_engine_reaches_the_promoted_standby) {
  pair_of_servers servers;
  servers.script = require_env("RELATE_TEST_FAILOVER_SCRIPT", "the failover test");
  if (servers.script.empty()) return;
  std::istringstream started(run_command(servers.script + " start"));
  started >> servers.dir >> servers.primary >> servers.standby;
  ASSERT_GT(servers.standby, 0) << "the script did not report its servers";
  auto at = [](int port) { return "127.0.0.1:" + std::to_string(port); };
  // The standby first in the list: target_session_attrs is what picks the primary.
  const auto url = "postgresql://postgres@" + at(servers.standby) + "," + at(servers.primary) +
                   "/postgres?target_session_attrs=read-write&connect_timeout=2";
  auto e = relate::create_engine(url, {.pool_size = 2, .pool_pre_ping = true});
  {
    auto conn = e.connect();
    conn.execute("CREATE TABLE events (id integer PRIMARY KEY, server_port integer)");
    conn.execute("INSERT INTO events VALUES (1, current_setting('port')::integer)");
    conn.commit();
    EXPECT_EQ(conn.execute("SELECT server_port FROM events").scalar<std::int64_t>(), servers.primary);
    conn.rollback();
  }
  // The standby has replayed the row before the primary goes.
  auto standby = relate::create_engine("postgresql://postgres@" + at(servers.standby) + "/postgres");
  for (int i = 0; i < 200; ++i) {
    try {
      if (count_rows(standby, "SELECT count(*) FROM events") == 1) break;
    } catch (const relate::database_error&) {
    }
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(count_rows(standby, "SELECT count(*) FROM events"), 1);
  standby.dispose();

  run_command(servers.script + " stop-primary " + servers.dir);
  run_command(servers.script + " promote " + servers.dir);
  EXPECT_EQ(e.pool_status().idle, 1u);  // still holds a connection to the dead primary

  relate::session s(e);
  auto& conn = s.get_connection();
  conn.execute("INSERT INTO events VALUES (2, current_setting('port')::integer)");
  s.commit();
  auto check = e.connect();
  EXPECT_EQ(check.execute("SELECT server_port FROM events WHERE id = 2").scalar<std::int64_t>(),
            servers.standby);
  EXPECT_EQ(check.execute("SELECT count(*) FROM events").scalar<std::int64_t>(), 2);
}

}  // namespace
}  // namespace production_test
