// SPDX-License-Identifier: MIT
// Querying across relationships on every backend: joins without spelling
// the condition, any/has/contains, filtering and ordering on related
// columns, aliases for self-referential joins, and counts with group_by.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

class across : public relationship_test {
 protected:
  void SetUp() override {
    relationship_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto ann = s.add(User{.name = "Ann"});
    auto bob = s.add(User{.name = "Bob"});
    s.add(User{.name = "Cid"});
    auto cpp = s.add(Tag{.name = "c++"});
    ann->posts.append(Post{.title = "Alpha"})->tags.push_back(cpp);
    ann->posts.push_back(Post{.title = "Beta"});
    bob->posts.append(Post{.title = "Gamma"})->tags.push_back(cpp);
    auto boss = s.add(Employee{.name = "boss"});
    boss->reports.append(Employee{.name = "mid"})->reports.push_back(Employee{.name = "leaf"});
    s.commit();
  }
  template <class T>
  static std::vector<std::string> names(const std::vector<relate::ptr<T>>& v) {
    std::vector<std::string> out;
    for (const auto& x : v) {
      if constexpr (requires { x->name; })
        out.push_back(x->name);
      else
        out.push_back(x->title);
    }
    return out;
  }
};

TEST_P(across, join_along_a_relationship_and_filter_on_related_columns) {
  relate::session s(engine());
  auto posts = s.query<Post>()
                   .join(&Post::author)
                   .filter(relate::col(&User::name) == "Ann")
                   .order_by(&Post::title)
                   .all();
  EXPECT_EQ(names(posts), (std::vector<std::string>{"Alpha", "Beta"}));
  auto users = s.query<User>().join(&User::posts).filter(relate::col(&Post::title) == "Gamma").all();
  EXPECT_EQ(names(users), (std::vector<std::string>{"Bob"}));
  auto tagged = s.query<User>()
                    .join(&User::posts)
                    .join(&Post::tags)
                    .filter(relate::col(&Tag::name) == "c++")
                    .order_by(&User::name)
                    .all();
  EXPECT_EQ(names(tagged), (std::vector<std::string>{"Ann", "Bob"})) << "each user once";
  auto by_author =
      s.query<Post>().join(&Post::author).order_by(relate::desc(&User::name), &Post::title).all();
  EXPECT_EQ(names(by_author), (std::vector<std::string>{"Gamma", "Alpha", "Beta"}));
}

TEST_P(across, any_and_has_are_correlated_exists) {
  relate::session s(engine());
  EXPECT_EQ(names(s.query<User>().filter(relate::any(&User::posts)).order_by(&User::name).all()),
            (std::vector<std::string>{"Ann", "Bob"}));
  EXPECT_EQ(names(s.query<User>().filter(!relate::any(&User::posts)).all()),
            (std::vector<std::string>{"Cid"}));
  EXPECT_EQ(
      names(s.query<User>().filter(relate::any(&User::posts, relate::col(&Post::title) == "Beta")).all()),
      (std::vector<std::string>{"Ann"}));
  EXPECT_EQ(
      names(s.query<Post>().filter(relate::has(&Post::author, relate::col(&User::name) == "Bob")).all()),
      (std::vector<std::string>{"Gamma"}));
  EXPECT_EQ(
      names(s.query<Tag>().filter(relate::any(&Tag::posts, relate::col(&Post::title) == "Alpha")).all()),
      (std::vector<std::string>{"c++"}));
  EXPECT_EQ(names(s.query<Post>().filter(relate::any(&Post::tags)).order_by(&Post::title).all()),
            (std::vector<std::string>{"Alpha", "Gamma"}));
}

TEST_P(across, contains_and_filter_by_an_object) {
  relate::session s(engine());
  auto beta = s.query<Post>().filter_by(&Post::title, "Beta").one();
  EXPECT_EQ(names(s.query<User>().filter(relate::contains(&User::posts, beta)).all()),
            (std::vector<std::string>{"Ann"}));
  auto cpp = s.query<Tag>().one();
  EXPECT_EQ(names(s.query<Post>().filter(relate::contains(&Post::tags, cpp)).order_by(&Post::title).all()),
            (std::vector<std::string>{"Alpha", "Gamma"}));
  auto bob = s.query<User>().filter_by(&User::name, "Bob").one();
  EXPECT_EQ(names(s.query<Post>().filter_by(&Post::author, bob).all()), (std::vector<std::string>{"Gamma"}));
}

