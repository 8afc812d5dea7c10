// SPDX-License-Identifier: MIT
// docs/querying.md: which columns a query loads (defer, load_only, a
// mapping's deferred columns), what it does with objects the session
// already has (populate_existing), and N+1 detection.  Prints loading.out.
#include "blog.hpp"

#include <iostream>
#include <span>
#include <string_view>

using blog::Post;
using blog::User;

// snippet-begin: mapping
struct Article {
  std::int64_t id{};
  std::string title{};
  std::string body{};    // large: most pages list titles only
  relate::blob cover{};  // larger still: left out unless asked for
};

inline auto relate_mapping(relate::model<Article>) {
  using namespace relate::orm;
  return table<Article>("articles", column(&Article::id, "id", primary_key), column(&Article::title, "title"),
                        column(&Article::body, "body"), column(&Article::cover, "cover", deferred));
}
// snippet-end: mapping

int main() {
  auto engine = blog::open("sqlite:///blog.db");
  relate::metadata meta;
  meta.add<Article>();
  meta.create_all(engine);
  {
    relate::session setup(engine);
    setup.add(User{.name = "Ann"});
    for (const char* name : {"Bob", "Cid", "Dee"})
      setup.add(User{.name = name, .posts = {Post{.title = "Hi"}}});
    setup.add(Article{.title = "Relate", .body = std::string(5000, 'x'), .cover = relate::blob(300)});
    setup.commit();
  }
  relate::session session(engine);
  auto ann = session.query<User>().filter_by(&User::name, "Ann").one();

  const auto listener = engine.add_listener([](std::string_view sql, std::span<const relate::value>) {
    if (sql.starts_with("SELECT") || sql.starts_with("UPDATE")) std::cout << "  " << sql << '\n';
  });
  // snippet-begin: defer
  auto list = session.query<Article>().options(relate::load_only(&Article::title)).all();
  auto article = list.front();
  article->title = "Relate, deferred";  // body and cover were not loaded: the UPDATE leaves them alone
  session.commit();
  session.load_deferred(article);  // one SELECT of the columns it lacks
  std::cout << article->title << ": " << article->body.size() << " characters, " << article->cover.size()
            << " bytes of cover\n";
  // snippet-end: defer
  engine.remove_listener(listener);

  // snippet-begin: populate_existing
  // Behind the session's back:
  session.get_connection().execute("UPDATE users SET name = ? WHERE id = ?", {"Anne", ann->id});
  auto same = session.query<User>().filter_by(&User::id, ann->id).one();  // the identity map wins
  std::cout << same->name << " from the identity map, ";
  session.query<User>().filter_by(&User::id, ann->id).populate_existing().one();
  std::cout << ann->name << " with populate_existing\n";
  // snippet-end: populate_existing
  session.commit();

  // snippet-begin: n_plus_one
  relate::session checked(engine, {.n_plus_one = {.threshold = 2, .strict = true}});  // as a test suite would
  try {
    for (const auto& user : checked.query<User>().order_by(&User::id).all()) {
      const auto posts = user->posts.size();  // a lazy load: one SELECT per user
      std::cout << user->name << ": " << posts << " post(s)\n";
    }
  } catch (const relate::n_plus_one_error& e) {
    std::cout << e.what() << '\n';
  }
  // snippet-end: n_plus_one
}
