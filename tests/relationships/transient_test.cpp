// SPDX-License-Identifier: MIT
// Transient handles (relate::make_ptr, issue 18): new objects linked to each
// other before any session sees them keep both sides of each relationship in
// step, and adding one of them adds everything it reaches.
#include "relationship_fixture.hpp"

namespace rel_test {
namespace {

using transient_handles = relationship_test;
using relate::object_status;

TEST_P(transient_handles, keep_both_sides_in_step_before_add) {
  auto ann = relate::make_ptr(User{.name = "Ann"});
  auto bob = relate::make_ptr<User>({.name = "Bob"});
  auto post = relate::make_ptr(Post{.title = "p"});
  EXPECT_EQ(ann.status(), object_status::transient);

  ann->posts.push_back(post);  // one-to-many: the many-to-one side follows
  EXPECT_EQ(post->author.get(), ann);
  post->author = bob;  // many-to-one: the post moves between collections
  EXPECT_FALSE(ann->posts.contains(post));
  EXPECT_TRUE(bob->posts.contains(post));
  bob->posts.remove(post);
  EXPECT_FALSE(post->author);
  post->author = bob;

  auto cpp = relate::make_ptr(Tag{.name = "c++"});
  post->tags.push_back(cpp);  // many-to-many
  EXPECT_TRUE(cpp->posts.contains(post));
  auto profile = relate::make_ptr(Profile{.bio = "hi"});
  ann->profile = profile;  // one-to-one
  EXPECT_EQ(profile->user.get(), ann);
  auto boss = relate::make_ptr(Employee{.name = "boss"});
  auto worker = relate::make_ptr(Employee{.name = "worker", .manager = boss});  // self-referential
  EXPECT_TRUE(boss->reports.contains(worker)) << "a value's members are linked when it gets its handle";

  relate::session s(engine());
  s.add(bob);
  s.add(ann);
  s.add(boss);
  EXPECT_TRUE(s.contains(post)) << "save-update cascade from bob";
  EXPECT_TRUE(s.contains(cpp));
  EXPECT_TRUE(s.contains(profile));
  EXPECT_TRUE(s.contains(worker));
  s.commit();
  EXPECT_EQ(committed("SELECT u.name, p.title, t.name FROM posts p JOIN users u ON u.id = p.user_id "
                      "JOIN post_tags pt ON pt.post_id = p.id JOIN tags t ON t.id = pt.tag_id"),
            (std::vector<std::string>{"Bob|p|c++"}));
  EXPECT_EQ(committed("SELECT u.name, p.bio FROM profiles p JOIN users u ON u.id = p.user_id"),
            (std::vector<std::string>{"Ann|hi"}));
  EXPECT_EQ(committed("SELECT e.name, m.name FROM employees e JOIN employees m ON m.id = e.manager_id"),
            (std::vector<std::string>{"worker|boss"}));
}

TEST_P(transient_handles, a_value_holding_handles_links_them_when_it_becomes_one) {
  auto first = relate::make_ptr(Post{.title = "first"});
  User plain{.name = "Cid"};
  plain.posts.push_back(first);  // a plain value: no handle for first->author to point at yet
  plain.posts.push_back(Post{.title = "second"});
  EXPECT_FALSE(first->author);

  auto cid = relate::make_ptr(std::move(plain));
  EXPECT_EQ(first->author.get(), cid) << "linked by make_ptr, before any session";
  EXPECT_EQ(cid->posts.get(1)->author.get(), cid);
  auto reply = relate::make_ptr(Post{.title = "reply", .author = cid});
  EXPECT_TRUE(cid->posts.contains(reply));
  EXPECT_EQ(cid->posts.size(), 3u);

  relate::session s(engine());
  EXPECT_EQ(s.add(cid), cid);
  s.commit();
  EXPECT_EQ(committed("SELECT p.title FROM posts p JOIN users u ON u.id = p.user_id WHERE u.name = 'Cid' "
                      "ORDER BY p.id"),
            (std::vector<std::string>{"first", "second", "reply"}));
}

RELATE_INSTANTIATE_BACKENDS(transient_handles);

}  // namespace
}  // namespace rel_test
