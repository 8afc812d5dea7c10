// SPDX-License-Identifier: MIT
// The blog models relate's sides use, mapped as a user would map them.
//
// Built with RELATE_BENCH_RELATIONSHIPS (CMake option of the same name, off
// until the relationship API is in core) the models carry User::posts and
// Post::author as issue 6 describes them; otherwise they are the plain
// structs of the README.  posts.user_id is indexed in both: W3's lazy load
// and select-in look posts up by it (the raw sides use the same index).
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace relate_bench {

#if RELATE_BENCH_RELATIONSHIPS

struct Post;
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
                     relationship(&User::posts, back_populates(&Post::author)));
}
inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
                     column(&Post::content, "content"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id), indexed),
                     relationship(&Post::author, back_populates(&User::posts)));
}

#else

struct User {
  std::int64_t id{};
  std::string name{};
};
struct Post {
  std::int64_t id{};
  std::string title{};
  std::string content{};
  std::optional<std::int64_t> user_id{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"));
}
inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
                     column(&Post::content, "content"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id), indexed));
}

#endif

/// CREATE TABLE users, posts (and the index) through relate's metadata, so
/// both sides run on the schema relate itself declares.
inline void create_schema(const relate::engine& engine) {
  relate::metadata meta;
  meta.add<User, Post>();
  meta.create_all(engine);
}

}  // namespace relate_bench
