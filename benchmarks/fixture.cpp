// SPDX-License-Identifier: MIT
#include "fixture.hpp"

#include "models.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace relate_bench {

fixture::~fixture() = default;

namespace {

namespace fs = std::filesystem;

// ---- SQLite -----------------------------------------------------------------

class sqlite_fixture final : public fixture {
 public:
  sqlite_fixture(const sizes& n, bool keep) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/relate-bench.XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    dir_ = pattern;
    keep_ = keep;
    ctx_.kind = backend::sqlite;
    ctx_.n = n;
    ctx_.raw_target = (dir_ / "work.db").string();
    ctx_.relate_url = "sqlite:///" + ctx_.raw_target;  // absolute: sqlite:////tmp/...
  }

  void set_up() override {
    const auto empty = dir_ / "empty.db";
    create_schema(relate::create_engine("sqlite:///" + empty.string()));
    fs::copy_file(empty, dir_ / "seeded.db");
    seed((dir_ / "seeded.db").string());
  }

  void restore(db_state state) override {
    const auto work = fs::path(ctx_.raw_target);
    fs::remove(work.string() + "-journal");
    fs::copy_file(dir_ / (state == db_state::empty ? "empty.db" : "seeded.db"), work,
                  fs::copy_options::overwrite_existing);
  }

  void tear_down() override {
    if (!keep_) fs::remove_all(dir_);
  }

 private:
  void seed(const std::string& path) const {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
    const auto check = [db](int rc) {
      if (rc != SQLITE_OK && rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    };
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr));
    sqlite3_stmt* user = nullptr;
    sqlite3_stmt* post = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO users (id, name) VALUES (?, ?)", -1, &user, nullptr));
    check(sqlite3_prepare_v2(db, "INSERT INTO posts (id, title, content, user_id) VALUES (?, ?, ?, ?)", -1,
                             &post, nullptr));
    const blog_rows rows = make_blog_rows(ctx_.n);
    std::size_t j = 0;
    for (std::int64_t u = 1; u <= ctx_.n.users; ++u) {
      const auto& name = rows.names[static_cast<std::size_t>(u - 1)];
      sqlite3_bind_int64(user, 1, u);
      sqlite3_bind_text(user, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      check(sqlite3_step(user));
      sqlite3_reset(user);
      for (std::int64_t k = 0; k < ctx_.n.posts_per_user; ++k, ++j) {
        sqlite3_bind_int64(post, 1, static_cast<std::int64_t>(j + 1));
        sqlite3_bind_text(post, 2, rows.titles[j].data(), static_cast<int>(rows.titles[j].size()),
                          SQLITE_STATIC);
        sqlite3_bind_text(post, 3, rows.contents[j].data(), static_cast<int>(rows.contents[j].size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(post, 4, u);
        check(sqlite3_step(post));
        sqlite3_reset(post);
      }
    }
    sqlite3_finalize(user);
    sqlite3_finalize(post);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr));
    sqlite3_close(db);
  }

  fs::path dir_;
};

// ---- PostgreSQL -------------------------------------------------------------

class pg_session {
 public:
  explicit pg_session(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to PostgreSQL: " + message);
    }
    // DROP ... IF EXISTS and CASCADE talk (NOTICEs); the benchmark's output is its table.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~pg_session() { PQfinish(conn_); }
  pg_session(const pg_session&) = delete;
  pg_session& operator=(const pg_session&) = delete;

  void exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQerrorMessage(conn_));
  }
  /// COPY table (columns) FROM STDIN with rows from write(buffer), in text format.
  template <class Write>
  void copy(const std::string& target, Write&& write) {
    PGresult* r = PQexec(conn_, ("COPY " + target + " FROM STDIN").c_str());
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok) throw std::runtime_error("COPY " + target + ": " + PQerrorMessage(conn_));
    std::string buffer;
    write(buffer);
    if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1)
      throw std::runtime_error("COPY " + target + ": " + PQerrorMessage(conn_));
    while (PGresult* end = PQgetResult(conn_)) {
      const auto status = PQresultStatus(end);
      PQclear(end);
      if (status != PGRES_COMMAND_OK)
        throw std::runtime_error("COPY " + target + ": " + PQerrorMessage(conn_));
    }
  }

 private:
  PGconn* conn_;
};

std::string with_query_option(const std::string& url, const std::string& option) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + option;
}

class postgresql_fixture final : public fixture {
 public:
  postgresql_fixture(const sizes& n, const std::string& url, bool keep) : base_url_(url) {
    if (url.empty())
      throw std::runtime_error(
          "--backend postgresql needs RELATE_BENCH_POSTGRES_URL (scripts/with-postgres.sh sets it)");
    keep_ = keep;
    schema_ = "relate_bench_" + std::to_string(::getpid());
    ctx_.kind = backend::postgresql;
    ctx_.n = n;
    // libpq's "options" sets search_path for every connection, relate's and raw.
    ctx_.relate_url = with_query_option(url, "options=-csearch_path%3D" + schema_);
    ctx_.raw_target = ctx_.relate_url;
  }

  void set_up() override {
    {
      pg_session admin(base_url_);
      admin.exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      admin.exec("CREATE SCHEMA " + schema_);
    }
    create_schema(relate::create_engine(ctx_.relate_url));
  }

  void restore(db_state state) override {
    pg_session c(ctx_.raw_target);
    c.exec("BEGIN");
    c.exec("TRUNCATE posts, users RESTART IDENTITY");
    if (state == db_state::seeded) {
      const blog_rows rows = make_blog_rows(ctx_.n);
      c.copy("users (id, name)", [&](std::string& out) {
        for (std::size_t i = 0; i < rows.names.size(); ++i)
          out += std::to_string(i + 1) + '\t' + rows.names[i] + '\n';
      });
      c.copy("posts (id, title, content, user_id)", [&](std::string& out) {
        const auto per_user = static_cast<std::size_t>(ctx_.n.posts_per_user);
        for (std::size_t j = 0; j < rows.titles.size(); ++j)
          out += std::to_string(j + 1) + '\t' + rows.titles[j] + '\t' + rows.contents[j] + '\t' +
                 std::to_string(j / per_user + 1) + '\n';
      });
      // COPY wrote explicit keys: the identity sequences continue after them.
      c.exec("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))");
      c.exec("SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))");
    }
    c.exec("COMMIT");
    c.exec("VACUUM ANALYZE users");
    c.exec("VACUUM ANALYZE posts");
  }

  void tear_down() override {
    if (keep_) return;
    pg_session admin(base_url_);
    admin.exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

 private:
  std::string base_url_;
  std::string schema_;
};

}  // namespace

std::unique_ptr<fixture> fixture::make(backend kind, const sizes& n, const std::string& postgres_url,
                                       bool keep) {
  if (kind == backend::sqlite) return std::make_unique<sqlite_fixture>(n, keep);
  return std::make_unique<postgresql_fixture>(n, postgres_url, keep);
}

}  // namespace relate_bench
