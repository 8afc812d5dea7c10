// SPDX-License-Identifier: MIT
// A streamed result is never cut short silently (issue 13): other statements
// may run on the connection while it is open (another query, a lazy load
// inside a session's stream loop, a second stream), and every row still
// arrives, on every backend.  Where a stream truly cannot go on (PostgreSQL
// closes its cursor when the transaction ends), the next read raises an error
// saying why; it never ends as if the rows had run out.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relate::testing {
namespace {

struct stream_post;
struct stream_user {
  std::int64_t id{};
  std::string name{};
  relate::many<stream_post> posts{};
};
struct stream_post {
  std::int64_t id{};
  std::string title{};
  std::optional<std::int64_t> user_id{};
  relate::one<stream_user> author{};
};
inline auto relate_mapping(relate::model<stream_user>) {
  using namespace relate::orm;
  return table<stream_user>("stream_users", column(&stream_user::id, "id", primary_key),
                            column(&stream_user::name, "name"),
                            relationship(&stream_user::posts, back_populates(&stream_post::author)));
}
inline auto relate_mapping(relate::model<stream_post>) {
  using namespace relate::orm;
  return table<stream_post>("stream_posts", column(&stream_post::id, "id", primary_key),
                            column(&stream_post::title, "title"),
                            column(&stream_post::user_id, "user_id", foreign_key(&stream_user::id)),
                            relationship(&stream_post::author, back_populates(&stream_user::posts)));
}

constexpr int user_count = 50;
constexpr int posts_per_user = 2;

class stream_interleaving : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::metadata meta;
    meta.add<stream_user, stream_post>();
    meta.create_all(engine());
    relate::session s(engine());
    for (int i = 1; i <= user_count; ++i) {
      auto u = s.add(stream_user{.id = i, .name = "user " + std::to_string(i)});
      for (int j = 0; j < posts_per_user; ++j) u->posts.push_back(stream_post{.title = "post"});
    }
    s.commit();
  }

  // More rows than one PostgreSQL FETCH batch (1000), from no table.
  static constexpr int counted = 2500;
  static std::string count_to_counted() {
    return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
           std::to_string(counted) + ") SELECT i FROM n";
  }

  std::string select_ids() const {
    return "SELECT " + q("id") + " FROM " + q("stream_users") + " ORDER BY " + q("id");
  }
  std::string q(const std::string& name) const {
    return const_cast<stream_interleaving*>(this)->engine().dialect().quote_identifier(name);
  }
};

TEST_P(stream_interleaving, another_statement_between_rows_does_not_end_a_raw_stream) {
  auto conn = engine().connect();
  auto r = conn.execute(count_to_counted(), {}, fetch_mode::streamed);
  std::vector<std::int64_t> seen;
  for (const auto& row : r) {
    seen.push_back(row.get<std::int64_t>(0));
    ASSERT_EQ(conn.execute("SELECT 1").scalar<std::int64_t>(), 1);
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(counted));
  for (int i = 0; i < counted; ++i) ASSERT_EQ(seen[i], i + 1);
}

TEST_P(stream_interleaving, a_lazy_load_inside_a_session_stream_sees_every_object) {
  relate::session s(engine());
  int users = 0;
  std::size_t posts = 0;
  for (const auto& u : s.query<stream_user>().order_by(relate::col(&stream_user::id)).stream()) {
    ++users;
    posts += u->posts.size();  // a lazy load: a statement on the stream's connection
  }
  EXPECT_EQ(users, user_count);
  EXPECT_EQ(posts, static_cast<std::size_t>(user_count * posts_per_user));
}

TEST_P(stream_interleaving, two_streams_open_at_once_both_read_to_the_end) {
  auto conn = engine().connect();
  auto outer = conn.execute(select_ids(), {}, fetch_mode::streamed);
  auto inner = conn.execute(select_ids(), {}, fetch_mode::streamed);
  auto a = outer.begin();
  auto b = inner.begin();
  int n = 0;
  for (; a != outer.end() && b != inner.end(); ++a, ++b, ++n)
    EXPECT_EQ((*a).get<std::int64_t>(0), (*b).get<std::int64_t>(0));
  EXPECT_EQ(n, user_count);
  EXPECT_TRUE(a == outer.end());
  EXPECT_TRUE(b == inner.end());
}

