// SPDX-License-Identifier: MIT
// session.merge along relationships: what the given object has loaded
// through save-update relationships is merged too (SQLAlchemy's merge
// cascade); what it has not loaded is left as the database has it.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

class merge_cascade : public relationship_test {
 protected:
  void SetUp() override {
    relationship_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto t = s.add(Tag{.name = "t"});
    auto u = s.add(User{.name = "ann"});
    for (const char* title : {"one", "two"}) u->posts.append(Post{.title = title})->tags.push_back(t);
    s.commit();
    user_id = u->id;
    forget_statements();
  }
  /// Ann as another part of the program saw her: loaded, then detached.
  relate::ptr<User> detached_user(bool with_posts) {
    relate::session elsewhere(engine());
    auto q = elsewhere.query<User>().filter_by(&User::id, user_id);
    auto u = with_posts ? q.options(relate::selectinload(&User::posts)).one() : q.one();
    elsewhere.close();
    forget_statements();
    return u;
  }
  std::int64_t user_id = 0;
};

TEST_P(merge_cascade, merges_what_a_loaded_collection_holds) {
  auto ann = detached_user(true);
  ann->posts[0].title = "one, edited";
  ann->posts.push_back(Post{.title = "three"});
  relate::session s(engine());
  auto merged = s.merge(ann);
  ASSERT_EQ(merged->posts.size(), 3u);
  EXPECT_TRUE(s.contains(merged->posts.get(0)));
  EXPECT_NE(merged->posts.get(0), ann->posts.get(0)) << "the session's own post objects";
  EXPECT_EQ(merged->posts[0].title, "one, edited");
  EXPECT_EQ(merged->posts[2].author.get(), merged) << "both sides are in step";
  EXPECT_EQ(ann.status(), relate::object_status::detached) << "the given graph is not added";
  EXPECT_EQ(ann->posts.get(2).status(), relate::object_status::transient);
  s.commit();
  EXPECT_EQ(committed("SELECT title, user_id FROM posts ORDER BY id"),
            (std::vector<std::string>{"one, edited|" + std::to_string(user_id),
                                      "two|" + std::to_string(user_id), "three|" + std::to_string(user_id)}));
}

TEST_P(merge_cascade, a_post_removed_from_a_loaded_collection_is_removed_by_the_merge) {
  auto ann = detached_user(true);
  ann->posts.remove(ann->posts.get(1));
  relate::session s(engine());
  auto merged = s.merge(ann);
  EXPECT_EQ(merged->posts.size(), 1u);
  s.commit();
  EXPECT_EQ(committed("SELECT title FROM posts ORDER BY id"), (std::vector<std::string>{"one"}))
      << "delete-orphan, as if the program had removed it in the session";
}

TEST_P(merge_cascade, an_unloaded_relationship_is_left_alone) {
  auto ann = detached_user(false);
  ASSERT_FALSE(ann->posts.is_loaded());
  ann->name = "ann, renamed";
  relate::session s(engine());
  s.merge(ann);
  s.commit();
  EXPECT_EQ(committed_count("posts"), 2) << "nothing to merge, nothing orphaned";
  EXPECT_EQ(committed("SELECT name FROM users"), (std::vector<std::string>{"ann, renamed"}));
}

TEST_P(merge_cascade, an_empty_collection_of_a_plain_value_is_not_taken_as_emptied) {
  relate::session s(engine());
  auto merged = s.merge(User{.id = user_id, .name = "plain"});
  EXPECT_EQ(merged->name, "plain");
  s.commit();
  EXPECT_EQ(committed_count("posts"), 2) << "a plain User's posts may just not have been filled";
}

TEST_P(merge_cascade, a_plain_value_with_related_objects_merges_them) {
  relate::session s(engine());
  auto bob = s.merge(User{.name = "bob", .posts = {Post{.title = "bob's"}}});
  EXPECT_EQ(bob.status(), relate::object_status::pending);
  ASSERT_EQ(bob->posts.size(), 1u);
  EXPECT_EQ(bob->posts.get(0).status(), relate::object_status::pending);
  s.commit();
  EXPECT_EQ(committed("SELECT title FROM posts WHERE user_id = " + std::to_string(bob->id)),
            (std::vector<std::string>{"bob's"}));
}

TEST_P(merge_cascade, a_loaded_reference_is_merged) {
  relate::ptr<Post> post;
  {
    relate::session elsewhere(engine());
    post = elsewhere.query<Post>()
               .filter_by(&Post::title, "two")
               .options(relate::selectinload(&Post::author))
               .one();
  }
  post->author->name = "ann, through her post";
  relate::session s(engine());
  auto merged = s.merge(post);
  EXPECT_EQ(merged->author->name, "ann, through her post");
  EXPECT_TRUE(s.contains(merged->author.get()));
  s.commit();
  EXPECT_EQ(committed("SELECT name FROM users"), (std::vector<std::string>{"ann, through her post"}));
}

TEST_P(merge_cascade, merged_objects_of_the_session_keep_their_identity) {
  relate::session s(engine());
  auto mine = s.get<User>(user_id);
  auto my_posts = std::vector<relate::ptr<Post>>{mine->posts.get(0), mine->posts.get(1)};
  auto ann = detached_user(true);
  ann->posts[1].title = "two, edited";
  EXPECT_EQ(s.merge(ann), mine);
  ASSERT_EQ(mine->posts.size(), 2u);
  EXPECT_EQ(mine->posts.get(1), my_posts[1]);
  EXPECT_EQ(my_posts[1]->title, "two, edited");
}

RELATE_INSTANTIATE_BACKENDS(merge_cascade);

}  // namespace
}  // namespace rel_test
