// SPDX-License-Identifier: MIT
// A relationship change the session refuses changes nothing (issue 13): the
// strong exception guarantee for append, assignment and replacement.  Before,
// appending a post of another session threw but left the post in the
// collection and its author set, and every later commit of that other
// session failed.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

class refused_changes : public relationship_test {
 protected:
  // Bob in session a; a post (with its author Carol) in session b.
  void SetUp() override {
    relationship_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session setup(engine());
    auto bob = setup.add(User{.name = "bob"});
    auto carol = setup.add(User{.name = "carol"});
    carol->posts.push_back(Post{.title = "carol's"});
    setup.commit();
    bob_id = bob->id;
    carol_id = carol->id;
    post_id = carol->posts[0].id;
  }
  std::int64_t bob_id{}, carol_id{}, post_id{};
};

TEST_P(refused_changes, appending_an_object_of_another_session_changes_neither_side) {
  relate::session a(engine()), b(engine());
  auto bob = a.get<User>(bob_id);
  ASSERT_EQ(bob->posts.size(), 0u);
  auto post = b.get<Post>(post_id);
  auto carol = b.get<User>(carol_id);
  ASSERT_EQ(carol->posts.size(), 1u);

  EXPECT_THROW(bob->posts.push_back(post), relate::usage_error);

  EXPECT_EQ(bob->posts.size(), 0u);
  ASSERT_TRUE(post->author);
  EXPECT_EQ(post->author->id, carol_id);
  EXPECT_EQ(carol->posts.size(), 1u);
  EXPECT_FALSE(a.contains(post));
  EXPECT_TRUE(b.contains(post));
  // Both sessions still commit (a first: on SQLite its read transaction
  // would hold off b's write).
  post->title = "still carol's";
  EXPECT_NO_THROW(a.commit());
  EXPECT_NO_THROW(b.commit());
  EXPECT_EQ(committed("SELECT title, user_id FROM posts"),
            std::vector<std::string>{"still carol's|" + std::to_string(carol_id)});
}

TEST_P(refused_changes, setting_a_reference_to_an_object_of_another_session_changes_neither_side) {
  relate::session a(engine()), b(engine());
  auto bob = a.get<User>(bob_id);
  auto post = b.get<Post>(post_id);
  ASSERT_EQ(post->author->id, carol_id);

  EXPECT_THROW(post->author = bob, relate::usage_error);

  EXPECT_EQ(post->author->id, carol_id);
  EXPECT_EQ(bob->posts.size(), 0u);
  EXPECT_EQ(b.get<User>(carol_id)->posts.size(), 1u);
  EXPECT_NO_THROW(a.commit());
  EXPECT_NO_THROW(b.commit());
}

TEST_P(refused_changes, a_refusal_deep_in_what_the_appended_object_reaches_adds_nothing) {
  relate::session a(engine()), b(engine());
  auto bob = a.get<User>(bob_id);
  auto foreign_tag = b.add(Tag{.name = "b's"});
  b.flush();
  // A new post (not in any session) that reaches an object of session b.
  auto fresh = relate::make_ptr(Post{.title = "new"});
  fresh->tags.push_back(foreign_tag);

  EXPECT_THROW(bob->posts.push_back(fresh), relate::usage_error);

  EXPECT_EQ(bob->posts.size(), 0u);
  EXPECT_FALSE(fresh->author);
  EXPECT_FALSE(a.contains(fresh));
  EXPECT_FALSE(a.has_changes());
  EXPECT_NO_THROW(a.commit());
  // (b is not committed: the tag's side of fresh->tags, linked above before
  // any session was involved, is b's own business.)
  b.rollback();
  EXPECT_TRUE(committed("SELECT title FROM posts WHERE title = 'new'").empty());
}

RELATE_INSTANTIATE_BACKENDS(refused_changes);

}  // namespace
}  // namespace rel_test
