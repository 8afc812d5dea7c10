// SPDX-License-Identifier: MIT
// Cascades, checked in the database: save-update, delete, delete-orphan,
// passive deletes, and SQLAlchemy's defaults without them (a removed or
// orphaned child keeps its row with a NULL foreign key).
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

using cascades = relationship_test;

TEST_P(cascades, save_update_reaches_every_object_linked_to_an_added_one) {
  relate::session s(engine());
  Employee boss{.name = "boss"};
  Employee mid{.name = "mid"};
  mid.reports.push_back(Employee{.name = "leaf"});
  boss.reports.push_back(std::move(mid));
  auto b = s.add(std::move(boss));
  auto leaf = b->reports.get(0)->reports.get(0);
  EXPECT_TRUE(s.contains(leaf)) << "two levels down, through one add";
  EXPECT_EQ(leaf->manager->manager.get(), b);
  s.commit();
  EXPECT_EQ(committed_count("employees"), 3);

  // Appending to an object already in the session adds the new object too.
  auto late = b->reports.append(Employee{.name = "late"});
  EXPECT_TRUE(s.contains(late));
  s.commit();
  EXPECT_EQ(committed("SELECT e.name FROM employees e JOIN employees m ON m.id = e.manager_id "
                      "WHERE m.name = 'boss' ORDER BY e.id"),
            (std::vector<std::string>{"mid", "late"}));
}

TEST_P(cascades, delete_cascade_deletes_children_even_when_not_loaded) {
  {
    relate::session s(engine());
    auto u = s.add(User{.name = "Ann"});
    u->posts.push_back(Post{.title = "a"});
    u->posts.push_back(Post{.title = "b"});
    s.add(User{.name = "Bob"})->posts.push_back(Post{.title = "kept"});
    s.commit();
  }
  relate::session s(engine());
  auto ann = s.query<User>().filter_by(&User::name, "Ann").one();
  EXPECT_FALSE(ann->posts.is_loaded());
  s.remove(ann);
  s.commit();
  EXPECT_EQ(committed("SELECT title FROM posts"), (std::vector<std::string>{"kept"}));
  EXPECT_EQ(committed("SELECT name FROM users"), (std::vector<std::string>{"Bob"}));
}

