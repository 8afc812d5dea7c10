// SPDX-License-Identifier: MIT
// relate-blog [URL [REPLICA_URL...]]: the SQLAlchemy blog tutorial in C++.
//
// Declares User and Post on the tables users(id, name) and
// posts(id, title, content, user_id -> users.id) — the names SQLAlchemy's
// declarative models of the tutorial use, so either program reads and writes
// the other's database — with a one-to-many relationship between them,
// creates the schema if missing, adds John Doe and his two posts (appended
// to user->posts) unless he is already there, then finds him with
// filter_by(...).first() and prints each post's title on its own line,
// loading his posts on first access.  Running it twice prints the same and
// adds nothing.
//
// With replica URLs (PostgreSQL standbys of URL's database), the writing
// session runs on the primary and the reading one, READ ONLY, on a replica
// once it has replayed the write (read-your-writes by log position): the
// same model code, the same output.
#include <relate/relate.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace blog {

struct Post;

// Every member has a default ({}), so designated initializers may leave any out.
struct User {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};

struct Post {
  std::int64_t id{};
  std::string title{};
  std::string content{};
  std::optional<std::int64_t> user_id{};
  relate::one<User> author{};
};

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

}  // namespace blog

int main(int argc, char** argv) {
  using blog::Post;
  using blog::User;
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "sqlite:///blog.db";
  const std::vector<std::string> replicas(argv + std::min(argc, 2), argv + argc);
  try {
    auto engine = relate::create_engine(url, {.replicas = replicas, .replica_wait = 2s});
    relate::metadata meta;
    meta.add<User, Post>();
    meta.create_all(engine);  // CREATE TABLE IF NOT EXISTS, users before posts

    relate::session writer(engine);
    if (!writer.query<User>().filter_by(&User::name, "John Doe").first()) {
      auto user = writer.add(User{.name = "John Doe"});
      user->posts.push_back(Post{.title = "First Post", .content = "Hello World!"});
      user->posts.push_back(Post{.title = "Second Post", .content = "Goodbye World!"});
      writer.commit();  // the user, then both posts with user_id set (save-update cascade)
    }

    // Reads in a session of their own that cannot write: on a replica, if
    // there are any, that has what the writer committed.
    relate::session session(engine, {.transaction = relate::transaction_options{.read_only = true},
                                     .read_after = writer.read_token()});
    auto user = session.query<User>().filter_by(&User::name, "John Doe").first();
    for (auto& post : user->posts) std::cout << post.title << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relate-blog: " << e.what() << '\n';
    return 1;
  }
}
