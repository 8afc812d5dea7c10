// SPDX-License-Identifier: MIT
// The raw libpq side: one connection opened before the clock starts,
// statements prepared once per run (PQprepare) and executed with text
// parameters, as relate's driver sends them.  Bulk writes (W1, W5, W6) use
// pipeline mode: the statements go out back to back and the results are read
// after a sync every `pipeline_batch` statements, so the round trips are one
// per batch instead of one per row.  W2 streams in single-row mode, as
// relate's streamed cursors do.
#include "raw_rows.hpp"
#include "sides.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relate_bench::raw_postgresql {
namespace {

constexpr Oid int8_oid = 20;
constexpr Oid int8_array_oid = 1016;
// Statements sent before each sync.  The results of a batch (about 70 bytes
// per INSERT ... RETURNING) fit the socket buffers, so the blocking
// connection never waits on a server that waits on it.
constexpr std::size_t pipeline_batch = 1000;

struct result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result = std::unique_ptr<PGresult, result_deleter>;

[[noreturn]] void fail(PGconn* conn, std::string_view what) {
  throw std::runtime_error("libpq: " + std::string(what) + ": " + PQerrorMessage(conn));
}

std::int64_t to_int64(const char* text, int length) {
  std::int64_t v = 0;
  std::from_chars(text, text + length, v);
  return v;
}

class connection {
 public:
  explicit connection(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("libpq: cannot connect: " + message);
    }
  }
  ~connection() { PQfinish(conn_); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  PGconn* get() const { return conn_; }

  void exec(const char* sql) {
    result r(PQexec(conn_, sql));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn_, sql);
  }
  void prepare(const char* name, const char* sql, std::vector<Oid> types) {
    result r(PQprepare(conn_, name, sql, static_cast<int>(types.size()), types.data()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(conn_, sql);
  }
  /// Executes a prepared statement (text parameters) and returns its rows.
  result run(const char* name, std::initializer_list<const char*> params) {
    std::vector<const char*> values(params);
    result r(
        PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(conn_, name);
    return r;
  }

  /// Runs `count` executions of the prepared statement `name` in pipeline
  /// mode.  params(i, values) fills the text parameters of execution i;
  /// on_result(i, r) sees its result.
  template <class Params, class OnResult>
  void pipelined(const char* name, std::size_t count, int nparams, Params&& params, OnResult&& on_result) {
    if (!PQenterPipelineMode(conn_)) fail(conn_, "PQenterPipelineMode");
    std::vector<const char*> values(static_cast<std::size_t>(nparams));
    for (std::size_t first = 0; first < count; first += pipeline_batch) {
      const std::size_t last = std::min(count, first + pipeline_batch);
      for (std::size_t i = first; i < last; ++i) {
        params(i, values.data());
        if (!PQsendQueryPrepared(conn_, name, nparams, values.data(), nullptr, nullptr, 0))
          fail(conn_, "PQsendQueryPrepared");
      }
      if (!PQpipelineSync(conn_)) fail(conn_, "PQpipelineSync");
      for (std::size_t i = first; i < last; ++i) {
        result r(PQgetResult(conn_));
        const auto status = PQresultStatus(r.get());
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(conn_, name);
        on_result(i, r.get());
        result end(PQgetResult(conn_));  // null: the end of this statement's results
      }
      result sync(PQgetResult(conn_));
      if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) fail(conn_, "pipeline sync");
    }
    if (!PQexitPipelineMode(conn_)) fail(conn_, "PQexitPipelineMode");
  }

 private:
  PGconn* conn_;
};

/// Binary COPY rows (PostgreSQL's "binary format" of COPY): the signature,
/// then per row a field count and each field as its length and bytes, big-
/// endian.  Sent to the server in chunks as it grows.
class binary_copy {
 public:
  binary_copy(connection& c, const char* sql) : c_(c) {
    result r(PQexec(c_.get(), sql));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) fail(c_.get(), sql);
    out_.append("PGCOPY\n\377\r\n\0", 11);
    put32(0);  // flags
    put32(0);  // header extension length
  }
  void row(std::int16_t fields) {
    put16(static_cast<std::uint16_t>(fields));
    if (out_.size() >= chunk) flush();
  }
  void int8(std::int64_t v) {
    put32(8);
    const auto u = static_cast<std::uint64_t>(v);
    put32(static_cast<std::uint32_t>(u >> 32));
    put32(static_cast<std::uint32_t>(u));
  }
  void text(const std::string& v) {
    put32(static_cast<std::uint32_t>(v.size()));
    out_ += v;
  }
  void finish() {
    put16(0xFFFF);  // the trailer: -1 fields
    flush();
    if (PQputCopyEnd(c_.get(), nullptr) != 1) fail(c_.get(), "PQputCopyEnd");
    result r(PQgetResult(c_.get()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(c_.get(), "COPY");
    result end(PQgetResult(c_.get()));
  }

 private:
  static constexpr std::size_t chunk = 64 * 1024;
  void flush() {
    if (PQputCopyData(c_.get(), out_.data(), static_cast<int>(out_.size())) != 1)
      fail(c_.get(), "PQputCopyData");
    out_.clear();
  }
  void put16(std::uint16_t v) {
    out_ += static_cast<char>(v >> 8);
    out_ += static_cast<char>(v & 0xFF);
  }
  void put32(std::uint32_t v) {
    put16(static_cast<std::uint16_t>(v >> 16));
    put16(static_cast<std::uint16_t>(v & 0xFFFF));
  }
  connection& c_;
  std::string out_;
};

/// `count` keys of `table`'s id sequence, reserved in one statement.
std::vector<std::int64_t> reserve_keys(connection& c, const char* table, std::size_t count) {
  const std::string sql = std::string("SELECT nextval(pg_get_serial_sequence('") + table +
                          "', 'id')) FROM generate_series(1, $1)";
  const std::string n = std::to_string(count);
  const char* values[] = {n.c_str()};
  result r(PQexecParams(c.get(), sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail(c.get(), sql);
  std::vector<std::int64_t> keys(static_cast<std::size_t>(PQntuples(r.get())));
  for (int row = 0; row < PQntuples(r.get()); ++row)
    keys[static_cast<std::size_t>(row)] = to_int64(PQgetvalue(r.get(), row, 0), PQgetlength(r.get(), row, 0));
  return keys;
}

raw_post read_post(const PGresult* r, int row, int first = 0) {
  raw_post p;
  p.id = to_int64(PQgetvalue(r, row, first), PQgetlength(r, row, first));
  p.title.assign(PQgetvalue(r, row, first + 1), static_cast<std::size_t>(PQgetlength(r, row, first + 1)));
  p.content.assign(PQgetvalue(r, row, first + 2), static_cast<std::size_t>(PQgetlength(r, row, first + 2)));
  if (!PQgetisnull(r, row, first + 3))
    p.user_id = to_int64(PQgetvalue(r, row, first + 3), PQgetlength(r, row, first + 3));
  return p;
}

std::vector<raw_user> load_w3_users(connection& c, std::int64_t n, std::uint64_t& statements) {
  c.prepare("users", "SELECT id, name FROM users WHERE id <= $1 ORDER BY id", {int8_oid});
  const std::string limit = std::to_string(n);
  const result r = c.run("users", {limit.c_str()});
  std::vector<raw_user> users;
  users.reserve(static_cast<std::size_t>(PQntuples(r.get())));
  for (int row = 0; row < PQntuples(r.get()); ++row)
    users.push_back(raw_user{
        to_int64(PQgetvalue(r.get(), row, 0), PQgetlength(r.get(), row, 0)),
        std::string(PQgetvalue(r.get(), row, 1), static_cast<std::size_t>(PQgetlength(r.get(), row, 1))),
        {}});
  ++statements;
  return users;
}

/// Loads the posts with id <= n, untimed, inside the open transaction (W5, W6).
std::vector<raw_post> load_posts_up_to(connection& c, std::int64_t n) {
  const std::string limit = std::to_string(n);
  const char* values[] = {limit.c_str()};
  result r(PQexecParams(c.get(), "SELECT id, title, content, user_id FROM posts WHERE id <= $1 ORDER BY id",
                        1, nullptr, values, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail(c.get(), "load posts");
  std::vector<raw_post> posts;
  for (int row = 0; row < PQntuples(r.get()); ++row) posts.push_back(read_post(r.get(), row));
  return posts;
}

}  // namespace

void w1_insert(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  const blog_rows rows = make_blog_rows(ctx.n);
  const auto users = static_cast<std::size_t>(ctx.n.users);
  const auto per_user = static_cast<std::size_t>(ctx.n.posts_per_user);
  m.start();
  c.prepare("user", "INSERT INTO users (name) VALUES ($1) RETURNING id", {0});
  c.prepare("post", "INSERT INTO posts (title, content, user_id) VALUES ($1, $2, $3) RETURNING id",
            {0, 0, int8_oid});
  c.exec("BEGIN");
  std::uint64_t keys = 0;
  // The users first: their posts need the keys the server generates.
  std::vector<std::string> user_keys(users);
  c.pipelined(
      "user", users, 1, [&](std::size_t i, const char** values) { values[0] = rows.names[i].c_str(); },
      [&](std::size_t i, const PGresult* r) {
        user_keys[i].assign(PQgetvalue(r, 0, 0), static_cast<std::size_t>(PQgetlength(r, 0, 0)));
        keys += static_cast<std::uint64_t>(to_int64(PQgetvalue(r, 0, 0), PQgetlength(r, 0, 0)));
      });
  c.pipelined(
      "post", users * per_user, 3,
      [&](std::size_t j, const char** values) {
        values[0] = rows.titles[j].c_str();
        values[1] = rows.contents[j].c_str();
        values[2] = user_keys[j / per_user].c_str();
      },
      [&](std::size_t, const PGresult* r) {
        keys += static_cast<std::uint64_t>(to_int64(PQgetvalue(r, 0, 0), PQgetlength(r, 0, 0)));
      });
  c.exec("COMMIT");
  m.stop();
  m.statements = users + users * per_user;
  m.checksum = keys;
}

void w1_insert_copy(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  const blog_rows rows = make_blog_rows(ctx.n);
  const auto users = static_cast<std::size_t>(ctx.n.users);
  const auto per_user = static_cast<std::size_t>(ctx.n.posts_per_user);
  m.start();
  c.exec("BEGIN");
  // The keys first, as relate reserves them: then no row needs RETURNING.
  const auto user_keys = reserve_keys(c, "users", users);
  const auto post_keys = reserve_keys(c, "posts", users * per_user);
  std::uint64_t keys = 0;
  binary_copy user_rows(c, "COPY users (id, name) FROM STDIN (FORMAT binary)");
  for (std::size_t i = 0; i < users; ++i) {
    user_rows.row(2);
    user_rows.int8(user_keys[i]);
    user_rows.text(rows.names[i]);
    keys += static_cast<std::uint64_t>(user_keys[i]);
  }
  user_rows.finish();
  binary_copy post_rows(c, "COPY posts (id, title, content, user_id) FROM STDIN (FORMAT binary)");
  for (std::size_t j = 0; j < users * per_user; ++j) {
    post_rows.row(4);
    post_rows.int8(post_keys[j]);
    post_rows.text(rows.titles[j]);
    post_rows.text(rows.contents[j]);
    post_rows.int8(user_keys[j / per_user]);
    keys += static_cast<std::uint64_t>(post_keys[j]);
  }
  post_rows.finish();
  c.exec("COMMIT");
  m.stop();
  m.statements = 4;  // two key reservations, two COPYs
  m.checksum = keys;
}

void w2_scan(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  m.start();
  c.prepare("scan", "SELECT id, title, content, user_id FROM posts", {});
  c.exec("BEGIN");
  if (!PQsendQueryPrepared(c.get(), "scan", 0, nullptr, nullptr, nullptr, 0)) fail(c.get(), "scan");
  if (!PQsetSingleRowMode(c.get())) fail(c.get(), "PQsetSingleRowMode");
  std::uint64_t sum = 0;
  while (PGresult* next = PQgetResult(c.get())) {
    result r(next);
    const auto status = PQresultStatus(next);
    if (status == PGRES_SINGLE_TUPLE) {
      const raw_post p = read_post(next, 0);
      sum += p.title.size();
    } else if (status != PGRES_TUPLES_OK) {
      fail(c.get(), "scan");
    }
  }
  c.exec("COMMIT");
  m.stop();
  m.statements = 1;
  m.checksum = sum;
}

void w2_all(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  m.start();
  std::uint64_t sum = 0;
  {
    // Every row at once (not single-row mode): the program wants them all.
    c.prepare("all_posts", "SELECT id, title, content, user_id FROM posts", {});
    c.exec("BEGIN");
    const result r = c.run("all_posts", {});
    std::vector<raw_post> posts;
    const int rows = PQntuples(r.get());
    posts.reserve(static_cast<std::size_t>(rows));
    for (int row = 0; row < rows; ++row) posts.push_back(read_post(r.get(), row));
    for (const auto& p : posts) sum += p.title.size();
    c.exec("COMMIT");
  }
  m.stop();
  m.statements = 1;
  m.checksum = sum;
}

void w3_lazy(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  m.start();
  c.exec("BEGIN");
  std::uint64_t statements = 0;
  auto users = load_w3_users(c, ctx.n.w3_users, statements);
  c.prepare("posts_of", "SELECT id, title, content, user_id FROM posts WHERE user_id = $1", {int8_oid});
  for (auto& u : users) {
    const std::string key = std::to_string(u.id);
    const result r = c.run("posts_of", {key.c_str()});
    for (int row = 0; row < PQntuples(r.get()); ++row) u.posts.push_back(read_post(r.get(), row));
    ++statements;
  }
  c.exec("COMMIT");
  m.stop();
  m.statements = statements;
  m.checksum = w3_checksum(users);
}

void w3_selectin(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  m.start();
  c.exec("BEGIN");
  std::uint64_t statements = 0;
  auto users = load_w3_users(c, ctx.n.w3_users, statements);
  // One int8[] parameter whatever the number of keys: '{1,2,3}'.
  std::string keys = "{";
  std::unordered_map<std::int64_t, std::size_t> by_key;
  by_key.reserve(users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i) keys += ',';
    keys += std::to_string(users[i].id);
    by_key.emplace(users[i].id, i);
  }
  keys += '}';
  c.prepare("posts_in", "SELECT id, title, content, user_id FROM posts WHERE user_id = ANY($1)",
            {int8_array_oid});
  const result r = c.run("posts_in", {keys.c_str()});
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    raw_post p = read_post(r.get(), row);
    users[by_key.at(*p.user_id)].posts.push_back(std::move(p));
  }
  ++statements;
  c.exec("COMMIT");
  m.stop();
  m.statements = statements;
  m.checksum = w3_checksum(users);
}

void w3_joined(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  m.start();
  c.exec("BEGIN");
  c.prepare("joined",
            "SELECT u.id, u.name, p.id, p.title, p.content, p.user_id FROM users AS u "
            "LEFT OUTER JOIN posts AS p ON p.user_id = u.id WHERE u.id <= $1 ORDER BY u.id",
            {int8_oid});
  const std::string limit = std::to_string(ctx.n.w3_users);
  const result r = c.run("joined", {limit.c_str()});
  std::vector<raw_user> users;
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    const std::int64_t id = to_int64(PQgetvalue(r.get(), row, 0), PQgetlength(r.get(), row, 0));
    if (users.empty() || users.back().id != id)
      users.push_back(raw_user{
          id,
          std::string(PQgetvalue(r.get(), row, 1), static_cast<std::size_t>(PQgetlength(r.get(), row, 1))),
          {}});
    if (!PQgetisnull(r.get(), row, 2)) users.back().posts.push_back(read_post(r.get(), row, 2));
  }
  c.exec("COMMIT");
  m.stop();
  m.statements = 1;
  m.checksum = w3_checksum(users);
}

namespace {

std::uint64_t get_each(connection& c, const std::vector<std::int64_t>& keys, bool transaction_each) {
  c.prepare("get_user", "SELECT id, name FROM users WHERE id = $1", {int8_oid});
  std::uint64_t sum = 0;
  for (const auto key : keys) {
    if (transaction_each) c.exec("BEGIN");
    const std::string text = std::to_string(key);
    const result r = c.run("get_user", {text.c_str()});
    if (PQntuples(r.get()) != 1) throw std::runtime_error("W4: no user " + text);
    const raw_user u{
        to_int64(PQgetvalue(r.get(), 0, 0), PQgetlength(r.get(), 0, 0)),
        std::string(PQgetvalue(r.get(), 0, 1), static_cast<std::size_t>(PQgetlength(r.get(), 0, 1))),
        {}};
    sum += static_cast<std::uint64_t>(u.id) + u.name.size();
    if (transaction_each) c.exec("ROLLBACK");
  }
  return sum;
}

}  // namespace

void w4_get(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  m.checksum = get_each(c, keys, true);
  m.stop();
  m.statements = keys.size();
}

void w4_get_autocommit(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  m.checksum = get_each(c, keys, false);
  m.stop();
  m.statements = keys.size();
}

void w4b_get_one_transaction(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  const auto keys = random_user_ids(ctx.n.w4_gets, ctx.n.users);
  m.start();
  c.exec("BEGIN");
  m.checksum = get_each(c, keys, false);
  c.exec("COMMIT");
  m.stop();
  m.statements = keys.size();
}

void w5_update(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  c.exec("BEGIN");
  auto posts = load_posts_up_to(c, ctx.n.w5_posts);
  m.start();
  c.prepare("update_title", "UPDATE posts SET title = $1 WHERE id = $2", {0, int8_oid});
  std::vector<std::string> keys(posts.size());
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    posts[i].title = edited_title(posts[i].title);
    keys[i] = std::to_string(posts[i].id);
    sum += posts[i].title.size();
  }
  c.pipelined(
      "update_title", posts.size(), 2,
      [&](std::size_t i, const char** values) {
        values[0] = posts[i].title.c_str();
        values[1] = keys[i].c_str();
      },
      [&](std::size_t i, const PGresult* r) {
        if (std::string_view(PQcmdTuples(const_cast<PGresult*>(r))) != "1")
          throw std::runtime_error("W5: post " + keys[i]);
      });
  c.exec("COMMIT");
  m.stop();
  m.statements = posts.size();
  m.checksum = sum;
}

void w6_delete(const bench_context& ctx, measurement& m) {
  connection c(ctx.raw_target);
  c.exec("BEGIN");
  const auto posts = load_posts_up_to(c, ctx.n.w6_posts);
  m.start();
  c.prepare("delete_post", "DELETE FROM posts WHERE id = $1", {int8_oid});
  std::vector<std::string> keys(posts.size());
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    keys[i] = std::to_string(posts[i].id);
    sum += static_cast<std::uint64_t>(posts[i].id);
  }
  c.pipelined(
      "delete_post", posts.size(), 1,
      [&](std::size_t i, const char** values) { values[0] = keys[i].c_str(); },
      [](std::size_t, const PGresult*) {});
  c.exec("COMMIT");
  m.stop();
  m.statements = posts.size();
  m.checksum = sum;
}

}  // namespace relate_bench::raw_postgresql
