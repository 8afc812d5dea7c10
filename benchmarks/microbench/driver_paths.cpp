// SPDX-License-Identifier: MIT
// Micro-benchmarks of the paths every ORM statement crosses, through the
// public engine API (so through the plugin loader, as users run them):
//
// - select_by_key: execute a one-row SELECT by primary key (buffered, as
//   session.get runs it) and read its cells -- the statement cache lookup,
//   binding, the cursor's description of its columns, buffering, and the
//   cursor's destruction.
// - select_rows_buffered: 1,000 rows of (integer, text, text) buffered and
//   read, as query.all() reads them.
// - select_rows_streamed: the same rows streamed, as query.scan() reads them.
// - listener_free_statement: the engine's bookkeeping of a statement when no
//   listener is registered (a trivial SELECT 1).
//
// SQLite only: PostgreSQL's costs are dominated by round trips.  The
// database is a temporary file, like the benchmark's.
#include <relate/relate.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

struct database {
  database() {
    path =
        (std::filesystem::temp_directory_path() / ("relate_microbench_" + std::to_string(::getpid()) + ".db"))
            .string();
    engine.emplace(relate::create_engine("sqlite:///" + path));
    auto c = engine->connect();
    c.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, content TEXT NOT NULL)");
    for (int i = 1; i <= 1000; ++i)
      c.execute("INSERT INTO users (id, name, content) VALUES (?, ?, ?)",
                {i, "user " + std::to_string(i),
                 "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " +
                     std::to_string(i)});
    c.commit();
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

void select_by_key(benchmark::State& state) {
  auto c = db().engine->connect();
  std::int64_t key = 1;
  for (auto _ : state) {
    const relate::value params[] = {key};
    auto r = c.execute("SELECT id, name FROM users WHERE id = ?", params, relate::fetch_mode::buffered);
    auto& cursor = r.cursor();
    cursor.next();
    benchmark::DoNotOptimize(cursor.get_int64(0));
    benchmark::DoNotOptimize(cursor.get_text(1).size());
    key = key % 1000 + 1;
  }
}
BENCHMARK(select_by_key);

void read_rows(benchmark::State& state, relate::fetch_mode mode) {
  auto c = db().engine->connect();
  for (auto _ : state) {
    auto r = c.execute("SELECT id, name, content FROM users", {}, mode);
    auto& cursor = r.cursor();
    std::size_t sum = 0;
    while (cursor.next()) {
      if (cursor.is_null(0) || cursor.is_null(1) || cursor.is_null(2)) continue;
      sum += static_cast<std::size_t>(cursor.get_int64(0)) + cursor.get_text(1).size() +
             cursor.get_text(2).size();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
void select_rows_buffered(benchmark::State& state) { read_rows(state, relate::fetch_mode::buffered); }
void select_rows_streamed(benchmark::State& state) { read_rows(state, relate::fetch_mode::streamed); }
BENCHMARK(select_rows_buffered);
BENCHMARK(select_rows_streamed);

void listener_free_statement(benchmark::State& state) {
  auto c = db().engine->connect();
  for (auto _ : state) {
    auto r = c.execute("SELECT 1", {}, relate::fetch_mode::buffered);
    benchmark::DoNotOptimize(r.cursor().next());
  }
}
BENCHMARK(listener_free_statement);

}  // namespace

BENCHMARK_MAIN();
