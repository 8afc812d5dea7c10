// SPDX-License-Identifier: MIT
// The session: identity map, dirty tracking, autoflush, generated keys,
// rollback, flush failures, expunge/close/detached objects, composite keys.
#include "orm_fixture.hpp"

#include <set>
#include <unordered_set>

namespace orm_test {
namespace {

class session_test : public orm_fixture {};

TEST_P(session_test, identity_map_gives_one_object_per_row) {
  relate::session s(engine());
  auto a = s.add(User{.name = "ann"});
  s.commit();
  auto by_get = s.get<User>(a->id);
  auto by_query = s.query<User>().filter_by(&User::id, a->id).one();
  EXPECT_EQ(by_get, a);
  EXPECT_EQ(by_query, a);
  EXPECT_TRUE(s.contains(a));

  relate::session t(engine());
  auto b1 = t.get<User>(a->id);
  auto b2 = t.query<User>().first();
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1, b2);
  EXPECT_NE(b1, a);
  EXPECT_EQ(b1->name, "ann");
}

TEST_P(session_test, an_insert_returns_each_generated_column_once) {
  // One new object with a generated key and a server default: the INSERT
  // returns the key (to match the row to the object) and the default, and
  // the key is not listed twice (it used to be: RETURNING "id", "id", ...).
  relate::session s(engine());
  take_statements();
  auto a = s.add(Account{.email = "once@example.org"});
  s.commit();
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->status, "new");
  std::size_t returning = 0;
  for (const auto& sql : take_statements()) {
    const auto at = sql.find(" RETURNING ");
    if (sql.rfind("INSERT", 0) != 0 || at == std::string::npos) continue;
    ++returning;
    const auto list = sql.substr(at);
    EXPECT_EQ(list.find("\"id\""), list.rfind("\"id\"")) << sql;
    EXPECT_NE(list.find("\"status\""), std::string::npos) << sql;
  }
  EXPECT_EQ(returning, 1u) << "the server default comes back by RETURNING";
}

TEST_P(session_test, get_uses_the_identity_map_without_sql) {
  relate::session s(engine());
  auto a = s.add(User{.name = "ann"});
  s.commit();
  take_statements();
  EXPECT_EQ(s.get<User>(a->id), a);
  EXPECT_TRUE(take_statements().empty()) << "an object in the identity map needs no SELECT";
  EXPECT_FALSE(s.get<User>(a->id + 1000)) << "a missing row gives a null ptr";
}

TEST_P(session_test, no_update_for_an_unchanged_object) {
  relate::session s(engine());
  auto a = s.add(User{.name = "ann"});
  s.commit();
  take_statements();
  a->name = "ann";  // same value
  s.commit();
  auto st = take_statements();
  EXPECT_EQ(count_starting_with(st, "UPDATE"), 0u);
  EXPECT_EQ(count_starting_with(st, "INSERT"), 0u);
}

TEST_P(session_test, update_sets_only_changed_columns) {
  relate::session s(engine());
  auto p = s.add(Post{.title = "t", .content = "c"});
  s.commit();
  take_statements();
  p->title = "new title";
  s.commit();
  auto st = take_statements();
  ASSERT_EQ(count_starting_with(st, "UPDATE"), 1u);
  std::string update;
  for (auto& x : st)
    if (x.rfind("UPDATE", 0) == 0) update = x;
  EXPECT_NE(update.find("title"), std::string::npos) << update;
  EXPECT_EQ(update.find("content"), std::string::npos) << update;
  EXPECT_EQ(update.find("user_id"), std::string::npos) << update;

  relate::session t(engine());
  auto again = t.get<Post>(p->id);
  EXPECT_EQ(again->title, "new title");
  EXPECT_EQ(again->content, "c");
}

TEST_P(session_test, changes_are_flushed_even_when_the_handle_is_dropped) {
  std::int64_t id = 0;
  relate::session s(engine());
  {
    auto a = s.add(User{.name = "ann"});
    s.flush();
    id = a->id;
    a->name = "bob";
  }
  s.commit();
  relate::session t(engine());
  EXPECT_EQ(t.get<User>(id)->name, "bob");
}