TEST_P(stream_interleaving, a_streamed_insert_returning_keeps_its_rows_when_another_statement_runs) {
  auto conn = engine().connect();
  const auto& d = engine().dialect();
  auto r = conn.execute("INSERT INTO " + q("stream_posts") + " (" + q("title") + ") SELECT " + q("name") +
                            " FROM " + q("stream_users") + " RETURNING " + q("id"),
                        {}, fetch_mode::streamed);
  int n = 0;
  for (const auto& row : r) {
    (void)row;
    ++n;
    conn.execute("SELECT count(*) FROM " + q("stream_users") + " WHERE " + q("id") + " > " + d.placeholder(1),
                 {n});
  }
  EXPECT_EQ(n, user_count);
}

TEST_P(stream_interleaving, a_stream_left_early_leaves_the_connection_working) {
  auto conn = engine().connect();
  {
    auto r = conn.execute(select_ids(), {}, fetch_mode::streamed);
    auto it = r.begin();
    ASSERT_EQ((*it).get<std::int64_t>(0), 1);
  }
  EXPECT_EQ(conn.execute("SELECT count(*) FROM " + q("stream_users")).scalar<std::int64_t>(), user_count);
  conn.commit();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM " + q("stream_users")).scalar<std::int64_t>(), user_count);
}

// A commit inside the loop: SQLite's statement reads on; PostgreSQL's cursor
// ends with its transaction, so once the rows it had fetched are read, the
// next read says why it cannot go on.  Never a stream that looks complete.
TEST_P(stream_interleaving, a_commit_inside_the_loop_never_ends_the_stream_silently) {
  auto conn = engine().connect();
  auto r = conn.execute(count_to_counted(), {}, fetch_mode::streamed);
  int n = 0;
  std::optional<std::string> error;
  try {
    for (const auto& row : r) {
      (void)row;
      if (++n % 10 == 0) conn.commit();
    }
  } catch (const relate::database_error& e) {
    error = e.what();
  }
  if (backend() == "postgresql") {
    ASSERT_TRUE(error.has_value()) << "the stream ended after " << n << " rows without an error";
    EXPECT_GE(n, 10);
    EXPECT_LT(n, counted);
    EXPECT_NE(error->find("the transaction ended (COMMIT)"), std::string::npos) << *error;
    // The connection goes on working after the error.
    EXPECT_EQ(conn.execute("SELECT 1").scalar<std::int64_t>(), 1);
  } else {
    EXPECT_FALSE(error.has_value()) << *error;
    EXPECT_EQ(n, counted);
  }
}

// A savepoint rolled back under a stream opened before it leaves the stream
// alone; a stream opened inside a rolled-back savepoint reports it.
TEST_P(stream_interleaving, a_rolled_back_savepoint_ends_only_the_streams_opened_inside_it) {
  auto conn = engine().connect();
  auto outer = conn.execute(count_to_counted(), {}, fetch_mode::streamed);
  int n = 0;
  for (const auto& row : outer) {
    (void)row;
    if (++n == 5) {
      auto sp = conn.begin_nested();
      conn.execute("SELECT 1");
      sp.rollback();
    }
  }
  EXPECT_EQ(n, counted);

  std::optional<std::string> error;
  int m = 0;
  {
    auto sp = conn.begin_nested();
    auto inner = conn.execute(count_to_counted(), {}, fetch_mode::streamed);
    auto it = inner.begin();
    sp.rollback();
    try {
      for (; it != inner.end(); ++it) ++m;
    } catch (const relate::operational_error& e) {
      error = e.what();
    }
  }
  if (backend() == "postgresql") {
    ASSERT_TRUE(error.has_value()) << "the stream ended after " << m << " rows without an error";
    EXPECT_NE(error->find("savepoint"), std::string::npos) << *error;
  } else {
    EXPECT_EQ(m, counted);
  }
}

RELATE_INSTANTIATE_BACKENDS(stream_interleaving);

}  // namespace
}  // namespace relate::testing
