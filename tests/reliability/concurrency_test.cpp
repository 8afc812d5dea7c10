// SPDX-License-Identifier: MIT
// Concurrency on every backend: one engine (its pool, statement cache,
// listeners and counters) shared by 8 threads, and 8 threads x 500
// transactional read-modify-write increments of one counter ending with the
// exact total, with the row locking each backend needs.  A session belongs to
// one thread at a time; each thread here has its own.  Labelled `concurrency`
// so the ThreadSanitizer job runs exactly these.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace relate::testing {
namespace {

constexpr int thread_count = 8;

// Runs body(t) on thread_count threads at once and joins them; the first
// exception of any thread fails the test with its message.
template <class F>
void on_threads(F body) {
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> errors;
  std::atomic<int> ready{0};
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < thread_count) std::this_thread::yield();  // start together
      try {
        body(t);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back("thread " + std::to_string(t) + ": " + e.what());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) ADD_FAILURE() << e;
}

class concurrency : public backend_test {
 protected:
  // The engine the threads share.  SQLite: BEGIN IMMEDIATE takes the write
  // lock when a transaction begins, so a read-modify-write cannot interleave
  // with another (a deferred BEGIN would read under a shared lock and fail to
  // upgrade it); the busy timeout covers the wait for the lock.  PostgreSQL:
  // SELECT ... FOR UPDATE locks the counter row (below).
  relate::engine shared_engine(engine_options options = {}) {
    std::string url = db().url();
    if (db().schema().empty()) url += "?transaction_mode=immediate&journal_mode=wal&timeout=120";
    return create_engine(url, std::move(options));
  }
};

TEST_P(concurrency, eight_threads_times_500_locked_increments_give_the_exact_total) {
  constexpr int increments = 500;
  auto e = shared_engine({.pool_size = thread_count});
  {
    auto conn = e.connect();
    conn.execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
    conn.execute("INSERT INTO counter (id, n) VALUES (1, 0)");
    conn.commit();
  }
  using namespace relate::sql;
  auto counter = table("counter");
  column<std::int64_t> id(counter, "id"), n(counter, "n");
  // FOR UPDATE where the dialect has it (PostgreSQL); SQLite's immediate
  // transaction already holds the database's write lock.
  const auto read = select(n).where(id == 1).for_update();
  EXPECT_EQ(e.dialect().capabilities().for_update, !db().schema().empty())
      << "the row lock this test relies on";

  std::atomic<std::int64_t> committed{0};
  on_threads([&](int) {
    for (int i = 0; i < increments; ++i) {
      auto conn = e.connect();
      const auto value = conn.execute(*read.node()).scalar<std::int64_t>().value();
      conn.execute(*update(counter).set(n, value + 1).where(id == 1).node());
      conn.commit();
      ++committed;
    }
  });
  EXPECT_EQ(committed.load(), thread_count * increments);
  auto conn = e.connect();
  EXPECT_EQ(conn.execute("SELECT n FROM counter WHERE id = 1").scalar<std::int64_t>(),
            thread_count * increments)
      << "an increment was lost: two transactions read the same value";
}

TEST_P(concurrency, eight_threads_share_one_engine_and_its_pool) {
  constexpr int rounds = 150;
  auto e = shared_engine({.pool_size = 3});  // fewer idle slots than threads: connections open and close
  {
    auto conn = e.connect();
    conn.execute("CREATE TABLE seen (thread BIGINT NOT NULL, i BIGINT NOT NULL, label TEXT NOT NULL)");
    conn.commit();
  }
  std::atomic<std::int64_t> heard{0};
  const auto before = e.statements_executed();
  const std::string insert = "INSERT INTO seen (thread, i, label) VALUES (" + e.dialect().placeholder(1) +
                             ", " + e.dialect().placeholder(2) + ", " + e.dialect().placeholder(3) + ")";
  const std::string echo = "SELECT " + e.dialect().placeholder(1);
  std::atomic<std::int64_t> checkouts{0};
  on_threads([&](int t) {
    // Each thread also registers and removes listeners while the others run
    // statements and check connections out.
    const auto listener = e.add_listener([&](std::string_view, std::span<const value>) { ++heard; });
    const auto events =
        e.add_listener(engine_listener{.on_checkout = [&](native_connection&) { ++checkouts; }});
    for (int i = 0; i < rounds; ++i) {
      auto conn = e.connect();
      const std::string label = "t" + std::to_string(t) + "/" + std::to_string(i);
      // Every connection answers its own thread's question.
      EXPECT_EQ(conn.execute(echo, {label}).scalar<std::string>(), label);
      conn.execute(insert, {t, i, label});
      if (i % 3 == 2) {
        conn.rollback();  // a third of them rolled back
      } else {
        conn.commit();
      }
      if (t == 0 && i % 50 == 49) e.dispose();  // closing idle connections under the others' feet
    }
    e.remove_listener(listener);
    e.remove_listener(events);
  });

  EXPECT_EQ(e.statements_executed() - before, static_cast<std::uint64_t>(thread_count * rounds * 2))
      << "every statement counted once";
  EXPECT_GE(heard.load(), thread_count * rounds * 2)
      << "each thread's listener heard at least its own statements";
  EXPECT_GE(checkouts.load(), thread_count * rounds) << "and saw at least its own checkouts";
  auto conn = e.connect();
  std::set<std::string> labels;
  for (const auto& row : conn.execute("SELECT label FROM seen")) labels.insert(row.get<std::string>(0));
  std::set<std::string> expected;
  for (int t = 0; t < thread_count; ++t)
    for (int i = 0; i < rounds; ++i)
      if (i % 3 != 2) expected.insert("t" + std::to_string(t) + "/" + std::to_string(i));
  EXPECT_EQ(labels, expected) << "exactly the committed rows, each once";
}