TEST_P(session_test, a_change_through_a_kept_reference_is_written_at_commit) {
  relate::session s(engine());
  auto u = s.add(User{.name = "a"});
  s.commit();
  User& kept = *u;
  EXPECT_EQ(s.query<User>().count(), 1);  // an autoflush in between
  kept.name = "b";                        // not through the handle
  u = nullptr;
  s.commit();  // compares every object: the change is found
  EXPECT_EQ(committed_rows("users"), 1);
  relate::session t(engine());
  EXPECT_EQ(t.query<User>().one()->name, "b");
}

TEST_P(session_test, autoflush_before_query_and_get) {
  relate::session s(engine());
  s.add(User{.name = "pending"});
  EXPECT_EQ(s.query<User>().filter_by(&User::name, "pending").count(), 1)
      << "the query sees the pending object";
  auto u = s.query<User>().one();
  u->name = "changed";
  EXPECT_EQ(s.query<User>().filter_by(&User::name, "changed").count(), 1)
      << "the query sees the unflushed change";
  s.rollback();
  EXPECT_EQ(committed_rows("users"), 0);

  relate::session no_auto(engine(), {.autoflush = false});
  no_auto.add(User{.name = "pending"});
  EXPECT_EQ(no_auto.query<User>().count(), 0);
  no_auto.flush();
  EXPECT_EQ(no_auto.query<User>().count(), 1);
}

TEST_P(session_test, generated_keys_are_written_back_and_distinct) {
  relate::session s(engine());
  std::vector<User> users;
  for (int i = 0; i < 25; ++i) users.push_back(User{.name = "u" + std::to_string(i)});
  auto added = s.add_all(std::move(users));
  s.flush();
  std::set<std::int64_t> ids;
  for (auto& u : added) {
    EXPECT_GT(u->id, 0);
    ids.insert(u->id);
    EXPECT_EQ(u.status(), relate::object_status::persistent);
  }
  EXPECT_EQ(ids.size(), 25u);
  s.commit();
  // Each key belongs to the object that was inserted with it.
  relate::session t(engine());
  for (auto& u : added) EXPECT_EQ(t.get<User>(u->id)->name, u->name);
}

TEST_P(session_test, rows_of_one_table_are_inserted_in_batches) {
  relate::session s(engine());
  std::vector<User> users;
  for (int i = 0; i < 50; ++i) users.push_back(User{.name = "b" + std::to_string(i)});
  auto added = s.add_all(std::move(users));
  take_statements();
  s.flush();
  const auto inserts = count_starting_with(take_statements(), "INSERT");
  const auto& caps = engine().dialect().capabilities();
  if (caps.multi_row_insert && caps.max_parameters >= 50)
    EXPECT_EQ(inserts, 1u) << "50 rows of one table and one column set go in one statement";
  else
    EXPECT_GE(inserts, 1u);
  s.commit();
  relate::session t(engine());
  for (auto& u : added)
    EXPECT_EQ(t.get<User>(u->id)->name, u->name) << "each generated key belongs to its object";
}

TEST_P(session_test, generated_keys_are_reserved_so_rows_match_objects_by_key) {
  relate::session s(engine());
  s.add(User{.name = "before"});
  s.commit();
  std::vector<Account> accounts;
  for (int i = 0; i < 20; ++i)
    accounts.push_back(Account{.email = "a" + std::to_string(i) + "@x", .balance = i});
  auto added = s.add_all(std::move(accounts));
  take_statements();
  s.flush();
  const auto statements = take_statements();
  ASSERT_EQ(statements.size(), 2u) << "one reservation of 20 keys, one INSERT";
  EXPECT_EQ(statements[0].rfind("SELECT", 0), 0u) << statements[0];
  EXPECT_NE(statements[1].find("RETURNING"), std::string::npos) << "the server default comes back, by key";
  std::set<std::int64_t> ids;
  for (auto& a : added) {
    ids.insert(a->id);
    EXPECT_EQ(a->status, "new") << "server default read back for " << a->email;
  }
  EXPECT_EQ(ids.size(), 20u);
  s.commit();
  relate::session t(engine());
  for (auto& a : added) {
    auto row = t.get<Account>(a->id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->email, a->email) << "the key names the object's own row";
    EXPECT_EQ(row->balance, a->balance);
  }
  // Reserved keys are generated values: a rollback unsets them again.
  auto more = s.add_all({User{.name = "x"}, User{.name = "y"}});
  s.flush();
  EXPECT_GT(more[0]->id, 0);
  s.rollback();
  EXPECT_EQ(more[0]->id, 0);
  EXPECT_EQ(more[1]->id, 0);
}

