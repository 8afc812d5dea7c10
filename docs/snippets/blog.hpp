// SPDX-License-Identifier: MIT
// The models the topic guides' snippets share: users, their posts, and tags
// on posts (many-to-many through post_tags).
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blog {

struct Post;
struct Tag;

// snippet-begin: models
struct User {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};

struct Post {
  std::int64_t id{};
  std::string title{};
  std::optional<std::int64_t> user_id{};
  relate::one<User> author{};
  relate::many<Tag> tags{};
};

struct Tag {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};

// The association table of the many-to-many: two foreign keys, no object of its own.
struct PostTag {
  std::int64_t post_id{};
  std::int64_t tag_id{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"),
                     relationship(&User::posts, back_populates(&Post::author),
                                  cascade::all | cascade::delete_orphan, order_by(&Post::id)));
}

inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>(
      "posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
      column(&Post::user_id, "user_id", foreign_key(&User::id)),
      relationship(&Post::author, back_populates(&User::posts)),
      relationship(&Post::tags, secondary<PostTag>(), back_populates(&Tag::posts), order_by(&Tag::name)));
}

inline auto relate_mapping(relate::model<Tag>) {
  using namespace relate::orm;
  return table<Tag>("tags", column(&Tag::id, "id", primary_key), column(&Tag::name, "name", unique),
                    relationship(&Tag::posts, secondary<PostTag>(), back_populates(&Post::tags)));
}

inline auto relate_mapping(relate::model<PostTag>) {
  using namespace relate::orm;
  return table<PostTag>("post_tags",
                        column(&PostTag::post_id, "post_id", primary_key, foreign_key(&Post::id)),
                        column(&PostTag::tag_id, "tag_id", primary_key, foreign_key(&Tag::id)));
}
// snippet-end: models

/// An engine on `url` with the blog's tables created.
inline relate::engine open(const std::string& url) {
  auto engine = relate::create_engine(url);
  relate::metadata meta;
  meta.add<User, Post, Tag, PostTag>();
  meta.create_all(engine);
  return engine;
}

}  // namespace blog
