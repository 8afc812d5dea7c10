// SPDX-License-Identifier: MIT
// The blog's models, second version: posts now record when they were written
// (created_at, filled by the database) and are indexed by title.  A database
// made by the first version is brought here by the migration in
// examples/blog/migrations (see the README, "Changing the schema").
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blog {

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
  relate::timestamp created_at{};  // left unset, the database's CURRENT_TIMESTAMP fills it
  relate::one<User> author{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"),
                     relationship(&User::posts, back_populates(&Post::author), order_by(&Post::id)));
}

inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key), column(&Post::title, "title", indexed),
                     column(&Post::content, "content"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id)),
                     column(&Post::created_at, "created_at", server_default_sql("CURRENT_TIMESTAMP")),
                     relationship(&Post::author, back_populates(&User::posts)));
}

inline void add_models(relate::metadata& meta) { meta.add<User, Post>(); }

}  // namespace blog
