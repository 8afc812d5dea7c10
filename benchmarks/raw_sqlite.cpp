// SPDX-License-Identifier: MIT
// The raw sqlite3 side: what a careful C programmer writes by hand.  One
// connection opened before the clock starts (with PRAGMA foreign_keys = ON,
// as relate's driver opens it), statements prepared once per run and
// re-stepped with sqlite3_reset, strings bound without copies
// (SQLITE_STATIC), BEGIN/COMMIT/ROLLBACK prepared too.
#include "raw_rows.hpp"
#include "sides.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace relate_bench::raw_sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error("sqlite3: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

class database {
 public:
  explicit database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      throw std::runtime_error("sqlite3: cannot open " + path + ": " + message);
    }
    exec("PRAGMA foreign_keys = ON");
  }
  ~database() { sqlite3_close_v2(db_); }
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, sql);
  }

 private:
  sqlite3* db_ = nullptr;
};

class statement {
 public:
  statement(database& db, std::string_view sql) : db_(db.get()) {
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
      fail(db_, sql);
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int index, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, index, v));
    return *this;
  }
  statement& bind(int index, const std::string& v) {
    check(sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    return *this;
  }
  /// true: a row is ready; false: done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db_, sqlite3_sql(stmt_));
    return false;
  }
  /// Steps a statement that returns no rows, then resets it for the next use.
  void run() {
    step();
    reset();
  }
  void reset() { sqlite3_reset(stmt_); }

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  std::optional<std::int64_t> optional_int64(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return int64(column);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

raw_post read_post(const statement& s, int first = 0) {
  return raw_post{s.int64(first), s.text(first + 1), s.text(first + 2), s.optional_int64(first + 3)};
}

constexpr const char* post_columns = "id, title, content, user_id";

/// The users of W3 (id <= n), in id order.
std::vector<raw_user> load_w3_users(database& db, std::int64_t n, std::uint64_t& statements) {
  statement users(db, "SELECT id, name FROM users WHERE id <= ? ORDER BY id");
  users.bind(1, n);
  std::vector<raw_user> out;
  while (users.step()) out.push_back(raw_user{users.int64(0), users.text(1), {}});
  ++statements;
  return out;
}

/// Loads the posts with id <= n, untimed, inside the open transaction (W5, W6).
std::vector<raw_post> load_posts_up_to(database& db, std::int64_t n) {
  statement select(db, std::string("SELECT ") + post_columns + " FROM posts WHERE id <= ? ORDER BY id");
  select.bind(1, n);
  std::vector<raw_post> posts;
  while (select.step()) posts.push_back(read_post(select));
  return posts;
}

}  // namespace

void w1_insert(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  const blog_rows rows = make_blog_rows(ctx.n);
  m.start();
  statement begin(db, "BEGIN"), commit(db, "COMMIT");
  statement user(db, "INSERT INTO users (name) VALUES (?)");
  statement post(db, "INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)");
  std::uint64_t keys = 0, statements = 0;
  begin.run();
  std::size_t j = 0;
  for (std::int64_t u = 0; u < ctx.n.users; ++u) {
    user.bind(1, rows.names[static_cast<std::size_t>(u)]).run();
    const std::int64_t user_id = sqlite3_last_insert_rowid(db.get());
    keys += static_cast<std::uint64_t>(user_id);
    for (std::int64_t k = 0; k < ctx.n.posts_per_user; ++k, ++j) {
      post.bind(1, rows.titles[j]).bind(2, rows.contents[j]).bind(3, user_id).run();
      keys += static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db.get()));
      ++statements;
    }
    ++statements;
  }
  commit.run();
  m.stop();
  m.statements = statements;
  m.checksum = keys;
}

void w2_scan(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  m.start();
  db.exec("BEGIN");
  statement select(db, std::string("SELECT ") + post_columns + " FROM posts");
  std::uint64_t sum = 0;
  while (select.step()) {
    const raw_post p = read_post(select);
    sum += p.title.size();
  }
  select.reset();
  db.exec("COMMIT");
  m.stop();
  m.statements = 1;
  m.checksum = sum;
}

void w2_all(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  m.start();
  std::uint64_t sum = 0;
  {
    db.exec("BEGIN");
    statement select(db, std::string("SELECT ") + post_columns + " FROM posts");
    std::vector<raw_post> posts;
    while (select.step()) posts.push_back(read_post(select));
    select.reset();
    for (const auto& p : posts) sum += p.title.size();
    db.exec("COMMIT");
  }
  m.stop();
  m.statements = 1;
  m.checksum = sum;
}

void w3_lazy(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  m.start();
  db.exec("BEGIN");
  std::uint64_t statements = 0;
  auto users = load_w3_users(db, ctx.n.w3_users, statements);
  statement posts(db, std::string("SELECT ") + post_columns + " FROM posts WHERE user_id = ?");
  for (auto& u : users) {
    posts.bind(1, u.id);
    while (posts.step()) u.posts.push_back(read_post(posts));
    posts.reset();
    ++statements;
  }
  db.exec("COMMIT");
  m.stop();
  m.statements = statements;
  m.checksum = w3_checksum(users);
}

