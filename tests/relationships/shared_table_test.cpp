// SPDX-License-Identifier: MIT
// Two mappings of one table in one metadata (issue 18): a second class on
// "authors" whose collection has other cascades.  The table is created and
// dropped once, the second class's relationships follow the keys declared
// against the first, and the two classes keep separate identities.
#include "relationship_fixture.hpp"

namespace rel_test {

/// authors again, with a collection that deletes its books.
struct AuthorPurge {
  std::int64_t id{};
  std::string name{};
  relate::many<Book> books{};
};
inline auto relate_mapping(relate::model<AuthorPurge>) {
  using namespace relate::orm;
  return table<AuthorPurge>("authors", column(&AuthorPurge::name, "name"),
                            column(&AuthorPurge::id, "id", primary_key),  // column order is free
                            relationship(&AuthorPurge::books, cascade::all, order_by(&Book::id)));
}

/// authors with a nullable name: not the same table.
struct AuthorLoose {
  std::int64_t id{};
  std::optional<std::string> name{};
};
inline auto relate_mapping(relate::model<AuthorLoose>) {
  using namespace relate::orm;
  return table<AuthorLoose>("authors", column(&AuthorLoose::id, "id", primary_key),
                            column(&AuthorLoose::name, "name"));
}

/// authors without its name column.
struct AuthorShort {
  std::int64_t id{};
};
inline auto relate_mapping(relate::model<AuthorShort>) {
  using namespace relate::orm;
  return table<AuthorShort>("authors", column(&AuthorShort::id, "id", primary_key));
}

namespace {

std::string refusal(relate::metadata& meta, void (*add)(relate::metadata&)) {
  try {
    add(meta);
  } catch (const relate::usage_error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(relationship_mapping_errors, two_mappings_of_one_table_must_declare_it_alike) {
  relate::metadata meta;
  meta.add<Author, Book>();
  auto loose = refusal(meta, [](relate::metadata& m) { m.add<AuthorLoose>(); });
  EXPECT_NE(loose.find("Author and rel_test::AuthorLoose both map table \"authors\""), std::string::npos)
      << loose;
  EXPECT_NE(loose.find("column \"name\" differs: text not null in rel_test::Author, text null in "
                       "rel_test::AuthorLoose"),
            std::string::npos)
      << loose;
  auto short_one = refusal(meta, [](relate::metadata& m) { m.add<AuthorShort>(); });
  EXPECT_NE(short_one.find("column \"name\" is mapped by rel_test::Author only"), std::string::npos)
      << short_one;

  meta.add<AuthorPurge>();
  EXPECT_EQ(meta.mappers().size(), 3u);
  ASSERT_EQ(meta.tables().size(), 2u) << "authors once";
  EXPECT_EQ(meta.tables()[0].name, "authors");
  const auto sorted = meta.sorted_mappers();
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0], &relate::orm::mapper_of<Author>());
  EXPECT_EQ(sorted[1], &relate::orm::mapper_of<AuthorPurge>()) << "next to the other mapping of its table";
  EXPECT_EQ(sorted[2], &relate::orm::mapper_of<Book>());
}

using shared_tables = relationship_test;

TEST_P(shared_tables, a_second_mapping_with_other_cascades_shares_the_table) {
  relate::metadata both;
  both.add<Author, Book, AuthorPurge>();
  // Without checkfirst, a table created or dropped twice would be an error.
  both.drop_all(engine(), false);
  both.create_all(engine(), false);

  relate::session s(engine());
  auto early = s.add(Book{.title = "a"});  // in the session before its author
  auto purge = s.add(AuthorPurge{.name = "P"});
  purge->books.push_back(early);
  purge->books.push_back(Book{.title = "b"});
  s.commit();  // authors first: the books' key to it was declared against Author
  EXPECT_EQ(
      committed("SELECT a.name, b.title FROM books b JOIN authors a ON a.id = b.author_id ORDER BY b.id"),
      (std::vector<std::string>{"P|a", "P|b"}));

  // One row, two classes, two objects (as in SQLAlchemy); the books are the same.
  auto author = s.get<Author>(purge->id);
  ASSERT_TRUE(author);
  EXPECT_NE(static_cast<const void*>(author.get()), static_cast<const void*>(purge.get()));
  EXPECT_EQ(author->name, "P");
  ASSERT_EQ(author->books.size(), 2u);
  EXPECT_EQ(author->books.get(0), purge->books.get(0));

  // Author's default cascade would leave the books; AuthorPurge's deletes them.
  s.delete_(purge);
  s.commit();
  EXPECT_EQ(committed_count("authors"), 0);
  EXPECT_EQ(committed_count("books"), 0);
  both.drop_all(engine(), false);
  EXPECT_THROW((void)committed_count("authors"), relate::error) << "dropped";
}

RELATE_INSTANTIATE_BACKENDS(shared_tables);

}  // namespace
}  // namespace rel_test
