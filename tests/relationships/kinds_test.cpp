// SPDX-License-Identifier: MIT
// Each kind of relationship on every backend: appending, setting and
// removing in memory (both sides in step), what the flush writes, and what
// a fresh session loads back.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

using kinds = relationship_test;

TEST_P(kinds, one_to_many_appended_through_the_parent_is_saved_and_loads_back) {
  {
    relate::session s(engine());
    auto user = s.add(User{.name = "John Doe"});
    user->posts.push_back(Post{.title = "First Post", .content = "Hello World!"});
    user->posts.push_back(Post{.title = "Second Post", .content = "Goodbye World!"});
    EXPECT_EQ(user->posts.size(), 2u);
    s.commit();
  }
  EXPECT_EQ(committed("SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id ORDER BY p.id"),
            (std::vector<std::string>{"John Doe|First Post", "John Doe|Second Post"}));

  relate::session s(engine());
  auto john = s.query<User>().filter_by(&User::name, "John Doe").first();
  ASSERT_TRUE(john);
  forget_statements();
  std::vector<std::string> titles;
  for (auto& post : john->posts) titles.push_back(post.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"First Post", "Second Post"}));
  EXPECT_EQ(statement_count(), 1u) << "a lazy load is one SELECT";
  for (auto& post : john->posts) titles.push_back(post.title);
  EXPECT_EQ(statement_count(), 0u) << "then the collection is in memory";
  EXPECT_EQ(john->posts.get(0)->author.get(), john) << "the loaded posts' author is the same object";
  EXPECT_EQ(statement_count(), 0u) << "the many-to-one side comes from the identity map";
}

TEST_P(kinds, a_plain_value_with_children_is_added_whole) {
  relate::session s(engine());
  User u{.name = "Ann"};
  u.posts.push_back(Post{.title = "a"});
  u.posts.push_back(Post{.title = "b"});
  auto ann = s.add(std::move(u));
  EXPECT_EQ(ann->posts.size(), 2u);
  for (auto& p : ann->posts)
    EXPECT_EQ(p.author.get(), ann) << "back_populates is set when the value becomes an object";
  EXPECT_TRUE(s.contains(ann->posts.get(0))) << "save-update cascade";
  s.commit();
  EXPECT_EQ(
      committed(
          "SELECT p.title FROM posts p JOIN users u ON u.id = p.user_id WHERE u.name = 'Ann' ORDER BY p.id"),
      (std::vector<std::string>{"a", "b"}));
}