void w3_selectin(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  m.start();
  db.exec("BEGIN");
  std::uint64_t statements = 0;
  auto users = load_w3_users(db, ctx.n.w3_users, statements);
  std::unordered_map<std::int64_t, std::size_t> by_key;
  by_key.reserve(users.size());
  std::string sql = std::string("SELECT ") + post_columns + " FROM posts WHERE user_id IN (";
  for (std::size_t i = 0; i < users.size(); ++i) {
    sql += i ? ", ?" : "?";
    by_key.emplace(users[i].id, i);
  }
  sql += ")";
  statement posts(db, sql);
  for (std::size_t i = 0; i < users.size(); ++i) posts.bind(static_cast<int>(i + 1), users[i].id);
  while (posts.step()) {
    raw_post p = read_post(posts);
    users[by_key.at(*p.user_id)].posts.push_back(std::move(p));
  }
  ++statements;
  db.exec("COMMIT");
  m.stop();
  m.statements = statements;
  m.checksum = w3_checksum(users);
}

void w3_joined(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  m.start();
  db.exec("BEGIN");
  statement joined(db,
                   "SELECT u.id, u.name, p.id, p.title, p.content, p.user_id FROM users AS u "
                   "LEFT OUTER JOIN posts AS p ON p.user_id = u.id WHERE u.id <= ? ORDER BY u.id");
  joined.bind(1, ctx.n.w3_users);
  std::vector<raw_user> users;
  while (joined.step()) {
    const std::int64_t id = joined.int64(0);
    if (users.empty() || users.back().id != id) users.push_back(raw_user{id, joined.text(1), {}});
    if (joined.optional_int64(2)) users.back().posts.push_back(read_post(joined, 2));
  }
  db.exec("COMMIT");
  m.stop();
  m.statements = 1;
  m.checksum = w3_checksum(users);
}

void w4_get(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  statement begin(db, "BEGIN"), rollback(db, "ROLLBACK");
  statement select(db, "SELECT id, name FROM users WHERE id = ?");
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    begin.run();
    select.bind(1, key);
    if (!select.step()) throw std::runtime_error("W4: no user " + std::to_string(key));
    const raw_user u{select.int64(0), select.text(1), {}};
    select.reset();
    sum += static_cast<std::uint64_t>(u.id) + u.name.size();
    rollback.run();
  }
  m.stop();
  m.statements = keys.size();
  m.checksum = sum;
}

void w4_get_autocommit(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  statement select(db, "SELECT id, name FROM users WHERE id = ?");
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    select.bind(1, key);
    if (!select.step()) throw std::runtime_error("W4: no user " + std::to_string(key));
    const raw_user u{select.int64(0), select.text(1), {}};
    select.reset();
    sum += static_cast<std::uint64_t>(u.id) + u.name.size();
  }
  m.stop();
  m.statements = keys.size();
  m.checksum = sum;
}

void w4b_get_one_transaction(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  db.exec("BEGIN");
  statement select(db, "SELECT id, name FROM users WHERE id = ?");
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    select.bind(1, key);
    if (!select.step()) throw std::runtime_error("W4b: no user " + std::to_string(key));
    const raw_user u{select.int64(0), select.text(1), {}};
    select.reset();
    sum += static_cast<std::uint64_t>(u.id) + u.name.size();
  }
  db.exec("COMMIT");
  m.stop();
  m.statements = keys.size();
  m.checksum = sum;
}

void w5_update(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  db.exec("BEGIN");
  auto posts = load_posts_up_to(db, ctx.n.w5_posts);
  m.start();
  statement update(db, "UPDATE posts SET title = ? WHERE id = ?");
  std::uint64_t sum = 0;
  for (auto& p : posts) {
    p.title = edited_title(p.title);
    update.bind(1, p.title).bind(2, p.id).run();
    if (sqlite3_changes(db.get()) != 1) throw std::runtime_error("W5: post " + std::to_string(p.id));
    sum += p.title.size();
  }
  db.exec("COMMIT");
  m.stop();
  m.statements = posts.size();
  m.checksum = sum;
}

void w6_delete(const bench_context& ctx, measurement& m) {
  database db(ctx.raw_target);
  db.exec("BEGIN");
  const auto posts = load_posts_up_to(db, ctx.n.w6_posts);
  m.start();
  statement remove(db, "DELETE FROM posts WHERE id = ?");
  std::uint64_t sum = 0;
  for (const auto& p : posts) {
    remove.bind(1, p.id).run();
    sum += static_cast<std::uint64_t>(p.id);
  }
  db.exec("COMMIT");
  m.stop();
  m.statements = posts.size();
  m.checksum = sum;
}

}  // namespace relate_bench::raw_sqlite
