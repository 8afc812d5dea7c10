// SPDX-License-Identifier: MIT
// Models of the relationship suite, one per kind of relationship and cascade:
// - the blog: User has many Post (all, delete-orphan), one Profile
//   (one-to-one); Post has many Tag through post_tags (many-to-many);
// - Author has many Book with the default cascade (a removed or orphaned
//   book keeps its row, its author_id becomes NULL);
// - Folder has many Document with passive deletes (ON DELETE CASCADE);
// - Employee: manager and reports (self-referential);
// - Message: sender and recipient, two foreign keys to users;
// - Node: a parent and a favourite child, a cycle between rows broken by
//   post_update; Loop: the same cycle without it;
// - Widget and Entry: a cycle between tables (each has a key to the other),
//   its rows ordered by post_update.
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace rel_test {

struct Post;
struct Tag;
struct Profile;
struct Message;

struct User {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
  relate::one<Profile> profile{};
  relate::many<Message> sent{};
  relate::many<Message> received{};
};

struct Post {
  std::int64_t id{};
  std::string title{};
  std::string content{};
  std::optional<std::int64_t> user_id{};
  relate::one<User> author{};
  relate::many<Tag> tags{};
};

struct Tag {
  std::int64_t id{};
  std::string name{};
  relate::many<Post> posts{};
};

/// The association table of Post.tags: mapped so create_all makes it.
struct PostTag {
  std::int64_t post_id{};
  std::int64_t tag_id{};
};

struct Profile {
  std::int64_t id{};
  std::optional<std::int64_t> user_id{};
  std::string bio{};
  relate::one<User> user{};
};

struct Message {
  std::int64_t id{};
  std::string body{};
  std::optional<std::int64_t> sender_id{};
  std::optional<std::int64_t> recipient_id{};
  relate::one<User> sender{};
  relate::one<User> recipient{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>(
      "users", column(&User::id, "id", primary_key), column(&User::name, "name"),
      relationship(&User::posts, back_populates(&Post::author), cascade::all | cascade::delete_orphan,
                   order_by(&Post::id)),
      relationship(&User::profile, back_populates(&Profile::user)),
      relationship(&User::sent, foreign_keys(&Message::sender_id), back_populates(&Message::sender)),
      relationship(&User::received, foreign_keys(&Message::recipient_id),
                   back_populates(&Message::recipient)));
}

inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>(
      "posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
      column(&Post::content, "content"), column(&Post::user_id, "user_id", foreign_key(&User::id)),
      relationship(&Post::author, back_populates(&User::posts)),
      relationship(&Post::tags, secondary<PostTag>(), back_populates(&Tag::posts), order_by(&Tag::name)));
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

inline auto relate_mapping(relate::model<Profile>) {
  using namespace relate::orm;
  return table<Profile>("profiles", column(&Profile::id, "id", primary_key),
                        column(&Profile::user_id, "user_id", foreign_key(&User::id), unique),
                        column(&Profile::bio, "bio"),
                        relationship(&Profile::user, back_populates(&User::profile)));
}

inline auto relate_mapping(relate::model<Message>) {
  using namespace relate::orm;
  return table<Message>(
      "messages", column(&Message::id, "id", primary_key), column(&Message::body, "body"),
      column(&Message::sender_id, "sender_id", foreign_key(&User::id)),
      column(&Message::recipient_id, "recipient_id", foreign_key(&User::id)),
      relationship(&Message::sender, foreign_keys(&Message::sender_id), back_populates(&User::sent)),
      relationship(&Message::recipient, foreign_keys(&Message::recipient_id),
                   back_populates(&User::received)));
}

// ---- the default cascade ------------------------------------------------------

struct Book;
struct Author {
  std::int64_t id{};
  std::string name{};
  relate::many<Book> books{};
};
struct Book {
  std::int64_t id{};
  std::string title{};
  std::optional<std::int64_t> author_id{};
  relate::one<Author> author{};
};

inline auto relate_mapping(relate::model<Author>) {
  using namespace relate::orm;
  return table<Author>("authors", column(&Author::id, "id", primary_key), column(&Author::name, "name"),
                       relationship(&Author::books, back_populates(&Book::author), order_by(&Book::id)));
}
inline auto relate_mapping(relate::model<Book>) {
  using namespace relate::orm;
  return table<Book>("books", column(&Book::id, "id", primary_key), column(&Book::title, "title"),
                     column(&Book::author_id, "author_id", foreign_key(&Author::id)),
                     relationship(&Book::author, back_populates(&Author::books)));
}

// ---- passive deletes -----------------------------------------------------------

struct Document;
struct Folder {
  std::int64_t id{};
  std::string name{};
  relate::many<Document> documents{};
};
struct Document {
  std::int64_t id{};
  std::string name{};
  std::int64_t folder_id{};
};

inline auto relate_mapping(relate::model<Folder>) {
  using namespace relate::orm;
  return table<Folder>("folders", column(&Folder::id, "id", primary_key), column(&Folder::name, "name"),
                       relationship(&Folder::documents, cascade::all, passive_deletes));
}
inline auto relate_mapping(relate::model<Document>) {
  using namespace relate::orm;
  return table<Document>(
      "documents", column(&Document::id, "id", primary_key), column(&Document::name, "name"),
      column(&Document::folder_id, "folder_id", foreign_key(&Folder::id, on_delete::cascade)));
}

// ---- self-referential -----------------------------------------------------------

struct Employee {
  std::int64_t id{};
  std::string name{};
  std::optional<std::int64_t> manager_id{};
  relate::one<Employee> manager{};
  relate::many<Employee> reports{};
};

inline auto relate_mapping(relate::model<Employee>) {
  using namespace relate::orm;
  return table<Employee>(
      "employees", column(&Employee::id, "id", primary_key), column(&Employee::name, "name"),
      column(&Employee::manager_id, "manager_id", foreign_key(&Employee::id)),
      relationship(&Employee::manager, back_populates(&Employee::reports)),
      relationship(&Employee::reports, back_populates(&Employee::manager), order_by(&Employee::id)));
}

// ---- a cycle between rows ---------------------------------------------------------

struct Node {
  std::int64_t id{};
  std::string name{};
  std::optional<std::int64_t> parent_id{};
  std::optional<std::int64_t> favorite_id{};
  relate::one<Node> parent{};
  relate::many<Node> children{};
  relate::one<Node> favorite{};
};

inline auto relate_mapping(relate::model<Node>) {
  using namespace relate::orm;
  return table<Node>(
      "nodes", column(&Node::id, "id", primary_key), column(&Node::name, "name"),
      column(&Node::parent_id, "parent_id", foreign_key(&Node::id)),
      column(&Node::favorite_id, "favorite_id", foreign_key(&Node::id)),
      relationship(&Node::parent, foreign_keys(&Node::parent_id), back_populates(&Node::children)),
      relationship(&Node::children, foreign_keys(&Node::parent_id), back_populates(&Node::parent)),
      relationship(&Node::favorite, foreign_keys(&Node::favorite_id), post_update));
}

struct Loop {
  std::int64_t id{};
  std::optional<std::int64_t> parent_id{};
  std::optional<std::int64_t> favorite_id{};
  relate::one<Loop> parent{};
  relate::one<Loop> favorite{};
};

inline auto relate_mapping(relate::model<Loop>) {
  using namespace relate::orm;
  return table<Loop>("loops", column(&Loop::id, "id", primary_key),
                     column(&Loop::parent_id, "parent_id", foreign_key(&Loop::id)),
                     column(&Loop::favorite_id, "favorite_id", foreign_key(&Loop::id)),
                     relationship(&Loop::parent, foreign_keys(&Loop::parent_id)),
                     relationship(&Loop::favorite, foreign_keys(&Loop::favorite_id)));
}

// ---- a cycle between tables -------------------------------------------------------
// SQLAlchemy's post_update example: entries belong to a widget, and a widget
// names its favourite entry.  create_all adds one of the two keys by ALTER
// TABLE (PostgreSQL) or lets it name the later table (SQLite).

struct Entry;

struct Widget {
  std::int64_t id{};
  std::string name{};
  std::optional<std::int64_t> favorite_entry_id{};
  relate::many<Entry> entries{};
  relate::one<Entry> favorite_entry{};
};

struct Entry {
  std::int64_t id{};
  std::string name{};
  std::optional<std::int64_t> widget_id{};
  relate::one<Widget> widget{};
};

inline auto relate_mapping(relate::model<Widget>) {
  using namespace relate::orm;
  return table<Widget>(
      "widgets", column(&Widget::id, "id", primary_key), column(&Widget::name, "name"),
      column(&Widget::favorite_entry_id, "favorite_entry_id", foreign_key(&Entry::id)),
      relationship(&Widget::entries, foreign_keys(&Entry::widget_id), back_populates(&Entry::widget)),
      relationship(&Widget::favorite_entry, foreign_keys(&Widget::favorite_entry_id), post_update));
}

inline auto relate_mapping(relate::model<Entry>) {
  using namespace relate::orm;
  return table<Entry>(
      "entries", column(&Entry::id, "id", primary_key), column(&Entry::name, "name"),
      column(&Entry::widget_id, "widget_id", foreign_key(&Widget::id)),
      relationship(&Entry::widget, foreign_keys(&Entry::widget_id), back_populates(&Widget::entries)));
}

}  // namespace rel_test