TEST_P(session_test, returned_columns_are_matched_by_key) {
  relate::session s(engine());
  std::vector<relate::ptr<Tagged>> added;
  // Keys out of order, and two column sets (state given or left to the server).
  for (int i : {7, 3, 9, 1, 5, 2, 8}) {
    Tagged t{.id = i, .label = "l" + std::to_string(i), .state = ""};
    if (i > 6) t.state = "given";
    added.push_back(s.add(t));
  }
  s.commit();
  for (auto& t : added) EXPECT_EQ(t->state, t->id > 6 ? "given" : "fresh") << t->id;
  relate::session v(engine());
  for (auto& t : added) EXPECT_EQ(v.get<Tagged>(t->id)->label, t->label);
}

TEST_P(session_test, failed_flush_undoes_other_tables_too) {
  relate::session s(engine());
  auto u = s.add(User{.name = "first in the flush"});
  s.add(Account{.email = "dup@x"});
  s.add(Account{.email = "dup@x"});
  EXPECT_THROW(s.flush(), relate::integrity_error);
  EXPECT_EQ(u.status(), relate::object_status::pending);
  EXPECT_EQ(u->id, 0);
  s.rollback();
  EXPECT_EQ(committed_rows("users"), 0);
  EXPECT_EQ(committed_rows("accounts"), 0);
}

TEST_P(session_test, explicit_primary_key_is_kept) {
  relate::session s(engine());
  auto u = s.add(User{.id = 4242, .name = "fixed"});
  s.commit();
  EXPECT_EQ(u->id, 4242);
  relate::session t(engine());
  EXPECT_EQ(t.get<User>(4242)->name, "fixed");
}

TEST_P(session_test, add_all_from_a_list_and_ptrs_as_keys) {
  relate::session s(engine());
  auto added = s.add_all({User{.name = "x"}, User{.name = "y"}});
  ASSERT_EQ(added.size(), 2u);
  s.commit();
  std::unordered_set<relate::ptr<User>> set(added.begin(), added.end());
  set.insert(s.get<User>(added[0]->id));  // the same object: no new element
  EXPECT_EQ(set.size(), 2u);
}

TEST_P(session_test, adding_twice_is_a_no_op) {
  relate::session s(engine());
  auto u = s.add(User{.name = "once"});
  EXPECT_EQ(s.add(u), u);
  s.commit();
  s.add(u);
  s.commit();
  EXPECT_EQ(committed_rows("users"), 1);
}

TEST_P(session_test, remove_deletes_at_flush) {
  relate::session s(engine());
  auto a = s.add(User{.name = "a"});
  auto b = s.add(User{.name = "b"});
  s.commit();
  s.remove(a);
  EXPECT_FALSE(s.get<User>(a->id)) << "an object marked for deletion is not returned";
  s.commit();
  EXPECT_EQ(committed_rows("users"), 1);
  EXPECT_FALSE(s.contains(a));
  EXPECT_EQ(a.status(), relate::object_status::detached);
  EXPECT_EQ(a->name, "a") << "a deleted object stays readable";
  EXPECT_TRUE(s.contains(b));

  // Removing a pending object just takes it out of the session.
  auto c = s.add(User{.name = "c"});
  s.remove(c);
  s.commit();
  EXPECT_EQ(committed_rows("users"), 1);
  EXPECT_EQ(c.status(), relate::object_status::transient);
}

TEST_P(session_test, removing_many_objects) {
  relate::session s(engine());
  std::vector<User> users;
  for (int i = 0; i < 40; ++i) users.push_back(User{.name = "r" + std::to_string(i)});
  auto added = s.add_all(std::move(users));
  s.commit();
  for (std::size_t i = 0; i < added.size(); i += 2) s.remove(added[i]);
  take_statements();
  s.commit();
  EXPECT_LE(count_starting_with(take_statements(), "DELETE"), 20u);
  EXPECT_EQ(committed_rows("users"), 20);
  for (std::size_t i = 0; i < added.size(); ++i) {
    EXPECT_EQ(s.contains(added[i]), i % 2 == 1);
    EXPECT_EQ(static_cast<bool>(s.get<User>(added[i]->id)), i % 2 == 1);
  }
}

