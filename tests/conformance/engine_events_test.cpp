// SPDX-License-Identifier: MIT
// Engine events: one call per execution (a batch is one), the failing
// statement reaches on_error and not after_execute, connection events follow
// the pool.  (Listeners coming and going while other threads execute:
// tests/reliability/concurrency_test.cpp, run under ThreadSanitizer.)
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace relate::testing {
namespace {

class engine_events : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped()) return;
    auto conn = engine().connect();
    conn.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)");
    conn.commit();
  }

  // What the listener saw, in order: "before <sql>", "after <sql> xN", "error <sql>".
  struct recorder {
    std::mutex mutex;
    std::vector<std::string> seen;
    void note(std::string what) {
      std::lock_guard lock(mutex);
      seen.push_back(std::move(what));
    }
  };

  std::size_t record_into(recorder& r) {
    return engine().add_listener(engine_listener{
        .before_execute = [&r](const execution& e) { r.note("before " + std::string(e.sql)); },
        .after_execute =
            [&r](const execution& e) {
              r.note("after " + std::string(e.sql) + " x" + std::to_string(e.parameter_sets()));
            },
        .on_error = [&r](const execution& e,
                         const std::exception&) { r.note("error " + std::string(e.sql)); },
    });
  }
};

TEST_P(engine_events, an_execute_is_one_before_and_one_after_with_its_parameters) {
  std::vector<value> params_seen;
  const auto id = engine().add_listener(engine_listener{
      .after_execute = [&](const execution& e) { params_seen.assign(e.params.begin(), e.params.end()); }});
  recorder r;
  record_into(r);
  const auto insert = portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)");
  auto conn = engine().connect();
  conn.execute(insert, {1, "one"});
  EXPECT_EQ(r.seen, (std::vector<std::string>{"before " + insert, "after " + insert + " x1"}));
  ASSERT_EQ(params_seen.size(), 2U);
  EXPECT_EQ(params_seen[0], value(1));
  EXPECT_EQ(params_seen[1], value("one"));
  engine().remove_listener(id);
}

TEST_P(engine_events, a_batch_is_one_call_with_every_parameter_set) {
  recorder r;
  record_into(r);
  std::size_t sets_seen = 0;
  bool was_batch = false;
  engine().add_listener(engine_listener{.after_execute = [&](const execution& e) {
    sets_seen = e.batch.size();
    was_batch = e.is_batch();
  }});
  const auto insert = portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)");
  const std::vector<std::vector<value>> rows{{1, "a"}, {2, "b"}, {3, "c"}};
  const auto before = engine().statements_executed();
  auto conn = engine().connect();
  conn.execute_many(insert, rows);
  EXPECT_EQ(r.seen, (std::vector<std::string>{"before " + insert, "after " + insert + " x3"}));
  EXPECT_TRUE(was_batch);
  EXPECT_EQ(sets_seen, 3U);
  // The statement count still counts parameter sets, as documented.
  EXPECT_EQ(engine().statements_executed() - before, 3U);
}

TEST_P(engine_events, the_per_parameter_set_listener_still_sees_each_set) {
  std::vector<std::int64_t> ids;
  engine().add_listener([&](std::string_view, std::span<const value> params) {
    ids.push_back(*params[0].get_if<std::int64_t>());
  });
  auto conn = engine().connect();
  conn.execute_many(portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)"),
                    std::vector<std::vector<value>>{{4, "d"}, {5, "e"}});
  EXPECT_EQ(ids, (std::vector<std::int64_t>{4, 5}));
}

TEST_P(engine_events, a_failing_statement_reaches_on_error_not_after_execute) {
  recorder r;
  record_into(r);
  std::string error_text;
  engine().add_listener(
      engine_listener{.on_error = [&](const execution&, const std::exception& x) { error_text = x.what(); }});
  const auto insert = portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)");
  auto conn = engine().connect();
  conn.execute(insert, {1, "first"});
  EXPECT_THROW(conn.execute(insert, {1, "duplicate"}), integrity_error);
  ASSERT_EQ(r.seen.size(), 4U);
  EXPECT_EQ(r.seen[2], "before " + insert);
  EXPECT_EQ(r.seen[3], "error " + insert);
  EXPECT_FALSE(error_text.empty());
}

TEST_P(engine_events, an_on_error_listener_that_throws_does_not_hide_the_database_error) {
  engine().add_listener(engine_listener{
      .on_error = [](const execution&, const std::exception&) { throw std::runtime_error("listener bug"); }});
  auto conn = engine().connect();
  EXPECT_THROW(conn.execute("SELECT * FROM no_such_table"), database_error);
}

TEST_P(engine_events, a_throwing_before_execute_stops_the_statement) {
  const auto id = engine().add_listener(
      engine_listener{.before_execute = [](const execution&) { throw std::runtime_error("refused"); }});
  {
    auto conn = engine().connect();
    EXPECT_THROW(conn.execute(portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)"), {9, "x"}),
                 std::runtime_error);
    conn.commit();
  }
  engine().remove_listener(id);
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute("SELECT COUNT(*) FROM notes").scalar<std::int64_t>(), 0);
}

TEST_P(engine_events, removed_listeners_hear_nothing) {
  recorder r;
  const auto id = record_into(r);
  engine().remove_listener(id);
  engine().connect().execute("SELECT 1");
  EXPECT_TRUE(r.seen.empty());
}

TEST_P(engine_events, connections_are_announced_on_connect_checkout_and_checkin) {
  engine().dispose();  // the fixture's connection is idle in the pool: close it
  std::vector<std::string> seen;
  engine().add_listener(engine_listener{
      .on_connect =
          [&](native_connection& c) { seen.push_back(c.is_open() ? "connect" : "connect (closed)"); },
      .on_checkout = [&](native_connection&) { seen.push_back("checkout"); },
      .on_checkin = [&](native_connection&) { seen.push_back("checkin"); },
  });
  { engine().connect().execute("SELECT 1"); }
  { engine().connect().execute("SELECT 1"); }  // the pooled connection again: no new connect
  EXPECT_EQ(seen, (std::vector<std::string>{"connect", "checkout", "checkin", "checkout", "checkin"}));
}

TEST_P(engine_events, on_connect_can_prepare_each_new_connection) {
  engine().dispose();
  engine().add_listener(engine_listener{.on_connect = [](native_connection& c) {
    c.execute("CREATE TEMPORARY TABLE connection_marker (x INTEGER)", {}, fetch_mode::buffered);
  }});
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute("SELECT COUNT(*) FROM connection_marker").scalar<std::int64_t>(), 0);
}

TEST_P(engine_events, a_throwing_on_connect_discards_the_connection_and_frees_its_slot) {
  engine().dispose();
  const auto id = engine().add_listener(
      engine_listener{.on_connect = [](native_connection&) { throw std::runtime_error("not today"); }});
  EXPECT_THROW(engine().connect(), std::runtime_error);
  EXPECT_EQ(engine().pool_status().open, 0U);
  engine().remove_listener(id);
  EXPECT_NO_THROW(engine().connect().execute("SELECT 1"));
}

RELATE_INSTANTIATE_BACKENDS(engine_events);

}  // namespace
}  // namespace relate::testing
