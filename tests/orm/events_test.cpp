// SPDX-License-Identifier: MIT
// ORM events (relate/orm/events.hpp), on every backend: the order of flush,
// transaction and per-object events, listeners that change what is written,
// removal, and what a listener may not do inside a flush.  (Registries
// shared by sessions on several threads while listeners come and go:
// tests/reliability/concurrency_test.cpp, run under ThreadSanitizer.)
#include "orm_fixture.hpp"

#include <relate/orm/events.hpp>
#include <relate/orm/query.hpp>

#include <string>
#include <vector>

namespace orm_test {
namespace {

using relate::orm::object_event;
using relate::orm::session_event;

class orm_events : public orm_fixture {
 protected:
  std::shared_ptr<relate::orm::session_events> events = std::make_shared<relate::orm::session_events>();
  std::vector<std::string> seen;

  /// Records every session event, and every object event of User with the user's name.
  void record_everything() {
    const std::pair<session_event, const char*> session_events[] = {
        {session_event::before_flush, "before_flush"},
        {session_event::after_flush, "after_flush"},
        {session_event::after_commit, "after_commit"},
        {session_event::after_rollback, "after_rollback"}};
    for (auto [e, name] : session_events)
      events->listen(e, [this, name = std::string(name)](relate::session&) { seen.push_back(name); });
    const std::pair<object_event, const char*> object_events[] = {
        {object_event::before_insert, "before_insert"},
        {object_event::after_insert, "after_insert"},
        {object_event::before_update, "before_update"},
        {object_event::after_update, "after_update"},
        {object_event::before_delete, "before_delete"},
        {object_event::after_delete, "after_delete"},
        {object_event::load, "load"},
        {object_event::refresh, "refresh"}};
    for (auto [e, name] : object_events)
      events->listen<User>(e, [this, name = std::string(name)](relate::session&, User& u) {
        seen.push_back(name + " " + u.name);
      });
  }
  relate::session make_session() { return relate::session(engine(), {.events = events}); }
};

TEST_P(orm_events, a_flush_fires_its_events_in_order_around_each_row) {
  record_everything();
  auto s = make_session();
  s.add(User{.name = "ann"});
  s.add(User{.name = "bob"});
  s.commit();
  EXPECT_EQ(seen, (std::vector<std::string>{"before_flush", "before_insert ann", "before_insert bob",
                                            "after_insert ann", "after_insert bob", "after_flush",
                                            "after_commit"}));
  seen.clear();

  auto ann = s.query<User>().filter_by(&User::name, "ann").one();
  seen.clear();  // the query's load events are checked below
  ann->name = "anne";
  s.flush();
  EXPECT_EQ(seen, (std::vector<std::string>{"before_flush", "before_update anne", "after_update anne",
                                            "after_flush"}));
  seen.clear();

  s.remove(ann);
  s.flush();
  EXPECT_EQ(seen, (std::vector<std::string>{"before_flush", "before_delete anne", "after_delete anne",
                                            "after_flush"}));
  seen.clear();
  s.rollback();
  EXPECT_EQ(seen, (std::vector<std::string>{"after_rollback"}));
}

TEST_P(orm_events, a_flush_with_nothing_to_write_fires_nothing) {
  record_everything();
  auto s = make_session();
  s.add(User{.name = "ann"});
  s.flush();
  seen.clear();
  s.flush();
  EXPECT_TRUE(seen.empty()) << seen.front();
  // An unchanged object gets no update events.
  auto ann = s.query<User>().one();
  ann->name = "ann";
  s.flush();
  EXPECT_TRUE(seen.empty()) << seen.front();
}

TEST_P(orm_events, load_fires_for_each_object_made_from_a_row_and_refresh_for_rereads) {
  {
    relate::session writer(engine());
    writer.add_all({User{.name = "ann"}, User{.name = "bob"}});
    writer.commit();
  }
  record_everything();
  auto s = make_session();
  auto users = s.query<User>().order_by(&User::name).all();
  EXPECT_EQ(seen, (std::vector<std::string>{"load ann", "load bob"}));
  seen.clear();
  s.query<User>().all();  // the same objects, from the identity map: no new load
  EXPECT_TRUE(seen.empty()) << seen.front();
  s.refresh(users[0]);
  EXPECT_EQ(seen, (std::vector<std::string>{"refresh ann"}));
  seen.clear();
  s.rollback();  // expires everything; the next access reloads
  EXPECT_EQ(seen, (std::vector<std::string>{"after_rollback"}));
  seen.clear();
  EXPECT_EQ(users[1]->name, "bob");
  EXPECT_EQ(seen, (std::vector<std::string>{"refresh bob"}));
}

TEST_P(orm_events, before_listeners_change_what_the_statement_writes) {
  // An "updated" stamp set on every INSERT and UPDATE of Account.
  int stamps = 0;
  auto stamp = [&](relate::session&, Account& a) { a.note = "stamp " + std::to_string(++stamps); };
  events->listen<Account>(object_event::before_insert, stamp);
  events->listen<Account>(object_event::before_update, stamp);
  auto s = make_session();
  auto a = s.add(Account{.email = "a@example.org", .balance = 1});
  s.commit();
  a->balance = 2;
  s.commit();
  EXPECT_EQ(stamps, 2);
  relate::session reader(engine());
  auto [note, balance] = reader.query(relate::col(&Account::note), relate::col(&Account::balance)).one();
  EXPECT_EQ(note, std::optional<std::string>("stamp 2"))
      << "the UPDATE sends the column the listener changed";
  EXPECT_EQ(balance, 2);
}

TEST_P(orm_events, before_flush_may_add_objects_and_the_flush_writes_them) {
  events->listen(session_event::before_flush, [](relate::session& s) {
    if (!s.query<User>().filter_by(&User::name, "audit").first()) s.add(User{.name = "audit"});
  });
  auto s = make_session();
  s.add(User{.name = "ann"});
  s.commit();
  EXPECT_EQ(committed_rows("users"), 2) << "the user the listener added is in the same flush";
}

TEST_P(orm_events, object_listeners_may_not_add_or_remove_during_the_flush) {
  events->listen<User>(object_event::before_insert,
                       [](relate::session& s, User&) { s.add(User{.name = "sneaked in"}); });
  auto s = make_session();
  s.add(User{.name = "ann"});
  try {
    s.flush();
    ADD_FAILURE() << "add() from an object listener was accepted";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("before_flush"), std::string::npos) << e.what();
  }
  EXPECT_EQ(committed_rows("users"), 0);
}

TEST_P(orm_events, a_throwing_listener_fails_the_flush_and_nothing_is_written) {
  events->listen<User>(object_event::after_insert, [](relate::session&, User& u) {
    if (u.name == "bob") throw std::runtime_error("no bobs");
  });
  auto s = make_session();
  auto ann = s.add(User{.name = "ann"});
  auto bob = s.add(User{.name = "bob"});
  EXPECT_THROW(s.flush(), std::runtime_error);
  EXPECT_EQ(ann->id, 0) << "the flush was undone: the generated key is unset again";
  EXPECT_EQ(committed_rows("users"), 0);
  s.expunge(bob);  // the session stays usable
  s.commit();
  EXPECT_NE(ann->id, 0);
  EXPECT_EQ(committed_rows("users"), 1);
}

TEST_P(orm_events, removed_listeners_are_not_called_and_other_classes_are_not_seen) {
  int users = 0, posts = 0;
  const auto id = events->listen<User>(object_event::after_insert, [&](relate::session&, User&) { ++users; });
  events->listen<Post>(object_event::after_insert, [&](relate::session&, Post&) { ++posts; });
  auto s = make_session();
  s.add(User{.name = "ann"});
  s.flush();
  EXPECT_EQ(users, 1);
  EXPECT_EQ(posts, 0);
  events->remove(id);
  events->remove(12345);  // unknown: ignored
  s.add(User{.name = "bob"});
  s.add(Post{.title = "t", .content = "c"});
  s.flush();
  EXPECT_EQ(users, 1);
  EXPECT_EQ(posts, 1);
  EXPECT_FALSE(events->listens(object_event::before_delete));
  EXPECT_THROW(events->listen(session_event::after_commit, nullptr), relate::usage_error);
}

TEST_P(orm_events, the_listener_gets_the_session_that_fired_even_after_a_move) {
  relate::session* fired_by = nullptr;
  events->listen(session_event::after_flush, [&](relate::session& s) { fired_by = &s; });
  auto first = make_session();
  relate::session moved(std::move(first));
  moved.add(User{.name = "ann"});
  moved.flush();
  EXPECT_EQ(fired_by, &moved);
}

RELATE_INSTANTIATE_BACKENDS(orm_events);

}  // namespace
}  // namespace orm_test