TEST_P(cascades, delete_orphan_deletes_a_child_removed_from_its_collection) {
  relate::session s(engine());
  auto u = s.add(User{.name = "Ann"});
  auto a = u->posts.append(Post{.title = "a"});
  u->posts.push_back(Post{.title = "b"});
  s.commit();
  EXPECT_TRUE(u->posts.remove(a));
  s.commit();
  EXPECT_EQ(committed("SELECT title FROM posts"), (std::vector<std::string>{"b"}));
  EXPECT_EQ(a.status(), relate::object_status::detached) << "deleted at the flush, detached at commit";

  // Moving a child to another parent is not orphaning it.
  auto bob = s.add(User{.name = "Bob"});
  auto b = u->posts.get(0);
  bob->posts.push_back(b);
  EXPECT_FALSE(u->posts.contains(b));
  s.commit();
  EXPECT_EQ(committed("SELECT p.title, u.name FROM posts p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"b|Bob"}));
}

TEST_P(cascades, an_object_expunged_from_one_session_has_its_changes_flushed_by_the_next) {
  {
    relate::session setup(engine());
    auto u = setup.add(User{.name = "Ann"});
    u->posts.push_back(Post{.title = "a"});
    u->posts.push_back(Post{.title = "b"});
    setup.commit();
  }
  relate::session first(engine());
  auto u = first.query<User>().filter_by(&User::name, "Ann").one();
  u->name = "Ann in the first session";    // reached and changed in the first session ...
  u->posts.push_back(Post{.title = "c"});  // ... and its relationship too
  for (std::size_t i = 0; i < u->posts.size(); ++i) first.expunge(u->posts.get(i));
  first.expunge(u);
  first.rollback();  // ends its transaction (an autoflush may have written the name)

  relate::session second(engine());
  second.add(u);
  u->name = "Ann";
  u->name += " again";
  // Autoflush sees the change made in this session ...
  EXPECT_EQ(second.query<User>().filter_by(&User::name, "Ann again").count(), 1);
  // ... and the flush sees the collection change: "a" is an orphan now.
  relate::ptr<Post> a;
  for (std::size_t i = 0; i < u->posts.size(); ++i)
    if (u->posts.get(i)->title == "a") a = u->posts.get(i);
  ASSERT_TRUE(a);
  EXPECT_TRUE(u->posts.remove(a));
  second.commit();
  EXPECT_EQ(committed("SELECT title FROM posts ORDER BY title"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(committed("SELECT name FROM users"), (std::vector<std::string>{"Ann again"}));
}

TEST_P(cascades, without_delete_orphan_a_removed_child_keeps_its_row_with_a_null_key) {
  relate::session s(engine());
  auto author = s.add(Author{.name = "A"});
  auto book = author->books.append(Book{.title = "t"});
  s.commit();
  author->books.remove(book);
  EXPECT_FALSE(book->author);
  s.commit();
  EXPECT_EQ(committed("SELECT title, CASE WHEN author_id IS NULL THEN 'null' ELSE 'set' END FROM books"),
            (std::vector<std::string>{"t|null"}));
}

TEST_P(cascades, session_delete_deletes_a_row_where_many_remove_only_de_associates) {
  relate::session s(engine());
  auto author = s.add(Author{.name = "A"});
  auto kept = author->books.append(Book{.title = "kept"});
  auto gone = author->books.append(Book{.title = "gone"});
  s.commit();
  EXPECT_TRUE(author->books.remove(kept));  // the book stays, without its author
  s.delete_(gone);                          // the book's row is deleted
  s.commit();
  EXPECT_EQ(committed("SELECT title, CASE WHEN author_id IS NULL THEN 'null' ELSE 'set' END FROM books"),
            (std::vector<std::string>{"kept|null"}));
  s.remove(author);  // the first name of delete_ still deletes
  s.commit();
  EXPECT_EQ(committed_count("authors"), 0);
  EXPECT_EQ(committed_count("books"), 1);
}

TEST_P(cascades, deleting_a_parent_without_a_delete_cascade_nulls_its_childrens_keys) {
  {
    relate::session s(engine());
    auto author = s.add(Author{.name = "A"});
    author->books.push_back(Book{.title = "one"});
    author->books.push_back(Book{.title = "two"});
    s.commit();
  }
  relate::session s(engine());
  auto author = s.query<Author>().one();
  auto one = s.query<Book>().filter_by(&Book::title, "one").one();
  EXPECT_EQ(one->author.get(), author);
  s.remove(author);
  s.commit();
  EXPECT_EQ(
      committed(
          "SELECT title, CASE WHEN author_id IS NULL THEN 'null' ELSE 'set' END FROM books ORDER BY id"),
      (std::vector<std::string>{"one|null", "two|null"}));
  EXPECT_EQ(committed_count("authors"), 0);
  EXPECT_FALSE(one->author) << "the in-memory reference follows the database";
  EXPECT_FALSE(one->author_id.has_value());
}

TEST_P(cascades, passive_deletes_leave_unloaded_children_to_on_delete_cascade) {
  {
    relate::session s(engine());
    auto f = s.add(Folder{.name = "f"});
    for (int i = 0; i < 3; ++i) f->documents.push_back(Document{.name = "d" + std::to_string(i)});
    s.add(Folder{.name = "other"})->documents.push_back(Document{.name = "kept"});
    s.commit();
  }
  relate::session s(engine());
  auto f = s.query<Folder>().filter_by(&Folder::name, "f").one();
  forget_statements();
  s.remove(f);
  s.commit();
  const auto statements = take_statements();
  for (const auto& sql : statements)
    EXPECT_EQ(sql.find("documents"), std::string::npos)
        << "the documents are neither loaded nor deleted one by one: " << sql;
  EXPECT_EQ(committed("SELECT name FROM documents"), (std::vector<std::string>{"kept"}))
      << "the database's ON DELETE CASCADE removed them";
}

TEST_P(cascades, a_failed_flush_leaves_relationships_and_database_untouched) {
  relate::session s(engine());
  auto u = s.add(User{.name = "Ann"});
  s.commit();
  u->posts.push_back(Post{.title = "fine"});
  auto profile = s.add(Profile{.user_id = u->id, .bio = "1"});
  auto clash = s.add(Profile{.user_id = u->id, .bio = "2"});  // unique user_id: this INSERT fails
  EXPECT_THROW(s.flush(), relate::integrity_error);
  EXPECT_EQ(committed_count("posts"), 0);
  EXPECT_EQ(u->posts.size(), 1u);
  EXPECT_EQ(u->posts.get(0).status(), relate::object_status::pending);
  s.expunge(clash);
  s.commit();
  EXPECT_EQ(committed("SELECT p.title FROM posts p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"fine"}));
  EXPECT_EQ(committed_count("profiles"), 1);
}

RELATE_INSTANTIATE_BACKENDS(cascades);

}  // namespace
}  // namespace rel_test
