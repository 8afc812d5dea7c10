// SPDX-License-Identifier: MIT
// Replica routing without a server: SQLite files standing in for a primary
// and its replicas (each file says which one it is), so which database
// served a read is visible in what it returns.  SQLite has no log position,
// so these cover the routing itself: read-only sessions to replicas, round
// robin, writes and read-write sessions to the primary, a replica that
// cannot be opened left out with one warning, and an engine without
// replicas behaving as before.  replicas_test.cpp covers PostgreSQL
// standbys and read-your-writes.
#include "production_support.hpp"
#include "replica_support.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace production_test {
namespace {

namespace fs = std::filesystem;

class replica_routing : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relate-replicas-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"primary", "replica1", "replica2"}) {
      auto e = relate::create_engine(url_of(name));
      relate::metadata meta;
      meta.add<Note>();
      meta.create_all(e);
      relate::session s(e);
      s.add(Note{.id = 1, .body = name});
      s.commit();
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string url_of(const std::string& name) const {
    return "sqlite:///" + (dir_ / (name + ".db")).string();
  }

  /// Which database served a read of the session: the body of note 1.
  static std::string served_by(relate::session& s) { return s.get<Note>(1)->body; }

  fs::path dir_;
};

TEST_F(replica_routing, read_only_sessions_read_from_a_replica_and_others_from_the_primary) {
  auto e = relate::create_engine(url_of("primary"), {.replicas = {url_of("replica1")}});
  EXPECT_EQ(e.replica_count(), 1u);
  {
    relate::session reader(e, {.transaction = read_only});
    EXPECT_EQ(served_by(reader), "replica1");
    EXPECT_EQ(reader.get_connection().get_engine().replica_count(), 0u) << "the replica's own engine";
  }
  relate::session writer(e);
  EXPECT_EQ(served_by(writer), "primary");
  writer.add(Note{.id = 2, .body = "written"});
  writer.commit();
  EXPECT_TRUE(writer.read_token().empty()) << "SQLite has no log position to wait for";
  EXPECT_EQ(count_rows(e, "SELECT count(*) FROM notes"), 2) << "the write went to the primary";
  auto replica = relate::create_engine(url_of("replica1"));
  EXPECT_EQ(count_rows(replica, "SELECT count(*) FROM notes"), 1);
}

TEST_F(replica_routing, an_engine_made_read_only_sends_every_session_to_a_replica) {
  auto e =
      relate::create_engine(url_of("primary"), {.transaction = read_only, .replicas = {url_of("replica1")}});
  relate::session s(e);
  EXPECT_EQ(served_by(s), "replica1");
}

TEST_F(replica_routing, reads_take_turns_over_the_replicas) {
  auto e = relate::create_engine(url_of("primary"), {.replicas = {url_of("replica1"), url_of("replica2")}});
  std::multiset<std::string> served;
  for (int i = 0; i < 6; ++i) {
    relate::session s(e, {.transaction = read_only});
    served.insert(served_by(s));
  }
  EXPECT_EQ(served.count("replica1"), 3u);
  EXPECT_EQ(served.count("replica2"), 3u);
  EXPECT_EQ(served.count("primary"), 0u);
}

TEST_F(replica_routing, a_connection_for_reading_is_read_only_even_on_the_primary) {
  auto e = relate::create_engine(url_of("primary"));
  auto conn = e.connect_for_read();
  EXPECT_TRUE(conn.get_transaction_options().read_only);
  EXPECT_EQ(conn.execute("SELECT body FROM notes WHERE id = 1").scalar<std::string>(), "primary");
  EXPECT_THROW(conn.execute("DELETE FROM notes"), relate::database_error);
  conn.rollback();
  EXPECT_EQ(count_rows(e, "SELECT count(*) FROM notes"), 1);
}

