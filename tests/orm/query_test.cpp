// SPDX-License-Identifier: MIT
// Queries: filters, ordering, limits, one/one_or_none, count/exists,
// streaming, bulk update/delete, tuples, scalars and joins.
#include "orm_fixture.hpp"

namespace orm_test {
namespace {

class query_test : public orm_fixture {
 protected:
  void SetUp() override {
    orm_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    ann = s.add(User{.name = "ann"});
    bob = s.add(User{.name = "bob"});
    s.flush();
    for (int i = 1; i <= 6; ++i)
      s.add(Post{.title = "post " + std::to_string(i),
                 .content = i % 2 ? "odd" : "even",
                 .user_id = i <= 4 ? ann->id : bob->id});
    s.add(Post{.title = "orphan", .content = "none", .user_id = std::nullopt});
    s.commit();
    take_statements();
  }
  relate::ptr<User> ann, bob;
};

std::vector<std::string> titles(const std::vector<relate::ptr<Post>>& posts) {
  std::vector<std::string> out;
  for (auto& p : posts) out.push_back(p->title);
  return out;
}

TEST_P(query_test, filter_order_limit_offset) {
  relate::session s(engine());
  auto q = s.query<Post>().filter(relate::col(&Post::content) == "even").order_by(relate::desc(&Post::id));
  EXPECT_EQ(titles(q.all()), (std::vector<std::string>{"post 6", "post 4", "post 2"}));
  auto page = s.query<Post>().order_by(&Post::id).limit(2).offset(1).all();
  EXPECT_EQ(titles(page), (std::vector<std::string>{"post 2", "post 3"}));
  auto by_user = s.query<Post>()
                     .filter_by(&Post::user_id, bob->id)
                     .filter(relate::col(&Post::title).like("post%"))
                     .order_by(relate::asc(&Post::title))
                     .all();
  EXPECT_EQ(titles(by_user), (std::vector<std::string>{"post 5", "post 6"}));
  auto orphans = s.query<Post>().filter_by(&Post::user_id, std::optional<std::int64_t>{}).all();
  EXPECT_EQ(titles(orphans), (std::vector<std::string>{"orphan"}))
      << "filter_by an empty optional is IS NULL";
  auto nulls = s.query<Post>().filter(relate::col(&Post::user_id).is_null()).count();
  EXPECT_EQ(nulls, 1);
}

TEST_P(query_test, first_one_one_or_none) {
  relate::session s(engine());
  EXPECT_EQ(s.query<User>().order_by(&User::name).first()->name, "ann");
  EXPECT_FALSE(s.query<User>().filter_by(&User::name, "nobody").first());
  EXPECT_EQ(s.query<User>().filter_by(&User::name, "bob").one()->name, "bob");
  EXPECT_THROW(s.query<User>().filter_by(&User::name, "nobody").one(), relate::no_result_found);
  EXPECT_THROW(s.query<User>().one(), relate::multiple_results_found);
  EXPECT_FALSE(s.query<User>().filter_by(&User::name, "nobody").one_or_none());
  EXPECT_THROW(s.query<User>().one_or_none(), relate::multiple_results_found);
  EXPECT_EQ(s.query<User>().filter_by(&User::name, "ann").one_or_none()->name, "ann");
}

TEST_P(query_test, count_and_exists) {
  relate::session s(engine());
  EXPECT_EQ(s.query<Post>().count(), 7);
  EXPECT_EQ(s.query<Post>().filter_by(&Post::user_id, ann->id).count(), 4);
  EXPECT_EQ(s.query<Post>().order_by(&Post::id).limit(3).count(), 3);
  EXPECT_TRUE(s.query<Post>().filter_by(&Post::title, "orphan").exists());
  EXPECT_FALSE(s.query<Post>().filter_by(&Post::title, "nope").exists());
  auto st = take_statements();
  ASSERT_FALSE(st.empty());
  EXPECT_NE(st[0].find("count"), std::string::npos) << st[0];
}

TEST_P(query_test, join_filters_on_related_columns) {
  relate::session s(engine());
  auto posts = s.query<Post>()
                   .join<User>(relate::col(&User::id) == relate::col(&Post::user_id))
                   .filter(relate::col(&User::name) == "bob")
                   .order_by(&Post::id)
                   .all();
  EXPECT_EQ(titles(posts), (std::vector<std::string>{"post 5", "post 6"}));
  auto users = s.query<User>()
                   .join<Post>(relate::col(&User::id) == relate::col(&Post::user_id))
                   .filter(relate::col(&Post::content) == "odd")
                   .order_by(&User::name)
                   .all();
  ASSERT_EQ(users.size(), 2u) << "a joined row repeated per post comes back once";
  EXPECT_EQ(users[0]->name, "ann");
}

TEST_P(query_test, tuples_and_scalars) {
  relate::session s(engine());
  auto rows = s.query(relate::col(&User::id), relate::col(&User::name)).order_by(&User::name).all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<0>(rows[0]), ann->id);
  EXPECT_EQ(std::get<1>(rows[1]), "bob");
  // A nullable column comes back as std::optional.
  auto pairs = s.query(relate::col(&Post::title), relate::col(&Post::user_id))
                   .filter(relate::col(&Post::title) == "orphan" || relate::col(&Post::title) == "post 1")
                   .order_by(&Post::id)
                   .all();
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(std::get<1>(pairs[0]), std::optional<std::int64_t>(ann->id));
  EXPECT_EQ(std::get<1>(pairs[1]), std::nullopt);
  auto one = s.query(relate::col(&User::name)).filter(relate::col(&User::id) == bob->id).one();
  EXPECT_EQ(std::get<0>(one), "bob");

