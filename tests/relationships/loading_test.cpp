// SPDX-License-Identifier: MIT
// Loading strategies and the exact number of statements each issues, on
// every backend: lazy (N+1), select-in (one more per relationship and
// level), joined (the same statement), raise, and access after the session
// is gone.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

class loading : public relationship_test {
 protected:
  static constexpr int users = 12;
  void SetUp() override {
    relationship_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto t1 = s.add(Tag{.name = "t1"});
    auto t2 = s.add(Tag{.name = "t2"});
    for (int i = 0; i < users; ++i) {
      auto u = s.add(User{.name = "user" + std::to_string(i)});
      for (int j = 0; j < i % 4; ++j) {  // 0 to 3 posts each
        auto p = u->posts.append(Post{.title = "post" + std::to_string(i) + "." + std::to_string(j)});
        p->tags.push_back(j % 2 ? t1 : t2);
        if (j == 2) p->tags.push_back(t1);
      }
    }
    s.commit();
    forget_statements();
  }
  /// Posts and tags of every user, reading only what is loaded.
  static std::size_t count_posts(const std::vector<relate::ptr<User>>& all) {
    std::size_t n = 0;
    for (const auto& u : all) n += u->posts.size();
    return n;
  }
};

TEST_P(loading, lazy_loads_each_collection_on_first_access) {
  relate::session s(engine());
  auto all = s.query<User>().all();
  ASSERT_EQ(all.size(), static_cast<std::size_t>(users));
  EXPECT_EQ(statement_count(), 1u);
  EXPECT_EQ(count_posts(all), 18u);
  EXPECT_EQ(statement_count(), static_cast<std::size_t>(users)) << "N+1: one SELECT per user";
}

TEST_P(loading, selectin_issues_one_statement_per_relationship_whatever_the_number_of_objects) {
  relate::session s(engine());
  auto all = s.query<User>().options(relate::selectinload(&User::posts)).all();
  EXPECT_EQ(statement_count(), 2u);
  EXPECT_EQ(count_posts(all), 18u);
  for (const auto& u : all) EXPECT_TRUE(u->posts.is_loaded());
  EXPECT_EQ(statement_count(), 0u);
  EXPECT_EQ(all[3]->posts.size(), 3u);
  EXPECT_EQ(all[3]->posts[0].title, "post3.0") << "ordered by the target's key";
  EXPECT_EQ(all[3]->posts[2].title, "post3.2");
}

TEST_P(loading, selectin_splits_the_keys_into_chunks_only_past_the_limit) {
  relate::session s(engine(), {.select_in_chunk = 5});
  auto all = s.query<User>().options(relate::selectinload(&User::posts)).all();
  EXPECT_EQ(statement_count(), 1u + 3u) << "12 keys, at most 5 per IN list";
  EXPECT_EQ(count_posts(all), 18u);
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, selectin_paths_load_each_level_with_one_statement) {
  relate::session s(engine());
  auto all = s.query<User>().options(relate::selectinload(&User::posts).selectinload(&Post::tags)).all();
  EXPECT_EQ(statement_count(), 3u) << "users, posts, tags";
  std::size_t tags = 0;
  for (const auto& u : all)
    for (const auto& p : u->posts) tags += p.tags.size();
  EXPECT_EQ(tags, 21u);
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, joined_loads_in_the_same_statement_and_folds_repeated_rows) {
  relate::session s(engine());
  auto all = s.query<User>().options(relate::joinedload(&User::posts)).order_by(&User::id).all();
  EXPECT_EQ(statement_count(), 1u);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(users)) << "one object per user, not per row";
  EXPECT_EQ(all[0]->name, "user0");
  EXPECT_EQ(count_posts(all), 18u);
  EXPECT_EQ(all[0]->posts.size(), 0u) << "a user without posts (all-NULL joined columns)";
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, joined_nested_through_a_many_to_many) {
  relate::session s(engine());
  auto all = s.query<User>().options(relate::joinedload(&User::posts).joinedload(&Post::tags)).all();
  EXPECT_EQ(statement_count(), 1u);
  std::size_t tags = 0;
  for (const auto& u : all)
    for (const auto& p : u->posts) tags += p.tags.size();
  EXPECT_EQ(tags, 21u);
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, joined_with_a_limit_limits_objects_not_rows) {
  relate::session s(engine());
  auto first =
      s.query<User>().filter_by(&User::name, "user3").options(relate::joinedload(&User::posts)).first();
  EXPECT_EQ(statement_count(), 1u);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->posts.size(), 3u) << "LIMIT 1 applies to users in a subquery, so every post comes";
  auto page = s.query<User>()
                  .options(relate::joinedload(&User::posts))
                  .order_by(relate::desc(&User::id))
                  .limit(3)
                  .all();
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0]->name, "user11");
  EXPECT_EQ(page[2]->name, "user9");
  EXPECT_EQ(page[0]->posts.size(), 3u);
  EXPECT_EQ(page[1]->posts.size(), 2u);
}

