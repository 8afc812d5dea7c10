// SPDX-License-Identifier: MIT
// session.merge (SQLAlchemy's Session.merge), columns: a detached or
// transient object's state copied onto the session's object for its key,
// loaded if needed, or added as a new object when no row has the key.
#include "orm_fixture.hpp"

namespace orm_test {
namespace {

class merge_test : public orm_fixture {
 protected:
  void SetUp() override {
    orm_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto ann = s.add(User{.name = "ann"});
    s.flush();
    auto p = s.add(Post{.title = "first", .content = "long text", .user_id = ann->id});
    auto v = s.add(Versioned{.text = "v1"});
    s.commit();
    post_id = p->id;
    user_id = ann->id;
    versioned_id = v->id;
    take_statements();
  }
  /// A post read in a session that is closed again: detached.
  relate::ptr<Post> detached_post() {
    relate::session elsewhere(engine());
    auto p = elsewhere.get<Post>(post_id);
    elsewhere.close();
    take_statements();
    return p;
  }
  std::string committed_title() { return relate::session(engine()).get<Post>(post_id)->title; }

  std::int64_t post_id = 0, user_id = 0, versioned_id = 0;
};

TEST_P(merge_test, a_detached_object_with_changes_gives_one_update_of_the_changed_columns) {
  auto detached = detached_post();
  ASSERT_EQ(detached.status(), relate::object_status::detached);
  detached->title = "edited while detached";
  relate::session s(engine());
  auto merged = s.merge(detached);
  EXPECT_NE(merged, detached) << "the session's own object";
  EXPECT_TRUE(s.contains(merged));
  EXPECT_FALSE(s.contains(detached)) << "the given object is not added";
  EXPECT_EQ(detached.status(), relate::object_status::detached);
  EXPECT_EQ(merged->title, "edited while detached");
  EXPECT_EQ(merged->content, "long text");
  auto loads = take_statements();
  EXPECT_EQ(count_starting_with(loads, "SELECT"), 1u) << "the row, loaded by key";
  s.commit();
  auto writes = take_statements();
  ASSERT_EQ(count_starting_with(writes, "UPDATE"), 1u);
  for (const auto& w : writes) {
    if (w.rfind("UPDATE", 0) != 0) continue;
    EXPECT_NE(w.find("\"title\""), std::string::npos) << w;
    EXPECT_EQ(w.find("\"content\""), std::string::npos) << "only the changed column: " << w;
  }
  EXPECT_EQ(committed_title(), "edited while detached");
}

TEST_P(merge_test, an_unchanged_object_writes_nothing) {
  auto detached = detached_post();
  relate::session s(engine());
  s.merge(detached);
  take_statements();
  s.commit();
  EXPECT_EQ(count_starting_with(take_statements(), "UPDATE"), 0u);
}

TEST_P(merge_test, an_object_whose_key_is_not_in_the_database_is_added) {
  relate::session s(engine());
  auto merged = s.merge(Post{.id = 9000, .title = "brand new", .content = "", .user_id = user_id});
  EXPECT_EQ(merged.status(), relate::object_status::pending);
  EXPECT_EQ(count_starting_with(take_statements(), "SELECT"), 1u) << "it looked for the row";
  s.commit();
  EXPECT_EQ(count_starting_with(take_statements(), "INSERT"), 1u);
  relate::session check(engine());
  auto p = check.get<Post>(9000);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->title, "brand new");
}

TEST_P(merge_test, an_object_without_a_key_yet_is_added_without_a_select) {
  relate::session s(engine());
  auto merged = s.merge(User{.name = "new user"});
  EXPECT_EQ(merged.status(), relate::object_status::pending);
  EXPECT_TRUE(take_statements().empty()) << "an autoincrement key of 0 names no row";
  s.commit();
  EXPECT_GT(merged->id, user_id);
  EXPECT_EQ(committed_rows("users"), 2);
}

TEST_P(merge_test, merging_into_a_session_that_has_the_object_changes_it_in_place) {
  relate::session s(engine());
  auto mine = s.get<Post>(post_id);
  auto detached = detached_post();
  detached->content = "from outside";
  auto merged = s.merge(detached);
  EXPECT_EQ(merged, mine) << "identity is preserved";
  EXPECT_EQ(mine->content, "from outside");
  EXPECT_TRUE(take_statements().empty()) << "found in the identity map";
  EXPECT_EQ(s.query<Post>().filter_by(&Post::content, "from outside").count(), 1)
      << "autoflush sees the merged change";
}

TEST_P(merge_test, an_object_of_the_session_is_returned_as_it_is) {
  relate::session s(engine());
  auto mine = s.get<Post>(post_id);
  mine->title = "kept";
  EXPECT_EQ(s.merge(mine), mine);
  EXPECT_EQ(mine->title, "kept");
}

TEST_P(merge_test, an_object_of_another_session_is_copied_not_moved) {
  relate::session a(engine());
  relate::session b(engine());
  auto in_a = a.get<Post>(post_id);
  in_a->title = "from a";
  auto in_b = b.merge(in_a);
  EXPECT_NE(in_b, in_a);
  EXPECT_TRUE(a.contains(in_a));
  EXPECT_EQ(in_b->title, "from a");
}

TEST_P(merge_test, a_stale_version_is_refused) {
  relate::ptr<Versioned> detached;
  {
    relate::session elsewhere(engine());
    detached = elsewhere.get<Versioned>(versioned_id);
  }
  {
    relate::session writer(engine());
    writer.get<Versioned>(versioned_id)->text = "v2";
    writer.commit();
  }
  detached->text = "based on v1";
  relate::session s(engine());
  try {
    s.merge(detached);
    FAIL() << "expected stale_data_error";
  } catch (const relate::stale_data_error& e) {
    EXPECT_NE(std::string(e.what()).find("version 1"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(s.has_changes()) << "refused before anything changed";
  EXPECT_EQ(s.get<Versioned>(versioned_id)->text, "v2");
}

TEST_P(merge_test, columns_the_given_object_did_not_load_are_not_copied) {
  relate::ptr<Post> partial;
  {
    relate::session elsewhere(engine());
    partial =
        elsewhere.query<Post>().filter_by(&Post::id, post_id).options(relate::defer(&Post::content)).one();
  }
  partial->title = "title only";
  relate::session s(engine());
  auto merged = s.merge(partial);
  EXPECT_EQ(merged->content, "long text") << "an unloaded column is not copied over the row's value";
  s.commit();
  relate::session check(engine());
  EXPECT_EQ(check.get<Post>(post_id)->content, "long text");
  EXPECT_EQ(check.get<Post>(post_id)->title, "title only");
}

TEST_P(merge_test, a_deferred_column_of_the_session_object_is_read_before_it_is_compared) {
  relate::session s(engine());
  auto mine = s.query<Post>().filter_by(&Post::id, post_id).options(relate::defer(&Post::content)).one();
  s.merge(Post{.id = post_id, .title = "first", .content = "", .user_id = user_id});
  EXPECT_EQ(mine->content, "") << "the merged value, though it is the member's default";
  s.commit();
  EXPECT_EQ(relate::session(engine()).get<Post>(post_id)->content, "");
}

RELATE_INSTANTIATE_BACKENDS(merge_test);

}  // namespace
}  // namespace orm_test
