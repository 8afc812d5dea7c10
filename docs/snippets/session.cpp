// SPDX-License-Identifier: MIT
// docs/session.md: identity, change tracking, flush, rollback, the two
// removes, deleting, detached objects, merge.
// Prints session.out.
#include "blog.hpp"

#include <iostream>

using blog::Post;
using blog::Tag;
using blog::User;

int main() {
  auto engine = blog::open("sqlite:///blog.db");
  // snippet-begin: identity
  relate::session session(engine);
  auto ann = session.add(User{.name = "Ann"});  // pending
  session.flush();                              // INSERT; ann->id is set, ann is persistent
  auto same = session.get<User>(ann->id);       // from the identity map: no SELECT
  auto again = session.query<User>().filter_by(&User::name, "Ann").one();
  std::cout << std::boolalpha << (same == ann) << ' ' << (again == ann) << '\n';
  // snippet-end: identity

  // snippet-begin: dirty
  const auto before = engine.statements_executed();
  ann->name = "Anne";  // found at flush by comparing with the values loaded
  session.commit();    // UPDATE users SET name = ? WHERE id = ?: only the changed column
  session.commit();    // nothing changed: no statement
  std::cout << engine.statements_executed() - before << " statement(s) for two commits\n";
  // snippet-end: dirty

  // snippet-begin: rollback
  ann->name = "Annie";
  auto bob = session.add(User{.name = "Bob"});
  session.flush();     // both written, inside the transaction
  session.rollback();  // undone: bob is transient again, ann reloads when next used
  std::cout << ann->name << ", " << session.contains(bob) << ", " << session.query<User>().count()
            << " user\n";
  // snippet-end: rollback

  // snippet-begin: two-removes
  auto hello = ann->posts.append(Post{.title = "Hello"});
  auto news = session.add(Tag{.name = "news"});
  hello->tags.push_back(news);
  session.commit();
  hello->tags.remove(news);  // many::remove: the post_tags row goes; the tag keeps its row
  session.commit();
  std::cout << session.query<Tag>().count() << " tag after many::remove, ";
  session.delete_(news);  // session::delete_: DELETE FROM tags
  session.commit();
  std::cout << session.query<Tag>().count() << " after session.delete_\n";
  // snippet-end: two-removes

  // snippet-begin: delete
  session.delete_(ann);  // cascade::all | delete_orphan in the mapping: her posts go too
  session.commit();
  std::cout << session.query<Post>().count() << " posts left\n";
  // snippet-end: delete

  // snippet-begin: detached
  session.add(User{.name = "Cid"});
  session.commit();
  relate::session other(engine);
  auto cid = other.query<User>().filter_by(&User::name, "Cid").one();
  other.close();  // rolls back and detaches every object; handles stay valid
  std::cout << cid->name << " is still readable; ";
  try {
    std::cout << cid->posts.size() << '\n';
  } catch (const relate::detached_instance_error&) {
    std::cout << "his posts were never loaded and cannot be now\n";
  }
  // snippet-end: detached

  // snippet-begin: merge
  cid->name = "Cid Campeador";  // changed while detached, e.g. by a form handler
  relate::session next(engine);
  auto persistent = next.merge(cid);  // next's own object for Cid's key: one SELECT, then his columns
  std::cout << persistent->name << " merged; the detached object is " << (next.contains(cid) ? "" : "not ")
            << "in the session\n";
  next.commit();  // UPDATE users SET name = ? WHERE id = ?
  // snippet-end: merge
}
