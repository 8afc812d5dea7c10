// SPDX-License-Identifier: MIT
// Reads routed to PostgreSQL streaming standbys: a primary and two standbys
// (pg_basebackup -R) on loopback, made for each test by
// scripts/postgres-failover.sh (RELATE_TEST_FAILOVER_SCRIPT, set by
// scripts/with-postgres.sh).  Which server served a read is asked of the
// connection that served it: pg_is_in_recovery() and its port.
#include "production_support.hpp"
#include "replica_support.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace production_test {
namespace {

using namespace std::chrono_literals;

std::string url_at(int port) {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
}

/// Where a session's reads ran: the port of the server, and whether it is a standby.
struct server {
  int port = 0;
  bool standby = false;
};
server served_by(relate::session& s) {
  auto& conn = s.get_connection();
  auto r = conn.execute("SELECT current_setting('port')::integer, pg_is_in_recovery()");
  server where;
  for (const auto& row : r) {
    where.port = row.get<int>(0);
    where.standby = row.get<bool>(1);
  }
  return where;
}

class replicas : public ::testing::Test {
 protected:
  void SetUp() override {
    script_ = require_env("RELATE_TEST_FAILOVER_SCRIPT", "the replica tests");
    if (script_.empty()) GTEST_SKIP();
    std::istringstream started(run_command(script_ + " start 2"));
    started >> dir_ >> primary_ >> standby_[0] >> standby_[1];
    ASSERT_GT(standby_[1], 0) << "the script did not report its servers";
    auto e = relate::create_engine(url_at(primary_));
    relate::metadata meta;
    meta.add<Note>();
    meta.create_all(e);
    relate::session s(e);
    s.add(Note{.id = 1, .body = "before"});
    s.commit();
    // Both standbys have replayed the table and its first row.
    for (int port : standby_) wait_for_rows(port, 1);
  }
  void TearDown() override {
    if (!dir_.empty()) run_command(script_ + " stop " + dir_);
  }

  relate::engine routed(relate::engine_options options = {}) const {
    options.replicas = {url_at(standby_[0]), url_at(standby_[1])};
    return relate::create_engine(url_at(primary_), std::move(options));
  }
  static void wait_for_rows(int port, std::int64_t rows) {
    auto e = relate::create_engine(url_at(port));
    for (int i = 0; i < 400; ++i) {
      try {
        if (count_rows(e, "SELECT count(*) FROM notes") == rows) return;
      } catch (const relate::database_error&) {
      }
      std::this_thread::sleep_for(25ms);
    }
    FAIL() << "the standby on port " << port << " did not replay " << rows << " rows";
  }
  void on_standbys(const std::string& sql) const {
    for (int port : standby_) {
      auto conn = relate::create_engine(url_at(port),
                                        {.transaction = {.isolation = relate::isolation_level::autocommit}})
                      .connect();
      conn.execute(sql);
    }
  }

