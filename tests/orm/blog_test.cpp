// SPDX-License-Identifier: MIT
// The blog flow of the README, on every backend: declare, create, add,
// commit, query back.
#include "models.hpp"

#include <backends.hpp>

#include <gtest/gtest.h>

namespace orm_test {
namespace {

class blog : public relate::testing::backend_test {};

TEST_P(blog, add_commit_and_query_back) {
  relate::metadata meta;
  meta.add<User, Post>();
  meta.create_all(engine());

  relate::session session(engine());
  relate::ptr<User> john = session.add(User{.name = "John Doe"});
  EXPECT_EQ(john->id, 0);
  session.commit();
  EXPECT_GT(john->id, 0) << "the generated key is written back at flush";

  session.add(Post{.title = "First Post", .content = "Hello World!", .user_id = john->id});
  session.add(Post{.title = "Second Post", .content = "Goodbye World!", .user_id = john->id});
  session.add(Post{.title = "First of another", .content = "x", .user_id = std::nullopt});
  session.commit();

  auto u = session.query<User>().filter_by(&User::name, "John Doe").first();
  ASSERT_TRUE(u);
  EXPECT_EQ(u, john) << "the identity map gives the same object for the same row";

  auto posts = session.query<Post>()
                   .filter(relate::col(&Post::title).like("First%") && relate::col(&Post::user_id) == u->id)
                   .order_by(relate::desc(&Post::id))
                   .limit(10)
                   .all();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]->title, "First Post");
  EXPECT_EQ(posts[0]->content, "Hello World!");
  EXPECT_EQ(posts[0]->user_id, john->id);

  // A new session (fresh identity map) reads what was committed.
  relate::session other(engine());
  auto all = other.query<Post>().order_by(&Post::id).all();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->title, "First Post");
  EXPECT_EQ(all[1]->title, "Second Post");
  EXPECT_FALSE(all[2]->user_id.has_value());
  EXPECT_NE(all[0], posts[0]) << "another session has its own objects";
}

TEST_P(blog, create_all_is_idempotent) {
  relate::metadata meta;
  meta.add<Post, User>();  // registration order does not matter: FK order is computed
  meta.create_all(engine());
  meta.create_all(engine());
  relate::session session(engine());
  session.add(User{.name = "a"});
  session.commit();
  meta.drop_all(engine());
  meta.create_all(engine());
  relate::session again(engine());
  EXPECT_EQ(again.query<User>().count(), 0);
}

RELATE_INSTANTIATE_BACKENDS(blog);

}  // namespace
}  // namespace orm_test