TEST_P(loading, many_to_one_select_in_uses_the_identity_map) {
  relate::session s(engine());
  auto posts = s.query<Post>().options(relate::selectinload(&Post::author)).all();
  EXPECT_EQ(statement_count(), 2u);
  for (const auto& p : posts) EXPECT_EQ(p->author->id, *p->user_id);
  EXPECT_EQ(statement_count(), 0u);
  // The users are in the session now: loading the authors again needs no SELECT.
  relate::session t(engine());
  t.query<User>().all();
  forget_statements();
  auto again = t.query<Post>().options(relate::selectinload(&Post::author)).all();
  EXPECT_EQ(statement_count(), 1u);
  EXPECT_TRUE(again[0]->author.is_loaded());
}

TEST_P(loading, raise_makes_an_unloaded_access_an_error) {
  relate::session s(engine());
  auto all = s.query<User>().options(relate::raiseload(&User::posts)).all();
  EXPECT_THROW(all[1]->posts.size(), relate::lazy_load_error);
  EXPECT_EQ(statement_count(), 1u) << "nothing was loaded behind the program's back";
  auto loaded = s.query<User>().options(relate::selectinload(&User::posts)).all();
  EXPECT_NO_THROW(loaded[1]->posts.size()) << "a later query that loads it wins";
}

TEST_P(loading, an_unloaded_relationship_of_a_detached_object_is_a_clear_error) {
  relate::ptr<User> kept;
  relate::ptr<User> loaded;
  {
    relate::session s(engine());
    kept = s.query<User>().filter_by(&User::name, "user1").one();
    loaded =
        s.query<User>().filter_by(&User::name, "user2").options(relate::selectinload(&User::posts)).one();
  }
  EXPECT_EQ(kept.status(), relate::object_status::detached);
  try {
    (void)kept->posts.size();
    FAIL() << "expected detached_instance_error";
  } catch (const relate::detached_instance_error& e) {
    EXPECT_NE(std::string(e.what()).find("User -> rel_test::Post"), std::string::npos) << e.what();
  }
  ASSERT_EQ(loaded->posts.size(), 2u) << "what was loaded stays usable";
  EXPECT_EQ(loaded->posts[0].author.get(), loaded) << "both sides survive the session";
}

TEST_P(loading, detached_objects_that_hold_each_other_are_freed_once_unreachable) {
  std::weak_ptr<relate::orm::instance<User>> user_alive;
  std::weak_ptr<relate::orm::instance<Post>> post_alive;
  relate::ptr<User> kept;
  {
    relate::session s(engine());
    kept = s.query<User>().filter_by(&User::name, "user3").options(relate::selectinload(&User::posts)).one();
    user_alive = kept.shared();
    post_alive = kept->posts.get(0).shared();
    ASSERT_EQ(kept->posts[0].author.get(), kept);  // user <-> post: a cycle
  }
  relate::collect_detached();
  EXPECT_FALSE(user_alive.expired()) << "the program still holds the user";
  EXPECT_EQ(kept->posts.size(), 3u) << "and everything it reaches";
  kept = nullptr;
  relate::collect_detached();
  EXPECT_TRUE(user_alive.expired()) << "the cycle is gone once nothing reaches it";
  EXPECT_TRUE(post_alive.expired());
}

