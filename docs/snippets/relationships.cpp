// SPDX-License-Identifier: MIT
// docs/relationships.md: both sides in step, many-to-many, cascades and
// orphans, new objects linked before add.  Prints relationships.out.
#include "blog.hpp"

#include <iostream>

using blog::Post;
using blog::Tag;
using blog::User;

int main() {
  auto engine = blog::open("sqlite:///blog.db");
  relate::session session(engine);

  // snippet-begin: back-populates
  auto ann = session.add(User{.name = "Ann"});
  auto bob = session.add(User{.name = "Bob"});
  auto post = ann->posts.append(Post{.title = "Hello"});
  std::cout << post->author->name << '\n';  // Ann: the other side follows in memory
  post->author = bob;                       // moves the post to Bob's collection
  std::cout << ann->posts.size() << ' ' << bob->posts.size() << '\n';
  session.commit();  // posts.user_id = Bob's id
  // snippet-end: back-populates

  // snippet-begin: many-to-many
  auto cpp = session.add(Tag{.name = "c++"});
  auto db = session.add(Tag{.name = "databases"});
  post->tags.push_back(cpp);
  post->tags.push_back(db);
  session.commit();  // two rows in post_tags
  std::cout << cpp->posts.size() << " post tagged c++; the post has " << post->tags.size() << " tags\n";
  // snippet-end: many-to-many

  // snippet-begin: orphans
  bob->posts.push_back(Post{.title = "Draft"});
  session.commit();
  bob->posts.remove(post);  // delete_orphan: a post taken out of its user's posts is deleted
  session.commit();         // ... with its post_tags rows; the tags stay
  std::cout << session.query<Post>().count() << " post, " << session.query<Tag>().count() << " tags\n";
  // snippet-end: orphans

  // snippet-begin: transient
  auto cid = relate::make_ptr(User{.name = "Cid"});  // a new object's handle, in no session yet
  auto plans = relate::make_ptr(Post{.title = "Plans"});
  cid->posts.push_back(plans);
  std::cout << plans->author->name << '\n';  // Cid: in step before any session is involved
  session.add(cid);                          // the post comes too (save-update cascade)
  session.commit();
  // snippet-end: transient
}