TEST_P(session_test, flush_orders_inserts_and_deletes_by_foreign_key) {
  relate::session s(engine());
  // Posts added before their user: the flush still inserts the user first.
  auto u = s.add(User{.id = 77, .name = "parent"});
  s.add(Post{.title = "child", .content = "", .user_id = 77});
  s.commit();
  EXPECT_EQ(committed_rows("posts"), 1);

  relate::session t(engine());
  auto post = t.query<Post>().one();
  auto user = t.get<User>(77);
  t.remove(user);  // removed first, but deleted after its child
  t.remove(post);
  EXPECT_NO_THROW(t.commit());
  EXPECT_EQ(committed_rows("posts"), 0);
  EXPECT_EQ(committed_rows("users"), 0);
}

TEST_P(session_test, rollback_discards_pending_and_expires_persistent) {
  relate::session s(engine());
  auto kept = s.add(User{.name = "kept"});
  s.commit();
  const auto kept_id = kept->id;

  auto fresh = s.add(User{.name = "fresh"});
  s.flush();
  EXPECT_GT(fresh->id, 0);
  kept->name = "changed in memory";
  s.flush();
  s.rollback();

  EXPECT_EQ(fresh.status(), relate::object_status::transient)
      << "objects added in the transaction leave the session";
  EXPECT_FALSE(s.contains(fresh));
  EXPECT_EQ(fresh->id, 0) << "the generated key is reset";
  EXPECT_EQ(fresh->name, "fresh");
  EXPECT_TRUE(s.contains(kept));
  EXPECT_EQ(kept->name, "kept") << "a persistent object is reloaded from the database";
  EXPECT_EQ(kept->id, kept_id);
  EXPECT_EQ(committed_rows("users"), 1);

  // The transient object can be added again and inserted.
  s.add(fresh);
  s.commit();
  EXPECT_GT(fresh->id, 0);
  EXPECT_EQ(committed_rows("users"), 2);
}

TEST_P(session_test, rollback_restores_removed_objects) {
  relate::session s(engine());
  auto u = s.add(User{.name = "u"});
  s.commit();
  s.remove(u);
  s.flush();
  EXPECT_EQ(u.status(), relate::object_status::deleted);
  s.rollback();
  EXPECT_EQ(u.status(), relate::object_status::persistent);
  EXPECT_EQ(s.get<User>(u->id), u);
  s.commit();
  EXPECT_EQ(committed_rows("users"), 1);
}

TEST_P(session_test, failed_flush_leaves_nothing_and_a_usable_session) {
  relate::session s(engine());
  std::vector<relate::ptr<Account>> added;
  for (int i = 0; i < 5; ++i) {
    // The third duplicates the first e-mail: a unique violation mid-flush.
    std::string email = i == 2 ? "a0@x" : "a" + std::to_string(i) + "@x";
    added.push_back(s.add(Account{.email = email}));
  }
  EXPECT_THROW(s.flush(), relate::integrity_error);
  EXPECT_EQ(committed_rows("accounts"), 0);
  for (auto& a : added) {
    EXPECT_EQ(a.status(), relate::object_status::pending);
    EXPECT_EQ(a->id, 0) << "no key of the undone flush is left behind";
    EXPECT_EQ(a->plan, "") << "client defaults of the undone flush are reset";
  }
  // Fix the object and flush again: everything goes in.
  added[2]->email = "a2@x";
  s.commit();
  EXPECT_EQ(committed_rows("accounts"), 5);
  for (auto& a : added) {
    EXPECT_GT(a->id, 0);
    EXPECT_EQ(a->plan, "free");
  }
}

TEST_P(session_test, failed_flush_of_an_update_keeps_earlier_work) {
  relate::session s(engine());
  auto a = s.add(Account{.email = "a@x"});
  auto b = s.add(Account{.email = "b@x"});
  s.commit();
  b->email = "a@x";
  EXPECT_THROW(s.commit(), relate::integrity_error);
  // The session is usable: fix and commit.
  b->email = "c@x";
  s.commit();
  relate::session t(engine());
  EXPECT_EQ(t.get<Account>(b->id)->email, "c@x");
}

