// SPDX-License-Identifier: MIT
// Misuses of the relationship API that must not compile.  Each case is
// built on its own (RELATE_CASE_<name>) by CMakeLists.txt next to this file,
// which checks that the build fails with relate's own diagnostic.  "valid"
// is the control: the same models, used correctly, must compile.
#include <relate/orm.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct Post;
struct Tag;
struct User {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};
struct Post {
  std::int64_t id{};
  std::optional<std::int64_t> user_id{};
  relate::one<User> author{};
  relate::many<Tag> tags{};
};
struct Tag {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};
struct PostTag {
  std::int64_t post_id{};
  std::int64_t tag_id{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"),
#if defined(RELATE_CASE_back_populates_wrong_model)
                     relationship(&User::posts, back_populates(&Tag::posts))
#elif defined(RELATE_CASE_back_populates_not_pointing_back)
                     relationship(&User::posts, back_populates(&Post::tags))
#elif defined(RELATE_CASE_relationship_on_a_column)
                     relationship(&User::name)
#elif defined(RELATE_CASE_order_by_another_model)
                     relationship(&User::posts, order_by(&Tag::name))
#elif defined(RELATE_CASE_unknown_option)
                     relationship(&User::posts, 42)
#else
                     relationship(&User::posts, back_populates(&Post::author),
                                  order_by(relate::orm::descending(&Post::id)))
#endif
  );
}
inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key),
                     column(&Post::user_id, "user_id", foreign_key(&User::id)),
                     relationship(&Post::author, back_populates(&User::posts)),
                     relationship(&Post::tags, secondary<PostTag>(), back_populates(&Tag::posts)));
}
inline auto relate_mapping(relate::model<Tag>) {
  using namespace relate::orm;
  return table<Tag>("tags", column(&Tag::id, "id", primary_key), column(&Tag::name, "name"),
                    relationship(&Tag::posts, secondary<PostTag>(), back_populates(&Post::tags)));
}
inline auto relate_mapping(relate::model<PostTag>) {
  using namespace relate::orm;
  return table<PostTag>("post_tags", column(&PostTag::post_id, "post_id", foreign_key(&Post::id)),
                        column(&PostTag::tag_id, "tag_id", foreign_key(&Tag::id)),
                        primary_key_constraint(&PostTag::post_id, &PostTag::tag_id));
}

void use(relate::session& s) {
#if defined(RELATE_CASE_loader_option_of_another_model)
  s.query<User>().options(relate::selectinload(&Post::tags)).all();
#elif defined(RELATE_CASE_loader_path_not_chained)
  s.query<User>().options(relate::selectinload(&User::posts).selectinload(&Tag::posts)).all();
#elif defined(RELATE_CASE_any_on_a_reference)
  s.query<Post>().filter(relate::any(&Post::author)).all();
#elif defined(RELATE_CASE_has_on_a_collection)
  s.query<User>().filter(relate::has(&User::posts)).all();
#elif defined(RELATE_CASE_defer_a_relationship)
  s.query<User>().options(relate::defer(&User::posts)).all();
#elif defined(RELATE_CASE_column_option_of_another_model)
  s.query<User>().options(relate::load_only(&Post::user_id)).all();
#else
  auto users =
      s.query<User>()
          .options(relate::selectinload(&User::posts).joinedload(&Post::tags), relate::load_only(&User::id))
          .filter(relate::any(&User::posts, relate::has(&Post::author)))
          .join(&User::posts)
          .all();
  users.front()->posts.push_back(Post{});
  for (auto& p : users.front()->posts) p.tags.push_back(Tag{.name = "x"});
#endif
}