  EXPECT_EQ(s.scalar(relate::sql::count(relate::col(&Post::id))), 7);
  EXPECT_EQ(s.scalar<std::string>(
                relate::sql::select(relate::col(&User::name)).where(relate::col(&User::id) == ann->id)),
            "ann");
}

TEST_P(query_test, stream_goes_through_the_identity_map) {
  relate::session s(engine());
  auto first = s.get<Post>(1);
  std::vector<relate::ptr<Post>> seen;
  for (const auto& p : s.query<Post>().order_by(&Post::id).stream()) seen.push_back(p);
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_EQ(seen[0], first);
  std::size_t n = 0;
  s.query<Post>().for_each([&](const relate::ptr<Post>& p) {
    EXPECT_TRUE(s.contains(p));
    ++n;
  });
  EXPECT_EQ(n, 7u);
}

TEST_P(query_test, scan_streams_detached_objects) {
  relate::session s(engine());
  std::size_t n = 0;
  for (const auto& p : s.query<Post>().filter_by(&Post::content, "odd").scan()) {
    EXPECT_FALSE(s.contains(p));
    EXPECT_EQ(p->content, "odd");
    ++n;
  }
  EXPECT_EQ(n, 3u);
}

TEST_P(query_test, streaming_a_large_result) {
  relate::session s(engine());
  constexpr int rows = 5000;
  for (int i = 0; i < rows; ++i) s.add(Post{.title = "bulk", .content = std::to_string(i)});
  s.commit();
  relate::session reader(engine());
  std::int64_t total = 0, count = 0;
  for (const auto& p : reader.query<Post>().filter_by(&Post::title, "bulk").scan()) {
    total += std::stoll(p->content);
    ++count;
  }
  EXPECT_EQ(count, rows);
  EXPECT_EQ(total, std::int64_t{rows} * (rows - 1) / 2);
}

TEST_P(query_test, bulk_update_and_delete) {
  relate::session s(engine());
  auto p1 = s.get<Post>(1);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->content, "odd");
  auto n = s.query<Post>().filter_by(&Post::content, "odd").update({{&Post::content, "ODD"}});
  EXPECT_EQ(n, 3);
  EXPECT_EQ(p1->content, "ODD") << "objects in the session are refreshed after a bulk update";
  EXPECT_EQ(s.query<Post>().filter_by(&Post::content, "ODD").count(), 3);

  auto p2 = s.get<Post>(2);
  auto deleted = s.query<Post>().filter(relate::col(&Post::user_id) == ann->id).delete_();
  EXPECT_EQ(deleted, 4);
  EXPECT_FALSE(s.contains(p2)) << "deleted rows' objects leave the session";
  EXPECT_FALSE(s.get<Post>(2));
  s.commit();
  EXPECT_EQ(committed_rows("posts"), 3);
  EXPECT_THROW(s.query<Post>().limit(1).delete_(), relate::usage_error);
}

RELATE_INSTANTIATE_BACKENDS(query_test);

}  // namespace
}  // namespace orm_test
