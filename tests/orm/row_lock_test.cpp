// SPDX-License-Identifier: MIT
// Row locks through the ORM (query.with_for_update, session.refresh with a
// lock), on every backend: PostgreSQL locks the rows a query reads until its
// transaction ends; SQLite, which locks the whole database for a writer,
// ignores the clause (as SQLAlchemy does) and its queries read as usual.
#include "orm_fixture.hpp"

#include <relate/orm/query.hpp>

namespace orm_test {
namespace {

class row_locks : public orm_fixture {
 protected:
  bool has_row_locks() { return engine().dialect().capabilities().for_update; }

  /// Four committed users, ids 1 to 4: a work queue.
  void add_queue() {
    relate::session s(engine());
    for (int i = 1; i <= 4; ++i) s.add(User{.id = i, .name = "job " + std::to_string(i)});
    s.commit();
  }
  static std::vector<std::int64_t> ids(const std::vector<relate::ptr<User>>& users) {
    std::vector<std::int64_t> out;
    for (const auto& u : users) out.push_back(u->id);
    return out;
  }
  /// The next two jobs nobody else holds, locked until the session commits.
  static std::vector<relate::ptr<User>> take_two(relate::session& s) {
    return s.query<User>().order_by(&User::id).limit(2).with_for_update({.skip_locked = true}).all();
  }
};

TEST_P(row_locks, skip_locked_lets_two_sessions_take_different_rows) {
  add_queue();
  take_statements();
  relate::session first(engine());
  relate::session second(engine());
  const auto a = ids(take_two(first));  // first's transaction stays open: its rows stay locked
  const auto b = ids(take_two(second));
  const auto sent = take_statements();
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(a, (std::vector<std::int64_t>{1, 2}));
  if (has_row_locks()) {
    EXPECT_EQ(b, (std::vector<std::int64_t>{3, 4})) << "the rows first holds are skipped, not waited for";
    EXPECT_NE(sent.back().find(" FOR UPDATE SKIP LOCKED"), std::string::npos) << sent.back();
  } else {
    EXPECT_EQ(b, (std::vector<std::int64_t>{1, 2})) << "SQLite ignores row locks";
    EXPECT_EQ(sent.back().find(" FOR "), std::string::npos) << sent.back();
  }
  first.commit();
  // Committing releases first's locks: the next consumer takes rows 1 and 2.
  relate::session third(engine());
  EXPECT_EQ(ids(take_two(third)), (std::vector<std::int64_t>{1, 2}));
}

TEST_P(row_locks, nowait_fails_at_once_on_a_row_another_session_locked_by_refresh) {
  add_queue();
  relate::session holder(engine());
  auto job = holder.get<User>(1);
  ASSERT_TRUE(job);
  job->name = "changed, to be discarded";
  take_statements();
  holder.refresh(job, {});  // SELECT ... FOR UPDATE: reloads the row and locks it
  EXPECT_EQ(job->name, "job 1") << "refresh reloads the row";
  const auto sent = take_statements();
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.back().find(" FOR UPDATE") != std::string::npos, has_row_locks()) << sent.back();

  relate::session other(engine());
  auto locked = [&] {
    return other.query<User>().filter(relate::col(&User::id) == 1).with_for_update({.nowait = true}).all();
  };
  if (has_row_locks()) {
    try {
      locked();
      ADD_FAILURE() << "NOWAIT read a row another transaction holds";
    } catch (const relate::operational_error& e) {
      EXPECT_EQ(e.native_code(), "55P03") << e.what();  // lock_not_available
    }
  } else {
    EXPECT_EQ(locked().size(), 1u) << "SQLite ignores row locks";
  }
  holder.commit();
  relate::session after(engine());
  EXPECT_EQ(
      after.query<User>().filter(relate::col(&User::id) == 1).with_for_update({.nowait = true}).all().size(),
      1u)
      << "the lock ends with the holder's transaction";
}

TEST_P(row_locks, strengths_and_of_are_spelled_as_sqlalchemy_spells_them) {
  add_queue();
  relate::session s(engine());
  auto last_sql = [&](const relate::orm::for_update_options& o) {
    take_statements();
    s.query<User>().order_by(&User::id).with_for_update(o).all();
    auto sent = take_statements();
    return sent.empty() ? std::string() : sent.back();
  };
  const auto users = relate::orm::mapper_of<User>().table();
  const std::vector<std::pair<relate::orm::for_update_options, std::string>> cases = {
      {{}, " FOR UPDATE"},
      {{.key_share = true}, " FOR NO KEY UPDATE"},
      {{.read = true}, " FOR SHARE"},
      {{.read = true, .key_share = true, .nowait = true}, " FOR KEY SHARE NOWAIT"},
      {{.of = {users}}, " FOR UPDATE OF \"users\""},
  };
  for (const auto& [options, clause] : cases) {
    const auto sql = last_sql(options);
    if (has_row_locks()) {
      EXPECT_TRUE(sql.ends_with(clause)) << sql;
    } else {
      EXPECT_EQ(sql.find(" FOR "), std::string::npos) << sql;
    }
  }
  EXPECT_THROW(s.query<User>().with_for_update({.nowait = true, .skip_locked = true}), relate::usage_error);
}

RELATE_INSTANTIATE_BACKENDS(row_locks);

}  // namespace
}  // namespace orm_test
