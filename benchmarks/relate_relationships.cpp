// SPDX-License-Identifier: MIT
// relate's side of W1 and W3 through the relationship API (relate::many,
// relate::one, selectinload, joinedload), written against the API issue 6
// describes before it exists in core.
//
// Built with RELATE_BENCH_RELATIONSHIPS, which is on by default when core
// has relate/orm/relationship.hpp (checked against main at 8ec6706, where
// the relationship API landed: builds warning-free, checksums equal to the
// raw sides', W3 statement counts 2 and 1).  The option also switches
// models.hpp to the models with User::posts / Post::author and the catalog
// to these functions, and builds the W3 statement-count test
// (benchmarks/tests/w3_statements_test.cpp).  Without it relate_side.cpp
// runs W1 and W3 through the API without relationships, labelled as such.
#include "models.hpp"
#include "sides.hpp"

#include <utility>
#include <vector>

#if !RELATE_BENCH_RELATIONSHIPS
#error "relate_relationships.cpp needs the relationship API: build with -DRELATE_BENCH_RELATIONSHIPS=ON"
#endif

namespace relate_bench::relate_side {
namespace {

using relate::orm::session;

relate::engine open_engine(const bench_context& ctx) {
  auto engine = relate::create_engine(ctx.relate_url);
  engine.connect().close();
  return engine;
}

class timed {
 public:
  timed(const relate::engine& engine, measurement& m) : engine_(engine), m_(m) {
    before_ = engine_.statements_executed();
    m_.start();
  }
  void stop() {
    m_.stop();
    m_.statements = engine_.statements_executed() - before_;
  }

 private:
  const relate::engine& engine_;
  measurement& m_;
  std::uint64_t before_ = 0;
};

// A collection may hand out ptr<Post> or Post&: read the post either way.
template <class P>
const Post& post_of(const P& p) {
  if constexpr (requires { p->title; })
    return *p;
  else
    return p;
}

/// W3's checksum (as raw_rows.hpp's w3_checksum), walking each user's
/// collection: for the lazy strategy this is what loads it.
std::uint64_t walk(const std::vector<relate::ptr<User>>& users) {
  std::uint64_t sum = 0;
  for (const auto& u : users) {
    std::uint64_t posts = 0;
    for (const auto& p : u->posts) {
      sum += post_of(p).title.size();
      ++posts;
    }
    sum += static_cast<std::uint64_t>(u->id) + posts;
  }
  return sum;
}

}  // namespace

void w1_insert(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  blog_rows rows = make_blog_rows(ctx.n);
  session s(engine);
  timed t(engine, m);
  std::vector<User> users;
  users.reserve(rows.names.size());
  for (auto& name : rows.names) users.push_back(User{.name = std::move(name)});
  auto added = s.add_all(std::move(users));
  std::size_t j = 0;
  for (auto& u : added)
    for (std::int64_t k = 0; k < ctx.n.posts_per_user; ++k, ++j)
      u->posts.push_back(Post{.title = std::move(rows.titles[j]), .content = std::move(rows.contents[j])});
  s.commit();
  t.stop();
  std::uint64_t keys = 0;
  for (const auto& u : added) {
    keys += static_cast<std::uint64_t>(u.get()->id);
    for (const auto& p : u.get()->posts) keys += static_cast<std::uint64_t>(post_of(p).id);
  }
  m.checksum = keys;
}

void w3_lazy(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  auto users = s.query<User>().filter(relate::col(&User::id) <= ctx.n.w3_users).order_by(&User::id).all();
  m.checksum = walk(users);  // each user's first access to posts loads them
  s.commit();
  t.stop();
}

void w3_selectin(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  auto users = s.query<User>()
                   .options(relate::orm::selectinload(&User::posts))
                   .filter(relate::col(&User::id) <= ctx.n.w3_users)
                   .order_by(&User::id)
                   .all();
  m.checksum = walk(users);
  s.commit();
  t.stop();
}

void w3_joined(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  auto users = s.query<User>()
                   .options(relate::orm::joinedload(&User::posts))
                   .filter(relate::col(&User::id) <= ctx.n.w3_users)
                   .order_by(&User::id)
                   .all();
  m.checksum = walk(users);
  s.commit();
  t.stop();
}

}  // namespace relate_bench::relate_side