  std::string script_, dir_;
  int primary_ = 0;
  std::array<int, 2> standby_{};
};

TEST_F(replicas, read_only_sessions_run_on_a_standby_and_the_others_on_the_primary) {
  auto e = routed();
  std::set<int> ports;
  for (int i = 0; i < 4; ++i) {
    relate::session reader(e, {.transaction = read_only});
    const auto where = served_by(reader);
    EXPECT_TRUE(where.standby) << "read " << i << " ran on port " << where.port;
    EXPECT_EQ(reader.get<Note>(1)->body, "before");
    ports.insert(where.port);
  }
  EXPECT_EQ(ports, (std::set<int>{standby_[0], standby_[1]})) << "reads take turns over the standbys";

  relate::session writer(e);
  const auto where = served_by(writer);
  EXPECT_FALSE(where.standby);
  EXPECT_EQ(where.port, primary_);
  writer.add(Note{.id = 2, .body = "written"});
  writer.commit();
  EXPECT_FALSE(writer.read_token().empty()) << "a commit on an engine with replicas records the log position";
}

TEST_F(replicas, a_read_after_a_write_waits_for_the_standby_or_reads_from_the_primary) {
  auto e = routed({.replica_wait = 300ms});
  on_standbys("SELECT pg_wal_replay_pause()");
  relate::session writer(e);
  writer.add(Note{.id = 2, .body = "written"});
  writer.commit();
  const auto token = relate::read_token::parse(writer.read_token().str());  // as a cookie carries it
  ASSERT_FALSE(token.empty());

  {
    // Replay is paused: no standby can have the write, so after the bounded
    // wait the primary serves the read, and the read sees the write.
    const auto start = std::chrono::steady_clock::now();
    relate::session reader(e, {.transaction = read_only, .read_after = token});
    const auto where = served_by(reader);
    EXPECT_FALSE(where.standby) << "port " << where.port;
    EXPECT_GE(seconds_since(start), 0.25) << "it waited for a standby first";
    auto note = reader.get<Note>(2);
    ASSERT_TRUE(note);
    EXPECT_EQ(note->body, "written");
    EXPECT_EQ(reader.read_token(), token) << "a session that only reads passes its token on";
  }
  {
    // A reader without a token is fine with a standby, stale or not.
    relate::session reader(e, {.transaction = read_only});
    EXPECT_TRUE(served_by(reader).standby);
    EXPECT_FALSE(reader.get<Note>(2)) << "replay is paused: the standby has not seen the write";
  }

  on_standbys("SELECT pg_wal_replay_resume()");
  auto patient = routed({.replica_wait = 10s});
  relate::session reader(patient, {.transaction = read_only, .read_after = token});
  EXPECT_TRUE(served_by(reader).standby) << "once replay resumes, a standby serves the read";
  auto note = reader.get<Note>(2);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->body, "written");
}

TEST_F(replicas, a_standby_further_behind_than_the_limit_is_not_read_from) {
  auto e = routed({.max_replica_lag = 200ms});
  {
    relate::session reader(e, {.transaction = read_only});
    EXPECT_TRUE(served_by(reader).standby) << "caught up: lag 0";
  }
  on_standbys("SELECT pg_wal_replay_pause()");
  {
    relate::session writer(e);
    writer.add(Note{.id = 2, .body = "written"});
    writer.commit();
  }
  std::this_thread::sleep_for(400ms);
  {
    relate::session reader(e, {.transaction = read_only});
    EXPECT_FALSE(served_by(reader).standby) << "both standbys are behind by more than 200 ms";
    EXPECT_TRUE(reader.get<Note>(2));
  }
  on_standbys("SELECT pg_wal_replay_resume()");
  for (int port : standby_) wait_for_rows(port, 2);
  relate::session reader(e, {.transaction = read_only});
  EXPECT_TRUE(served_by(reader).standby);
}

TEST_F(replicas, stopping_a_standby_moves_reads_to_the_other_then_to_the_primary) {
  auto e = routed({.pool_size = 2});
  for (int i = 0; i < 2; ++i) {  // a pooled connection to each standby
    relate::session reader(e, {.transaction = read_only});
    EXPECT_TRUE(served_by(reader).standby);
  }
  run_command(script_ + " stop-standby " + dir_ + " 2");
  for (int i = 0; i < 4; ++i) {
    relate::session reader(e, {.transaction = read_only});
    const auto where = served_by(reader);
    EXPECT_EQ(where.port, standby_[0]) << "read " << i;
    EXPECT_EQ(reader.get<Note>(1)->body, "before");
  }
  run_command(script_ + " stop-standby " + dir_ + " 1");
  for (int i = 0; i < 3; ++i) {
    relate::session reader(e, {.transaction = read_only});
    const auto where = served_by(reader);
    EXPECT_EQ(where.port, primary_) << "read " << i << ": no standby left";
    EXPECT_EQ(reader.get<Note>(1)->body, "before");
  }
  relate::session writer(e);
  writer.add(Note{.id = 2, .body = "still writes"});
  EXPECT_NO_THROW(writer.commit()) << "the primary does not need its standbys";
}

}  // namespace
}  // namespace production_test
