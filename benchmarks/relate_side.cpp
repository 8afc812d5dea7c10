// SPDX-License-Identifier: MIT
// relate's side of the workloads that need no relationship API, written as
// a user would write them: an engine from relate::create_engine(url), a
// session, queries and commit.  The engine is created and one connection
// opened before the clock starts (the raw sides connect before it too);
// statements are counted with engine.statements_executed().
#include "models.hpp"
#include "sides.hpp"

#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

namespace relate_bench {

namespace relate_side {
namespace {

using relate::orm::session;

/// An engine with one connection already open in its pool.
relate::engine open_engine(const bench_context& ctx) {
  auto engine = relate::create_engine(ctx.relate_url);
  engine.connect().close();
  return engine;
}

/// The clock and the statement counter of one run.
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

std::vector<relate::ptr<User>> load_w3_users(session& s, std::int64_t n) {
  return s.query<User>().filter(relate::col(&User::id) <= n).order_by(&User::id).all();
}

std::vector<relate::ptr<Post>> load_posts_up_to(session& s, std::int64_t n) {
  return s.query<Post>().filter(relate::col(&Post::id) <= n).order_by(&Post::id).all();
}

/// W3's checksum over (user, its posts) pairs, as raw_rows.hpp's w3_checksum.
std::uint64_t w3_checksum(
    const std::vector<std::pair<relate::ptr<User>, std::vector<relate::ptr<Post>>>>& loaded) {
  std::uint64_t sum = 0;
  for (const auto& [u, posts] : loaded) {
    sum += static_cast<std::uint64_t>(u->id) + posts.size();
    for (const auto& p : posts) sum += p->title.size();
  }
  return sum;
}

}  // namespace

void w1_insert_without_relationships(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  blog_rows rows = make_blog_rows(ctx.n);
  session s(engine);
  timed t(engine, m);
  std::vector<User> users;
  users.reserve(rows.names.size());
  for (auto& name : rows.names) users.push_back(User{.name = std::move(name)});
  auto added = s.add_all(std::move(users));
  s.flush();  // the users' keys, for the posts' user_id
  std::vector<Post> posts;
  posts.reserve(rows.titles.size());
  std::size_t j = 0;
  for (const auto& u : added)
    for (std::int64_t k = 0; k < ctx.n.posts_per_user; ++k, ++j)
      posts.push_back(
          Post{.title = std::move(rows.titles[j]), .content = std::move(rows.contents[j]), .user_id = u->id});
  auto added_posts = s.add_all(std::move(posts));
  s.commit();
  t.stop();
  std::uint64_t keys = 0;
  for (const auto& u : added) keys += static_cast<std::uint64_t>(u.get()->id);
  for (const auto& p : added_posts) keys += static_cast<std::uint64_t>(p.get()->id);
  m.checksum = keys;
}

void w2_scan(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  std::uint64_t sum = 0;
  for (const auto& p : s.query<Post>().scan()) sum += p->title.size();
  s.commit();
  t.stop();
  m.checksum = sum;
}

void w2_stream(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  std::uint64_t sum = 0;
  for (const auto& p : s.query<Post>().stream()) sum += p->title.size();
  s.commit();
  t.stop();
  m.checksum = sum;
}

void w2_all(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  timed t(engine, m);
  std::uint64_t sum = 0;
  {
    // What a request handler writes: one session, every post tracked in a
    // vector, commit, and the session gone (its teardown is timed too).
    session s(engine);
    const auto posts = s.query<Post>().all();
    for (const auto& p : posts) sum += p->title.size();
    s.commit();
  }
  t.stop();
  m.checksum = sum;
}

void w3_lazy_manual(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  std::vector<std::pair<relate::ptr<User>, std::vector<relate::ptr<Post>>>> loaded;
  for (auto& u : load_w3_users(s, ctx.n.w3_users)) {
    auto posts = s.query<Post>().filter_by(&Post::user_id, u->id).all();
    loaded.emplace_back(std::move(u), std::move(posts));
  }
  s.commit();
  t.stop();
  m.checksum = w3_checksum(loaded);
}

void w3_selectin_manual(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  timed t(engine, m);
  std::vector<std::pair<relate::ptr<User>, std::vector<relate::ptr<Post>>>> loaded;
  std::vector<std::int64_t> keys;
  std::unordered_map<std::int64_t, std::size_t> by_key;
  for (auto& u : load_w3_users(s, ctx.n.w3_users)) {
    keys.push_back(u->id);
    by_key.emplace(u->id, loaded.size());
    loaded.emplace_back(std::move(u), std::vector<relate::ptr<Post>>{});
  }
  for (auto& p : s.query<Post>().filter(relate::col(&Post::user_id).in_(keys)).all())
    loaded[by_key.at(*p->user_id)].second.push_back(std::move(p));
  s.commit();
  t.stop();
  m.checksum = w3_checksum(loaded);
}

namespace {

// n.w4_gets lookups, a session each, made with these options.
void lookups(const bench_context& ctx, measurement& m, const relate::orm::session_options& options) {
  auto engine = open_engine(ctx);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  timed t(engine, m);
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    session s(engine, options);
    auto u = s.get<User>(key);
    if (!u) throw std::runtime_error("W4: no user " + std::to_string(key));
    sum += static_cast<std::uint64_t>(u->id) + u->name.size();
  }
  t.stop();
  m.checksum = sum;
}

}  // namespace

void w4_get(const bench_context& ctx, measurement& m) { lookups(ctx, m, {}); }

void w4_get_read_only(const bench_context& ctx, measurement& m) {
  lookups(ctx, m, {.transaction = relate::transaction_options{.read_only = true}});
}

void w4b_get_one_session(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  session s(engine);
  timed t(engine, m);
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    auto u = s.get<User>(key);
    if (!u) throw std::runtime_error("W4b: no user " + std::to_string(key));
    sum += static_cast<std::uint64_t>(u->id) + u->name.size();
    s.expunge_all();
  }
  s.commit();
  t.stop();
  m.checksum = sum;
}

void w5_update(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  auto posts = load_posts_up_to(s, ctx.n.w5_posts);
  timed t(engine, m);
  for (auto& p : posts) p->title = edited_title(p->title);
  s.commit();
  t.stop();
  std::uint64_t sum = 0;
  for (const auto& p : posts) sum += p.get()->title.size();
  m.checksum = sum;
}

void w6_delete(const bench_context& ctx, measurement& m) {
  auto engine = open_engine(ctx);
  session s(engine);
  auto posts = load_posts_up_to(s, ctx.n.w6_posts);
  timed t(engine, m);
  for (const auto& p : posts) s.remove(p);
  s.commit();
  t.stop();
  std::uint64_t sum = 0;
  for (const auto& p : posts) sum += static_cast<std::uint64_t>(p.get()->id);
  m.checksum = sum;
}

}  // namespace relate_side
}  // namespace relate_bench
