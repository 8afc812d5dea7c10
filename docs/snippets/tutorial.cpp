// SPDX-License-Identifier: MIT
// The tutorial (docs/tutorial.md) as one program: a blog's users and posts,
// step by step.  Run in an empty folder, it prints tutorial.out.
// snippet-begin: includes
#include <relate/relate.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
// snippet-end: includes

// snippet-begin: models
struct Post;

struct User {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};  // one-to-many: the posts whose user_id is this user's id
};

struct Post {
  std::int64_t id{};
  std::string title{};
  std::string content{};
  std::optional<std::int64_t> user_id{};  // NULL allowed, as SQLAlchemy's Column(Integer, ForeignKey(...))
  relate::one<User> author{};             // many-to-one: the other side of User::posts
};

// The mapping, found by argument-dependent lookup: the structs stay plain.
inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"),
                     relationship(&User::posts, back_populates(&Post::author), order_by(&Post::id)));
}

inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
                     column(&Post::content, "content"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id)),
                     relationship(&Post::author, back_populates(&User::posts)));
}
// snippet-end: models

int main() {
  // snippet-begin: engine
  auto engine = relate::create_engine("sqlite:///example.db");  // {.echo = true} logs every statement
  relate::metadata meta;
  meta.add<User, Post>();
  meta.create_all(engine);  // CREATE TABLE IF NOT EXISTS users, then posts
  // snippet-end: engine

  {
    // snippet-begin: create
    relate::session session(engine);
    auto user = session.add(User{.name = "John Doe"});
    user->posts.push_back(Post{.title = "First Post", .content = "Hello World!"});
    user->posts.push_back(Post{.title = "Second Post", .content = "Goodbye World!"});
    session.commit();  // INSERT the user, then both posts with user_id set

    std::cout << "John Doe has id " << user->id << "; his first post says " << user->posts[0].content
              << " and was written by " << user->posts[0].author->name << '\n';
    // snippet-end: create
  }
  {
    // snippet-begin: query
    relate::session session(engine);
    auto user = session.query<User>().filter_by(&User::name, "John Doe").first();
    for (auto& post : user->posts) std::cout << post.title << '\n';  // SELECT of the posts here
    // snippet-end: query
  }
  {
    // snippet-begin: filters
    relate::session session(engine);
    session.add(User{.name = "Ann", .posts = {Post{.title = "Ann's notes", .content = "..."}}});
    session.commit();

    auto titled =
        session.query<Post>().filter(relate::col(&Post::title).like("%Post")).order_by(&Post::id).all();
    auto by_ann = session.query<Post>().join(&Post::author).filter(relate::col(&User::name) == "Ann").all();
    auto with_posts = session.query<User>().filter(relate::any(&User::posts)).count();
    std::cout << titled.size() << " titles end in Post, " << by_ann.size() << " post is Ann's, " << with_posts
              << " users have posts\n";
    // snippet-end: filters
  }
  {
    // snippet-begin: loading
    relate::session session(engine);
    const auto before = engine.statements_executed();
    auto users = session.query<User>().options(relate::selectinload(&User::posts)).all();
    std::size_t posts = 0;
    for (auto& user : users) posts += user->posts.size();  // already loaded: no statement
    std::cout << users.size() << " users and " << posts << " posts in "
              << engine.statements_executed() - before << " statements\n";
    // snippet-end: loading
  }
  {
    // snippet-begin: raiseload
    relate::session session(engine);
    auto user = session.query<User>().options(relate::raiseload(&User::posts)).first();
    try {
      std::cout << user->posts.size() << '\n';
    } catch (const relate::lazy_load_error&) {
      std::cout << "not loaded, as asked: raiseload\n";
    }
    // snippet-end: raiseload
  }
  {
    // snippet-begin: rollback
    relate::session session(engine);
    auto user = session.query<User>().filter_by(&User::name, "John Doe").one();
    user->name = "Johnny";
    session.add(User{.name = "Nobody"});
    session.rollback();  // both changes are gone; user reloads on its next access
    std::cout << user->name << ", " << session.query<User>().count() << " users\n";
    // snippet-end: rollback
  }
  {
    // snippet-begin: transaction
    auto conn = engine.connect();
    {
      auto tx = conn.begin();
      conn.execute("UPDATE users SET name = 'J. Doe' WHERE name = 'John Doe'");
      // no tx.commit(): leaving the scope rolls back, also when an exception leaves it
    }
    auto names = conn.execute("SELECT count(*) FROM users WHERE name = 'John Doe'").scalar<std::int64_t>();
    std::cout << "still " << *names << " John Doe\n";
    // snippet-end: transaction
  }
}
