// SPDX-License-Identifier: MIT
// docs/querying.md: object queries, conditions, ordering, counts, tuples of
// columns, grouping, the outer side of a join, SQL functions and
// streaming.  Prints querying.out.
#include "blog.hpp"

#include <iostream>

using blog::Post;
using blog::User;

int main() {
  auto engine = blog::open("sqlite:///blog.db");
  relate::session session(engine);
  session.add(User{.name = "Ann", .posts = {Post{.title = "Apples"}, Post{.title = "Avocados"}}});
  session.add(User{.name = "Bob", .posts = {Post{.title = "Bananas"}}});
  session.add(User{.name = "Cid"});
  session.commit();

  // snippet-begin: objects
  auto ann = session.query<User>().filter_by(&User::name, "Ann").one();  // exactly one, or it throws
  auto latest = session.query<Post>().order_by(relate::desc(&Post::id)).limit(2).all();
  auto a_posts = session.query<Post>()
                     .filter(relate::col(&Post::title).like("A%") && relate::col(&Post::user_id) == ann->id)
                     .count();
  auto nobody = session.query<User>().filter_by(&User::name, "Zed").first();  // null: no such row
  std::cout << latest.size() << " latest, " << a_posts << " of Ann's start with A, Zed "
            << (nobody ? "exists" : "does not exist") << '\n';
  // snippet-end: objects

  // snippet-begin: relationships
  auto bobs = session.query<Post>().join(&Post::author).filter(relate::col(&User::name) == "Bob").all();
  auto writers = session.query<User>().filter(relate::any(&User::posts)).order_by(&User::name).all();
  auto by_ann = session.query<Post>().filter_by(&Post::author, ann).count();
  std::cout << bobs.size() << " post by Bob, " << writers.size() << " users wrote, " << by_ann << " by Ann\n";
  // snippet-end: relationships

  // snippet-begin: tuples
  auto counts = session.query(relate::col(&User::name), relate::sql::count(relate::col(&Post::id)))
                    .outer_join(&User::posts)
                    .group_by(relate::col(&User::name))
                    .order_by(relate::col(&User::name))
                    .all();
  for (const auto& [name, posts] : counts) std::cout << name << ": " << posts << '\n';
  // snippet-end: tuples

  // snippet-begin: outer-side
  auto titles = session.query(relate::col(&User::name), relate::sql::as_optional(relate::col(&Post::title)))
                    .outer_join(&User::posts)
                    .filter(relate::col(&User::name) == "Cid")
                    .all();
  for (const auto& [name, title] : titles) std::cout << name << ": " << title.value_or("(no post)") << '\n';
  // snippet-end: outer-side

  // snippet-begin: functions
  namespace sql = relate::sql;
  auto title_length = sql::length(relate::col(&Post::title));  // std::int64_t: characters, not bytes
  auto mean = session.query(relate::col(&User::name), sql::round(sql::avg(title_length), 1))
                  .join(&User::posts)
                  .group_by(relate::col(&User::name))
                  .order_by(relate::col(&User::name))
                  .all();  // std::tuple<std::string, std::optional<double>>: avg is NULL over no rows
  for (const auto& [name, average] : mean) std::cout << name << "'s titles: " << *average << " characters\n";
  // snippet-end: functions

  // snippet-begin: stream
  std::size_t seen = 0;
  for (auto& post : session.query<Post>().order_by(&Post::id).stream()) seen += post->title.size();
  std::cout << seen << " characters of titles, read row by row\n";
  // snippet-end: stream
}