TEST_P(kinds, both_sides_stay_in_step_in_memory) {
  relate::session s(engine());
  auto ann = s.add(User{.name = "Ann"});
  auto bob = s.add(User{.name = "Bob"});
  auto post = ann->posts.append(Post{.title = "p"});
  EXPECT_EQ(post->author.get(), ann);

  post->author = bob;  // the many-to-one side moves it
  EXPECT_FALSE(ann->posts.contains(post));
  EXPECT_TRUE(bob->posts.contains(post));

  bob->posts.remove(post);  // the collection side clears the reference
  EXPECT_FALSE(post->author);
  ann->posts.push_back(post);
  EXPECT_EQ(post->author.get(), ann);
  s.commit();
  EXPECT_EQ(committed("SELECT u.name FROM posts p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"Ann"}));

  // Persistent objects whose collections are not loaded yet.
  relate::session t(engine());
  auto p2 = t.query<Post>().one();
  auto bob2 = t.query<User>().filter_by(&User::name, "Bob").one();
  p2->author = bob2;  // bob2.posts is not loaded: applied when it loads
  EXPECT_TRUE(bob2->posts.contains(p2));
  auto ann2 = t.query<User>().filter_by(&User::name, "Ann").one();
  EXPECT_FALSE(ann2->posts.contains(p2)) << "loaded after autoflush moved the post";
  t.commit();
  EXPECT_EQ(committed("SELECT u.name FROM posts p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"Bob"}));
}

TEST_P(kinds, many_to_one_set_from_the_child_writes_the_key) {
  relate::session s(engine());
  auto ann = s.add(User{.name = "Ann"});
  auto author = s.add(Author{.name = "A"});
  s.commit();
  auto post = s.add(Post{.title = "t", .author = ann});
  auto book = s.add(Book{.title = "b", .author = author});
  EXPECT_TRUE(ann->posts.contains(post));
  EXPECT_TRUE(author->books.contains(book));
  s.commit();
  EXPECT_EQ(post->user_id, ann->id);
  EXPECT_EQ(book->author_id, author->id);

  // Clearing the reference: the book keeps its row with a NULL key; the
  // post, whose parent's collection has delete-orphan, is deleted (as in
  // SQLAlchemy: de-associated from its parent, it is an orphan).
  book->author = nullptr;
  post->author = nullptr;
  EXPECT_FALSE(author->books.contains(book));
  s.commit();
  EXPECT_EQ(committed("SELECT title, CASE WHEN author_id IS NULL THEN 'null' ELSE 'set' END FROM books"),
            (std::vector<std::string>{"b|null"}));
  EXPECT_EQ(committed_count("posts"), 0);
}

TEST_P(kinds, one_to_one_replacing_the_object_clears_the_old_key) {
  relate::session s(engine());
  auto ann = s.add(User{.name = "Ann"});
  ann->profile = Profile{.bio = "first"};
  s.commit();
  EXPECT_EQ(committed("SELECT p.bio FROM profiles p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"first"}));
  auto first = ann->profile.get();
  EXPECT_EQ(first->user.get(), ann);

  ann->profile = Profile{.bio = "second"};
  EXPECT_FALSE(first->user) << "the replaced profile lost its user";
  s.commit();
  EXPECT_EQ(
      committed(
          "SELECT bio, CASE WHEN user_id IS NULL THEN 'no user' ELSE 'user' END FROM profiles ORDER BY id"),
      (std::vector<std::string>{"first|no user", "second|user"}));

  relate::session t(engine());
  auto ann2 = t.query<User>().one();
  ASSERT_TRUE(ann2->profile);
  EXPECT_EQ(ann2->profile->bio, "second");
}

TEST_P(kinds, many_to_many_through_the_association_table) {
  {
    relate::session s(engine());
    auto post = s.add(Post{.title = "p"});
    auto cpp = s.add(Tag{.name = "c++"});
    post->tags.push_back(cpp);
    post->tags.push_back(Tag{.name = "orm"});
    EXPECT_TRUE(cpp->posts.contains(post)) << "the other side";
    s.commit();
  }
  EXPECT_EQ(committed("SELECT t.name FROM tags t JOIN post_tags pt ON pt.tag_id = t.id ORDER BY t.name"),
            (std::vector<std::string>{"c++", "orm"}));
  relate::session s(engine());
  auto post = s.query<Post>().one();
  forget_statements();
  ASSERT_EQ(post->tags.size(), 2u);
  EXPECT_EQ(statement_count(), 1u);
  auto orm = s.query<Tag>().filter_by(&Tag::name, "orm").one();
  ASSERT_EQ(orm->posts.size(), 1u);
  EXPECT_EQ(orm->posts.get(0), post);

  post->tags.remove(orm);
  EXPECT_FALSE(orm->posts.contains(post));
  s.commit();
  EXPECT_EQ(committed("SELECT t.name FROM tags t JOIN post_tags pt ON pt.tag_id = t.id"),
            (std::vector<std::string>{"c++"}));
  EXPECT_EQ(committed_count("tags"), 2) << "removing from a many-to-many deletes the association row only";
}

TEST_P(kinds, self_referential_manager_and_reports) {
  {
    relate::session s(engine());
    auto boss = s.add(Employee{.name = "boss"});
    auto mid = boss->reports.append(Employee{.name = "mid"});
    mid->reports.push_back(Employee{.name = "leaf 1"});
    mid->reports.push_back(Employee{.name = "leaf 2"});
    s.commit();
  }
  EXPECT_EQ(committed("SELECT e.name, m.name FROM employees e LEFT JOIN employees m ON m.id = e.manager_id "
                      "ORDER BY e.id"),
            (std::vector<std::string>{"boss|NULL", "mid|boss", "leaf 1|mid", "leaf 2|mid"}));
  relate::session s(engine());
  auto leaf = s.query<Employee>().filter_by(&Employee::name, "leaf 2").one();
  EXPECT_EQ(leaf->manager->name, "mid");
  EXPECT_EQ(leaf->manager->manager->name, "boss");
  EXPECT_FALSE(leaf->manager->manager->manager);
  EXPECT_EQ(leaf->manager->reports.size(), 2u);
}

TEST_P(kinds, two_relationships_to_the_same_table_follow_their_own_keys) {
  relate::session s(engine());
  auto ann = s.add(User{.name = "Ann"});
  auto bob = s.add(User{.name = "Bob"});
  auto m = ann->sent.append(Message{.body = "hi"});
  m->recipient = bob;
  EXPECT_EQ(m->sender.get(), ann);
  EXPECT_TRUE(bob->received.contains(m));
  EXPECT_FALSE(bob->sent.contains(m));
  s.commit();
  EXPECT_EQ(committed("SELECT s.name, r.name FROM messages m JOIN users s ON s.id = m.sender_id "
                      "JOIN users r ON r.id = m.recipient_id"),
            (std::vector<std::string>{"Ann|Bob"}));
  relate::session t(engine());
  auto bob2 = t.query<User>().filter_by(&User::name, "Bob").one();
  EXPECT_EQ(bob2->sent.size(), 0u);
  ASSERT_EQ(bob2->received.size(), 1u);
  EXPECT_EQ(bob2->received[0].sender->name, "Ann");
}

RELATE_INSTANTIATE_BACKENDS(kinds);

}  // namespace
}  // namespace rel_test
