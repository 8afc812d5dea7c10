// SPDX-License-Identifier: MIT
// query.populate_existing(): objects already in the identity map take the
// row's values (SQLAlchemy's populate_existing), where a plain query keeps
// what the session holds.
#include "orm_fixture.hpp"

namespace orm_test {
namespace {

class populate_existing : public orm_fixture {
 protected:
  void SetUp() override {
    orm_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto ann = s.add(User{.name = "ann"});
    s.flush();
    for (int i = 1; i <= 3; ++i)
      s.add(Post{.title = "post " + std::to_string(i), .content = "text", .user_id = ann->id});
    s.commit();
    take_statements();
  }
  /// Changes every title behind the session's back, in its own transaction.
  void retitle_in_sql(relate::session& s, const std::string& title) {
    s.get_connection().execute("UPDATE posts SET title = " + engine().dialect().placeholder(1), {title});
  }
};

TEST_P(populate_existing, a_plain_query_keeps_what_the_session_holds) {
  relate::session s(engine());
  auto posts = s.query<Post>().order_by(&Post::id).all();
  retitle_in_sql(s, "renamed");
  auto again = s.query<Post>().order_by(&Post::id).all();
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[0], posts[0]);
  EXPECT_EQ(again[0]->title, "post 1") << "the identity map wins without populate_existing";
}

TEST_P(populate_existing, overwrites_objects_in_the_identity_map_with_the_rows_values) {
  relate::session s(engine());
  auto posts = s.query<Post>().order_by(&Post::id).all();
  retitle_in_sql(s, "renamed");
  auto again = s.query<Post>().order_by(&Post::id).populate_existing().all();
  ASSERT_EQ(again.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again[i], posts[i]) << "the same objects: identity is kept";
    EXPECT_EQ(posts[i]->title, "renamed");
  }
  EXPECT_FALSE(s.has_changes()) << "the new values are what the database holds, not changes";
  take_statements();
  s.commit();
  EXPECT_EQ(count_starting_with(take_statements(), "UPDATE"), 0u);
}

TEST_P(populate_existing, discards_unflushed_changes) {
  relate::session s(engine(), {.autoflush = false});
  auto post = s.query<Post>().order_by(&Post::id).first();
  post->title = "unflushed";
  post->content = "also unflushed";
  ASSERT_TRUE(s.has_changes());
  auto again = s.query<Post>().filter_by(&Post::id, post->id).populate_existing().one();
  EXPECT_EQ(again, post);
  EXPECT_EQ(post->title, "post 1");
  EXPECT_EQ(post->content, "text");
  EXPECT_FALSE(s.has_changes());
  take_statements();
  s.commit();
  EXPECT_EQ(count_starting_with(take_statements(), "UPDATE"), 0u) << "nothing left to write";
}

TEST_P(populate_existing, leaves_objects_the_query_does_not_return_alone) {
  relate::session s(engine(), {.autoflush = false});
  auto posts = s.query<Post>().order_by(&Post::id).all();
  posts[2]->title = "kept";
  s.query<Post>().filter(relate::col(&Post::id) != posts[2]->id).populate_existing().all();
  EXPECT_EQ(posts[2]->title, "kept");
  s.commit();
  EXPECT_EQ(relate::session(engine()).get<Post>(posts[2]->id)->title, "kept");
}

TEST_P(populate_existing, applies_to_streams) {
  relate::session s(engine());
  auto posts = s.query<Post>().order_by(&Post::id).all();
  retitle_in_sql(s, "streamed");
  std::size_t seen = 0;
  for (const auto& p : s.query<Post>().order_by(&Post::id).populate_existing().stream()) {
    EXPECT_EQ(p, posts[seen]);
    EXPECT_EQ(p->title, "streamed");
    ++seen;
  }
  EXPECT_EQ(seen, 3u);
}

RELATE_INSTANTIATE_BACKENDS(populate_existing);

}  // namespace
}  // namespace orm_test