TEST_P(loading, lazy_many_to_one_is_free_when_the_target_is_in_the_session) {
  relate::session s(engine());
  auto u = s.query<User>().filter_by(&User::name, "user3").one();
  auto p = s.query<Post>().filter_by(&Post::title, "post3.1").one();
  forget_statements();
  EXPECT_EQ(p->author.get(), u);
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, get_applies_the_mappings_eager_defaults_and_options_override_them) {
  // Employee has no eager defaults; a user's lazy posts load on access.
  relate::session s(engine());
  auto u = s.query<User>().filter_by(&User::name, "user2").one();
  forget_statements();
  auto again = s.get<User>(u->id);
  EXPECT_EQ(statement_count(), 0u) << "get() answers from the identity map";
  EXPECT_FALSE(again->posts.is_loaded());
}

TEST_P(loading, populate_existing_reloads_relationships_the_session_has_loaded) {
  relate::session s(engine());
  auto u = s.query<User>().filter_by(&User::name, "user2").options(relate::selectinload(&User::posts)).one();
  ASSERT_EQ(u->posts.size(), 2u);
  // A post written behind the session's back, in its transaction.
  const auto& d = engine().dialect();
  s.get_connection().execute("INSERT INTO posts (id, title, content, user_id) VALUES (" + d.placeholder(1) +
                                 ", " + d.placeholder(2) + ", " + d.placeholder(3) + ", " + d.placeholder(4) +
                                 ")",
                             {1000, "added in SQL", "", u->id});
  auto kept =
      s.query<User>().filter_by(&User::name, "user2").options(relate::selectinload(&User::posts)).one();
  EXPECT_EQ(kept->posts.size(), 2u) << "a loaded collection is kept without populate_existing";
  forget_statements();
  auto fresh = s.query<User>()
                   .filter_by(&User::name, "user2")
                   .options(relate::selectinload(&User::posts))
                   .populate_existing()
                   .one();
  EXPECT_EQ(statement_count(), 2u) << "the users, then their posts again";
  EXPECT_EQ(fresh, u);
  ASSERT_EQ(u->posts.size(), 3u);
  EXPECT_EQ(u->posts[2].title, "added in SQL");
  EXPECT_EQ(u->posts[2].author.get(), u);
  EXPECT_EQ(statement_count(), 0u);
}

TEST_P(loading, populate_existing_unloads_lazy_relationships) {
  relate::session s(engine());
  auto u = s.query<User>().filter_by(&User::name, "user3").one();
  ASSERT_EQ(u->posts.size(), 3u);
  s.query<User>().filter_by(&User::name, "user3").populate_existing().one();
  EXPECT_FALSE(u->posts.is_loaded()) << "lazy relationships load again on next access, as in SQLAlchemy";
  forget_statements();
  EXPECT_EQ(u->posts.size(), 3u);
  EXPECT_EQ(statement_count(), 1u);
}

TEST_P(loading, populate_existing_overwrites_joined_objects_too) {
  relate::session s(engine(), {.autoflush = false});
  auto u = s.query<User>().filter_by(&User::name, "user3").options(relate::joinedload(&User::posts)).one();
  u->posts[0].title = "unflushed";
  s.query<User>()
      .filter_by(&User::name, "user3")
      .options(relate::joinedload(&User::posts))
      .populate_existing()
      .one();
  ASSERT_EQ(u->posts.size(), 3u) << "rows repeated by the join still give one object each";
  EXPECT_EQ(u->posts[0].title, "post3.0");
  EXPECT_FALSE(s.has_changes());
}

RELATE_INSTANTIATE_BACKENDS(loading);

}  // namespace
}  // namespace rel_test