TEST_P(across, self_referential_joins_and_exists_use_an_alias) {
  relate::session s(engine());
  relate::aliased<Employee> manager("manager");
  auto under_boss = s.query<Employee>()
                        .join(&Employee::manager, manager)
                        .filter(manager.col(&Employee::name) == "boss")
                        .all();
  EXPECT_EQ(names(under_boss), (std::vector<std::string>{"mid"}));
  auto managers = s.query<Employee>().filter(relate::any(&Employee::reports)).order_by(&Employee::id).all();
  EXPECT_EQ(names(managers), (std::vector<std::string>{"boss", "mid"}));
  relate::aliased<Employee> report("report");
  auto leaf_manager =
      s.query<Employee>()
          .filter(relate::any(&Employee::reports, report, report.col(&Employee::name) == "leaf"))
          .all();
  EXPECT_EQ(names(leaf_manager), (std::vector<std::string>{"mid"}));
  EXPECT_THROW(s.query<Employee>().join(&Employee::manager), relate::usage_error) << "an unaliased self-join";
  EXPECT_THROW((void)relate::any(&Employee::reports, relate::col(&Employee::name) == "x"),
               relate::usage_error);
}

TEST_P(across, counting_related_rows_with_group_by) {
  relate::session s(engine());
  auto counts = s.query(relate::col(&User::name), relate::sql::count(relate::col(&Post::id)))
                    .outer_join(&User::posts)
                    .group_by(relate::col(&User::name))
                    .order_by(relate::col(&User::name))
                    .all();
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0], std::make_tuple(std::string("Ann"), std::int64_t{2}));
  EXPECT_EQ(counts[1], std::make_tuple(std::string("Bob"), std::int64_t{1}));
  EXPECT_EQ(counts[2], std::make_tuple(std::string("Cid"), std::int64_t{0}));
  auto prolific = s.query<User>()
                      .join(&User::posts)
                      .group_by(relate::col(&User::id))
                      .having(relate::sql::count(relate::col(&Post::id)) > 1)
                      .all();
  EXPECT_EQ(names(prolific), (std::vector<std::string>{"Ann"}));
}

TEST_P(across, columns_of_the_outer_side_of_a_join_read_as_optional) {
  relate::session s(engine());
  relate::aliased<Employee> manager("manager");
  auto managers_name = relate::sql::as_optional(manager.col(&Employee::name));
  static_assert(std::is_same_v<decltype(managers_name)::value_type, std::optional<std::string>>);
  auto pairs = s.query(relate::col(&Employee::name), managers_name)
                   .outer_join(&Employee::manager, manager)
                   .order_by(relate::col(&Employee::id))
                   .all();
  using pair = std::tuple<std::string, std::optional<std::string>>;
  EXPECT_EQ(pairs, (std::vector<pair>{{"boss", std::nullopt}, {"mid", "boss"}, {"leaf", "mid"}}));
  auto titles = s.query(relate::col(&User::name), relate::sql::as_optional(relate::col(&Post::title)))
                    .outer_join(&User::posts)
                    .filter(relate::col(&User::name) == "Cid")
                    .all();
  EXPECT_EQ(titles, (std::vector<pair>{{"Cid", std::nullopt}}));

  // Read as the member's own type, the NULL the join made names the way out.
  auto plain = s.query(relate::col(&Employee::name), manager.col(&Employee::name))
                   .outer_join(&Employee::manager, manager);
  try {
    (void)plain.all();
    ADD_FAILURE() << "a NULL read into std::string";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("outer side of a LEFT OUTER JOIN"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("relate::sql::as_optional"), std::string::npos) << e.what();
  }
  // An inner join has no such NULLs: the same columns read as they are.
  auto inner = s.query(relate::col(&Employee::name), manager.col(&Employee::name))
                   .join(&Employee::manager, manager)
                   .order_by(relate::col(&Employee::id))
                   .all();
  using names_pair = std::tuple<std::string, std::string>;
  EXPECT_EQ(inner, (std::vector<names_pair>{{"mid", "boss"}, {"leaf", "mid"}}));
}

RELATE_INSTANTIATE_BACKENDS(across);

}  // namespace
}  // namespace rel_test