TEST_F(replica_routing, without_replicas_a_read_only_session_runs_on_the_primary_as_before) {
  auto plain = relate::create_engine(url_of("primary"));
  auto routed = relate::create_engine(url_of("primary"), {.replicas = {}});
  for (auto* e : {&plain, &routed}) {
    relate::session s(*e, {.transaction = read_only});
    EXPECT_EQ(served_by(s), "primary");
  }
  EXPECT_EQ(plain.statements_executed(), routed.statements_executed())
      << "an empty replica list adds no statement";
}

TEST_F(replica_routing, listeners_on_the_engine_see_the_statements_replicas_ran) {
  auto e = relate::create_engine(url_of("primary"), {.replicas = {url_of("replica1")}});
  std::vector<std::string> seen;
  e.add_listener([&](std::string_view sql, std::span<const relate::value>) { seen.emplace_back(sql); });
  relate::session s(e, {.transaction = read_only});
  EXPECT_EQ(served_by(s), "replica1");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find("notes"), std::string::npos) << seen[0];
  EXPECT_EQ(e.statements_executed(), 1u);
}

TEST_F(replica_routing, a_replica_that_cannot_be_opened_is_left_out_with_one_warning) {
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  sink->set_pattern("%l %v");
  auto logger = std::make_shared<spdlog::logger>("relate.sql", sink);
  logger->set_level(spdlog::level::warn);
  // A folder that does not exist: SQLite cannot create the file.
  const auto unreachable = "sqlite:///" + (dir_ / "missing" / "replica.db").string();
  auto e = relate::create_engine(url_of("primary"),
                                 {.logger = logger, .replicas = {unreachable, url_of("replica2")}});
  for (int i = 0; i < 4; ++i) {
    relate::session s(e, {.transaction = read_only});
    EXPECT_EQ(served_by(s), "replica2") << "read " << i;
  }
  const auto text = log.str();
  EXPECT_NE(text.find("warning replica"), std::string::npos) << text;
  EXPECT_NE(text.find("missing"), std::string::npos) << "the warning names the replica: " << text;
  EXPECT_EQ(text.find("warning replica"), text.rfind("warning replica"))
      << "one warning per back-off period:\n"
      << text;

  // With no replica left, reads go to the primary, without failing.
  auto alone = relate::create_engine(url_of("primary"), {.logger = logger, .replicas = {unreachable}});
  relate::session s(alone, {.transaction = read_only});
  EXPECT_EQ(served_by(s), "primary");
}

TEST_F(replica_routing, after_the_back_off_a_replica_is_tried_again) {
  const auto late = dir_ / "late";
  const auto late_url = "sqlite:///" + (late / "replica.db").string();
  auto e = relate::create_engine(url_of("primary"),
                                 {.replicas = {late_url}, .replica_backoff = std::chrono::milliseconds(50)});
  {
    relate::session s(e, {.transaction = read_only});
    EXPECT_EQ(served_by(s), "primary");
  }
  fs::create_directories(late);
  fs::copy_file(dir_ / "replica1.db", late / "replica.db");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  relate::session s(e, {.transaction = read_only});
  EXPECT_EQ(served_by(s), "replica1");
}

TEST(read_token, carries_its_position_through_text) {
  const relate::read_token token("0/3000148");
  EXPECT_EQ(relate::read_token::parse(token.str()), token);
  EXPECT_TRUE(relate::read_token::parse("").empty());
}

TEST(read_token, refuses_text_no_driver_writes) {
  EXPECT_THROW(relate::read_token::parse("0/1'; DROP TABLE notes; --"), relate::usage_error);
  EXPECT_THROW(relate::read_token::parse(std::string(65, '1')), relate::usage_error);
}

TEST(read_token, a_replica_of_another_driver_is_refused) {
  EXPECT_THROW(relate::create_engine("sqlite://", {.replicas = {"postgresql://127.0.0.1:1/x"}}),
               relate::usage_error);
}

}  // namespace
}  // namespace production_test
