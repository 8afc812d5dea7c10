// SPDX-License-Identifier: MIT
// The statement counts of W3's loader strategies (issue 6): select-in loads
// the users and all their posts in exactly 2 statements and joined in 1,
// whatever the number of users -- also past SQLite's and relate's batching
// limits (999 parameters on old SQLite builds, 500 rows per INSERT) -- and
// lazy in 1 + one per user.  Built with RELATE_BENCH_RELATIONSHIPS=ON, on
// the benchmark's own models.
#include "models.hpp"

#include <backends.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using relate_bench::Post;
using relate_bench::User;

class w3_statements : public relate::testing::backend_test {
 protected:
  /// users 1..n, user i with i % 3 posts (so some users have none).
  void seed(std::int64_t n) {
    relate_bench::create_schema(engine());
    auto conn = engine().connect();
    const bool pg = backend() == "postgresql";
    const std::string user_sql =
        pg ? "INSERT INTO users (id, name) VALUES ($1, $2)" : "INSERT INTO users (id, name) VALUES (?, ?)";
    const std::string post_sql = pg ? "INSERT INTO posts (title, content, user_id) VALUES ($1, $2, $3)"
                                    : "INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)";
    for (std::int64_t i = 1; i <= n; ++i) {
      conn.execute(user_sql, {i, "user " + std::to_string(i)});
      for (std::int64_t k = 0; k < i % 3; ++k) conn.execute(post_sql, {"title", "content", i});
      posts_ += i % 3;
    }
    conn.commit();
  }

  /// Statements the engine ran while f ran.
  template <class F>
  std::uint64_t count(F&& f) {
    const auto before = engine().statements_executed();
    f();
    return engine().statements_executed() - before;
  }

  static std::int64_t walk(const std::vector<relate::ptr<User>>& users) {
    std::int64_t posts = 0;
    for (const auto& u : users)
      for ([[maybe_unused]] const auto& p : u->posts) ++posts;
    return posts;
  }

  std::int64_t posts_ = 0;
};

TEST_P(w3_statements, selectin_is_two_statements_for_one_user_and_for_many) {
  for (const std::int64_t n : {std::int64_t{1}, std::int64_t{1200}}) {
    SCOPED_TRACE(n);
    posts_ = 0;
    seed(n);
    relate::orm::session s(engine());
    std::int64_t posts = 0;
    const auto statements = count([&] {
      auto users = s.query<User>().options(relate::orm::selectinload(&User::posts)).all();
      ASSERT_EQ(static_cast<std::int64_t>(users.size()), n);
      posts = walk(users);
    });
    EXPECT_EQ(statements, 2u);
    EXPECT_EQ(posts, posts_);
    s.close();
    relate::metadata meta;
    meta.add<User, Post>();
    meta.drop_all(engine());
  }
}

TEST_P(w3_statements, joined_is_one_statement_for_one_user_and_for_many) {
  for (const std::int64_t n : {std::int64_t{1}, std::int64_t{1200}}) {
    SCOPED_TRACE(n);
    posts_ = 0;
    seed(n);
    relate::orm::session s(engine());
    std::int64_t posts = 0;
    const auto statements = count([&] {
      auto users = s.query<User>().options(relate::orm::joinedload(&User::posts)).all();
      ASSERT_EQ(static_cast<std::int64_t>(users.size()), n);
      posts = walk(users);
    });
    EXPECT_EQ(statements, 1u);
    EXPECT_EQ(posts, posts_);
    s.close();
    relate::metadata meta;
    meta.add<User, Post>();
    meta.drop_all(engine());
  }
}

TEST_P(w3_statements, lazy_is_one_statement_per_user_plus_one) {
  seed(50);
  relate::orm::session s(engine());
  std::int64_t posts = 0;
  const auto statements = count([&] {
    auto users = s.query<User>().all();
    posts = walk(users);
  });
  EXPECT_EQ(statements, 51u);
  EXPECT_EQ(posts, posts_);
}

RELATE_INSTANTIATE_BACKENDS(w3_statements);

}  // namespace