TEST_P(session_test, expunge_and_close_detach_objects) {
  relate::session s(engine());
  auto a = s.add(User{.name = "a"});
  auto b = s.add(User{.name = "b"});
  s.commit();
  s.expunge(a);
  EXPECT_FALSE(s.contains(a));
  EXPECT_EQ(a.status(), relate::object_status::detached);
  a->name = "not tracked";
  s.commit();
  relate::session t(engine());
  EXPECT_EQ(t.get<User>(a->id)->name, "a") << "a detached object's changes are not flushed";
  EXPECT_NE(s.get<User>(a->id), a) << "the row is loaded into a new object";

  s.close();
  EXPECT_EQ(b.status(), relate::object_status::detached);
  EXPECT_EQ(b->name, "b") << "a detached object stays plain, readable data";
}

TEST_P(session_test, close_without_commit_discards_inserted_rows) {
  relate::ptr<User> kept, dropped;
  {
    relate::session s(engine());
    kept = s.add(User{.name = "kept"});
    s.commit();
    dropped = s.add(User{.name = "dropped"});
    s.flush();
    EXPECT_GT(dropped->id, 0);
  }  // closed without commit
  EXPECT_EQ(dropped.status(), relate::object_status::transient);
  EXPECT_EQ(dropped->id, 0) << "no key of a row that was rolled back";
  EXPECT_EQ(kept.status(), relate::object_status::detached);
  EXPECT_EQ(kept->name, "kept");
  EXPECT_EQ(committed_rows("users"), 1);
}

TEST_P(session_test, detached_expired_object_throws_on_access) {
  relate::ptr<User> u;
  {
    relate::session s(engine());
    u = s.add(User{.name = "u"});
    s.commit();
    u.get()->name = "dirty";
    s.rollback();  // expires u
  }                // the session ends before u is reloaded
  EXPECT_EQ(u.status(), relate::object_status::detached);
  EXPECT_THROW((void)u->name, relate::detached_instance_error);
  // Adding it to a session makes it loadable again.
  relate::session t(engine());
  t.add(u);
  EXPECT_EQ(u->name, "u");
}

TEST_P(session_test, refresh_discards_changes) {
  relate::session s(engine());
  auto u = s.add(User{.name = "orig"});
  s.commit();
  {
    auto conn = engine().connect();
    conn.execute(std::string("UPDATE users SET name = ") + engine().dialect().placeholder(1),
                 {"from elsewhere"});
    conn.commit();
  }
  u->name = "local";
  s.refresh(u);
  EXPECT_EQ(u->name, "from elsewhere");
  EXPECT_FALSE(s.has_changes());
}

TEST_P(session_test, composite_primary_key) {
  relate::session s(engine());
  s.add(Membership{.group_id = 1, .member = "ann", .rank = 1});
  auto bob = s.add(Membership{.group_id = 1, .member = "bob", .rank = 2});
  s.add(Membership{.group_id = 2, .member = "ann", .rank = 3});
  s.commit();
  EXPECT_EQ(s.get<Membership>(1, std::string("bob")), bob);
  EXPECT_EQ(s.get<Membership>(std::tuple{1, "bob"}), bob);

  relate::session t(engine());
  auto m = t.get<Membership>({2, "ann"});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rank, 3);
  EXPECT_EQ(t.get<Membership>(2, "ann"), m);
  EXPECT_FALSE(t.get<Membership>(2, "bob"));
  m->rank = 30;
  t.commit();
  relate::session v(engine());
  EXPECT_EQ(v.get<Membership>(2, "ann")->rank, 30);
  EXPECT_EQ(v.get<Membership>(1, "ann")->rank, 1);
  EXPECT_THROW((void)v.get<Membership>(1), relate::usage_error) << "a composite key needs all its columns";
}

TEST_P(session_test, changing_a_primary_key_updates_the_row) {
  relate::session s(engine());
  auto m = s.add(Membership{.group_id = 1, .member = "ann", .rank = 1});
  s.commit();
  m->member = "anne";
  s.commit();
  EXPECT_EQ(s.get<Membership>(1, "anne"), m);
  relate::session t(engine());
  EXPECT_FALSE(t.get<Membership>(1, "ann"));
  EXPECT_TRUE(t.get<Membership>(1, "anne"));
}

RELATE_INSTANTIATE_BACKENDS(session_test);

}  // namespace
}  // namespace orm_test