// Each ctest case is a process of its own, and this fixture makes no scratch
// database (which would load the driver first): 8 threads find, load and
// check the driver plugin at the same moment.
class concurrent_loading : public ::testing::TestWithParam<std::string> {};

TEST_P(concurrent_loading, eight_threads_load_the_driver_and_connect_at_once) {
  std::string url = "sqlite://";  // an in-memory database per engine
  if (GetParam() == "postgresql" && (url = require_postgres()).empty()) return;
  std::vector<std::string> drivers(thread_count);
  on_threads([&](int t) {
    auto e = create_engine(url);
    auto conn = e.connect();
    if (conn.execute("SELECT " + e.dialect().placeholder(1), {t}).scalar<std::int64_t>() != t)
      throw std::runtime_error("wrong answer");
    drivers[t] = std::string(e.driver_name());
  });
  for (const auto& d : drivers) EXPECT_EQ(d, GetParam());
}

INSTANTIATE_TEST_SUITE_P(backends, concurrent_loading, ::testing::ValuesIn(all_backends()), backend_name);

struct tally {
  std::int64_t id{};
  std::int64_t thread{};
  std::string note{};
};
inline auto relate_mapping(relate::model<tally>) {
  using namespace relate::orm;
  return table<tally>("tallies", column(&tally::id, "id", primary_key), column(&tally::thread, "thread"),
                      column(&tally::note, "note"));
}

TEST_P(concurrency, one_session_per_thread_on_a_shared_engine) {
  constexpr int objects = 60;
  auto e = shared_engine();
  {
    // Raw DDL, so the threads are the first to use the model's mapper.
    auto conn = e.connect();
    conn.execute(std::string("CREATE TABLE tallies (id ") +
                 (db().schema().empty() ? "INTEGER PRIMARY KEY"
                                        : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") +
                 ", thread BIGINT NOT NULL, note TEXT NOT NULL)");
    conn.commit();
  }
  on_threads([&](int t) {
    relate::session s(e);
    std::vector<relate::ptr<tally>> mine;
    for (int i = 0; i < objects; ++i) {
      mine.push_back(s.add(tally{.thread = t, .note = "n" + std::to_string(i)}));
      if (i % 10 == 9) s.commit();  // several transactions per session
    }
    s.commit();
    for (auto& p : mine) p->note += "!";
    s.commit();
    const auto count = s.query<tally>().filter_by(&tally::thread, std::int64_t{t}).count();
    if (count != objects)
      throw std::runtime_error("thread sees " + std::to_string(count) + " of its objects");
  });
  relate::session s(e);
  EXPECT_EQ(s.query<tally>().count(), thread_count * objects);
  std::set<std::int64_t> ids;
  for (const auto& p : s.query<tally>().all()) {
    ids.insert(p->id);
    EXPECT_EQ(p->note.back(), '!');
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(thread_count * objects)) << "generated keys are distinct";
}

TEST_P(concurrency, sessions_on_threads_share_one_event_registry_while_listeners_come_and_go) {
  constexpr int objects = 40;
  auto e = shared_engine();
  {
    auto conn = e.connect();
    conn.execute(std::string("CREATE TABLE tallies (id ") +
                 (db().schema().empty() ? "INTEGER PRIMARY KEY"
                                        : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") +
                 ", thread BIGINT NOT NULL, note TEXT NOT NULL)");
    conn.commit();
  }
  auto events = std::make_shared<orm::session_events>();
  std::atomic<int> inserted{0};
  std::atomic<int> commits{0};
  // Listens for the whole run: must hear every insert of every thread.
  events->listen<tally>(orm::object_event::after_insert, [&](relate::session&, tally&) { ++inserted; });
  on_threads([&](int t) {
    relate::session s(e, {.events = events});
    for (int i = 0; i < objects; ++i) {
      // A listener added and removed around each commit, while other threads fire events.
      const auto id = events->listen(orm::session_event::after_commit, [&](relate::session&) { ++commits; });
      s.add(tally{.thread = t, .note = "n" + std::to_string(i)});
      s.commit();
      events->remove(id);
    }
  });
  EXPECT_EQ(inserted.load(), thread_count * objects);
  EXPECT_GE(commits.load(), thread_count * objects) << "each thread's listener heard at least its own commit";
}

RELATE_INSTANTIATE_BACKENDS(concurrency);

}  // namespace
}  // namespace relate::testing
