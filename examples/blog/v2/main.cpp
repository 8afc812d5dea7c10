// SPDX-License-Identifier: MIT
// relate-blog-v2 [URL]: the blog example on its second models (v2/models.hpp).
//
// Same output as relate-blog: John Doe's post titles, one per line, adding
// him and his two posts to a fresh database.  A database the first version
// made must be migrated first (relate-blog-migrate upgrade): create_all runs
// in strict mode here, so instead of failing later on "no such column:
// posts.created_at" it stops with one line per difference.
#include "models.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  using blog::Post;
  using blog::User;
  const std::string url = argc > 1 ? argv[1] : "sqlite:///blog.db";
  try {
    auto engine = relate::create_engine(url);
    relate::metadata meta;
    blog::add_models(meta);
    meta.create_all(engine, {.drift = relate::orm::on_drift::error});

    relate::session session(engine);
    if (!session.query<User>().filter_by(&User::name, "John Doe").first()) {
      auto user = session.add(User{.name = "John Doe"});
      user->posts.push_back(Post{.title = "First Post", .content = "Hello World!"});
      user->posts.push_back(Post{.title = "Second Post", .content = "Goodbye World!"});
      session.commit();
    }

    auto user = session.query<User>().filter_by(&User::name, "John Doe").first();
    for (auto& post : user->posts) std::cout << post.title << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relate-blog-v2: " << e.what() << '\n';
    return 1;
  }
}
