// SPDX-License-Identifier: MIT
// Micro-benchmarks of the ORM paths changed on the strength of relate-bench's
// profiles, so each change can be re-measured on its own:
//
// - autoflush/N: a query in a session holding N loaded objects, one of them
//   just reached through its handle.  Autoflush compares the objects reached
//   since the last one, so the time must not grow with N (it did: W3 lazy
//   was quadratic).
// - lazy_load_collection: one user's posts on first access (a select-in of
//   one key), in a fresh session each time.
// - selectin_load: 100 users and their 1,000 posts with selectinload.
// - flush_with_relationships: 100 users with 10 posts each appended through
//   the relationship, flushed (relationship planning, key reservation,
//   batched INSERTs), then rolled back.
// - get_and_expunge: get<User>(id) then expunge_all (W4b's loop).
// - flush_updates: 1,000 loaded users renamed and flushed (the UPDATEs of
//   one shape go out as one execute_many), then rolled back.
//
// SQLite only, on a temporary file.
#include <relate/relate.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace mb {

struct Post;
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
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("mb_users", column(&User::id, "id", primary_key), column(&User::name, "name"),
                     relationship(&User::posts, back_populates(&Post::author)));
}
inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("mb_posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id), indexed),
                     relationship(&Post::author, back_populates(&User::posts)));
}

}  // namespace mb

namespace {

using mb::Post;
using mb::User;

struct database {
  database() {
    path = (std::filesystem::temp_directory_path() /
            ("relate_orm_microbench_" + std::to_string(::getpid()) + ".db"))
               .string();
    engine.emplace(relate::create_engine("sqlite:///" + path));
    relate::metadata meta;
    meta.add<User, Post>();
    meta.create_all(*engine);
    relate::session s(*engine);
    for (int i = 0; i < 10000; ++i) {
      auto u = s.add(User{.name = "user " + std::to_string(i)});
      if (i < 100)
        for (int j = 0; j < 10; ++j) u->posts.push_back(Post{.title = "post " + std::to_string(j)});
    }
    s.commit();
  }
  ~database() {
    engine.reset();
    std::remove(path.c_str());
  }
  std::string path;
  std::optional<relate::engine> engine;
};

database& db() {
  static database instance;
  return instance;
}

void autoflush(benchmark::State& state) {
  relate::session s(*db().engine);
  auto users = s.query<User>().limit(state.range(0)).all();
  for (auto _ : state) {
    users[0]->name = users[0]->name;  // reached through its handle: compared at the next autoflush
    benchmark::DoNotOptimize(s.query<User>().filter_by(&User::id, 1).first());
  }
}
BENCHMARK(autoflush)->Arg(100)->Arg(10000);

void lazy_load_collection(benchmark::State& state) {
  for (auto _ : state) {
    relate::session s(*db().engine);
    auto u = s.get<User>(std::int64_t{1});
    benchmark::DoNotOptimize(u->posts.size());
  }
}
BENCHMARK(lazy_load_collection);

void selectin_load(benchmark::State& state) {
  for (auto _ : state) {
    relate::session s(*db().engine);
    auto users = s.query<User>()
                     .filter(relate::col(&User::id) <= 100)
                     .options(relate::selectinload(&User::posts))
                     .all();
    benchmark::DoNotOptimize(users.back()->posts.size());
  }
}
BENCHMARK(selectin_load);

void flush_with_relationships(benchmark::State& state) {
  for (auto _ : state) {
    relate::session s(*db().engine);
    for (int i = 0; i < 100; ++i) {
      User u{.name = "new"};
      for (int j = 0; j < 10; ++j) u.posts.push_back(Post{.title = "t"});
      s.add(std::move(u));
    }
    s.flush();
    s.rollback();
  }
}
BENCHMARK(flush_with_relationships);

void get_and_expunge(benchmark::State& state) {
  relate::session s(*db().engine);
  std::int64_t key = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.get<User>(key)->name);
    s.expunge_all();
    key = key % 10000 + 1;
  }
}
BENCHMARK(get_and_expunge);

void flush_updates(benchmark::State& state) {
  relate::session s(*db().engine);
  auto users = s.query<User>().filter(relate::col(&User::id) <= 1000).all();
  for (auto _ : state) {
    for (auto& u : users) u->name += "!";
    s.flush();
    state.PauseTiming();
    s.rollback();  // expires the users: the next round reloads them
    for (auto& u : users) benchmark::DoNotOptimize(u->name);
    state.ResumeTiming();
  }
}
BENCHMARK(flush_updates);

}  // namespace
