// SPDX-License-Identifier: MIT
// N+1 detection (session_options::n_plus_one): a relationship lazy-loaded
// past the threshold for the objects of one query logs one warning, or
// throws n_plus_one_error in strict mode; eager loading, objects of
// different queries and loads that need no SELECT never count.
#include "relationship_fixture.hpp"
#include "text.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rel_test {
namespace {

/// Keeps the warnings the engine's logger receives.
class warning_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> warnings() {
    std::lock_guard lock(mutex_);
    return warnings_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (msg.level == spdlog::level::warn) warnings_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> warnings_;
};

using relate::testing::contains;

class n_plus_one : public relationship_test {
 protected:
  static constexpr int users = 6;
  static constexpr std::size_t threshold = 3;

  void SetUp() override {
    relationship_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::session s(engine());
    auto tag = s.add(Tag{.name = "t"});
    for (int i = 0; i < users; ++i) {
      auto u = s.add(User{.name = "user" + std::to_string(i)});
      for (int j = 0; j < 2; ++j)
        u->posts.append(Post{.title = "post" + std::to_string(j)})->tags.push_back(tag);
    }
    s.commit();
    forget_statements();
  }
  relate::engine_options options() const override { return {.logger = logger_}; }
  relate::session watched(bool strict = false) {
    return relate::session(engine(), {.n_plus_one = {.threshold = threshold, .strict = strict}});
  }
  std::vector<std::string> warnings() { return sink_->warnings(); }

  std::shared_ptr<warning_sink> sink_ = std::make_shared<warning_sink>();
  std::shared_ptr<spdlog::logger> logger_ = std::make_shared<spdlog::logger>("relate.sql", sink_);
};

TEST_P(n_plus_one, warns_exactly_once_when_the_threshold_is_passed) {
  auto s = watched();
  auto all = s.query<User>().order_by(&User::id).all();
  for (std::size_t i = 0; i < threshold; ++i) (void)all[i]->posts.size();
  EXPECT_TRUE(warnings().empty()) << "up to the threshold is allowed";
  (void)all[threshold]->posts.size();
  auto w = warnings();
  ASSERT_EQ(w.size(), 1u) << "one past the threshold warns";
  EXPECT_TRUE(contains(w[0], "relate: N+1 queries")) << w[0];
  EXPECT_TRUE(contains(w[0], "User -> rel_test::Post (posts.user_id = users.id)")) << w[0];
  EXPECT_TRUE(contains(w[0], "lazy-loaded 4 times (threshold 3)")) << w[0];
  EXPECT_TRUE(contains(w[0], "SELECT")) << "names the query: " << w[0];
  EXPECT_TRUE(contains(w[0], "FROM \"users\"")) << w[0];
  EXPECT_TRUE(contains(w[0], "selectinload(&rel_test::User::")) << w[0];
  EXPECT_TRUE(contains(w[0], "joinedload")) << w[0];
  for (std::size_t i = threshold + 1; i < all.size(); ++i) (void)all[i]->posts.size();
  EXPECT_EQ(warnings().size(), 1u) << "and only once for that query and relationship";
}

TEST_P(n_plus_one, every_query_counts_on_its_own) {
  auto s = watched();
  for (int round = 0; round < 2; ++round) {
    s.expunge_all();
    auto all = s.query<User>().order_by(&User::id).all();
    for (const auto& u : all) (void)u->posts.size();
  }
  EXPECT_EQ(warnings().size(), 2u) << "one warning per query";
}

TEST_P(n_plus_one, never_for_selectinload_or_joinedload) {
  auto s = watched();
  for (const auto& u : s.query<User>().options(relate::selectinload(&User::posts)).all())
    (void)u->posts.size();
  relate::session joined(engine(), {.n_plus_one = {.threshold = threshold}});
  for (const auto& u : joined.query<User>().options(relate::joinedload(&User::posts)).all())
    (void)u->posts.size();
  EXPECT_TRUE(warnings().empty());
}

TEST_P(n_plus_one, never_for_objects_of_different_queries) {
  auto s = watched();
  std::vector<std::int64_t> ids;
  for (const auto& u : relate::session(engine()).query<User>().all()) ids.push_back(u->id);
  for (auto id : ids) (void)s.get<User>(id)->posts.size();
  relate::session other(engine(), {.n_plus_one = {.threshold = threshold}});
  for (auto id : ids) (void)other.query<User>().filter_by(&User::id, id).one()->posts.size();
  EXPECT_TRUE(warnings().empty()) << "each object came from a load of its own";
}

TEST_P(n_plus_one, counts_only_lazy_loads_that_run_a_select) {
  auto s = watched();
  s.query<User>().all();  // every author is in the session now
  auto posts = s.query<Post>().all();
  ASSERT_GT(posts.size(), threshold + 1);
  forget_statements();
  for (const auto& p : posts) EXPECT_TRUE(p->author.get());
  EXPECT_EQ(statement_count(), 0u);
  EXPECT_TRUE(warnings().empty()) << "a many-to-one found in the identity map is no N+1";
}

TEST_P(n_plus_one, counts_objects_a_relationship_loaded) {
  auto s = watched();
  auto all = s.query<User>().options(relate::selectinload(&User::posts)).all();
  for (const auto& u : all)
    for (const auto& p : u->posts) (void)p.tags.size();
  auto w = warnings();
  ASSERT_EQ(w.size(), 1u) << "the posts came from one select-in statement";
  EXPECT_TRUE(contains(w[0], "rel_test::Post -> rel_test::Tag (through post_tags)")) << w[0];
  EXPECT_TRUE(contains(w[0], "IN (")) << "names the select-in statement: " << w[0];
}

TEST_P(n_plus_one, strict_mode_throws_before_the_select_past_the_threshold) {
  auto s = watched(true);
  auto all = s.query<User>().order_by(&User::id).all();
  for (std::size_t i = 0; i < threshold; ++i) (void)all[i]->posts.size();
  forget_statements();
  try {
    (void)all[threshold]->posts.size();
    FAIL() << "expected n_plus_one_error";
  } catch (const relate::n_plus_one_error& e) {
    EXPECT_TRUE(contains(e.what(), "lazy-loaded 4 times")) << e.what();
    EXPECT_TRUE(contains(e.what(), "selectinload")) << e.what();
  }
  EXPECT_EQ(statement_count(), 0u) << "refused before its SELECT";
  EXPECT_FALSE(all[threshold]->posts.is_loaded());
  EXPECT_THROW((void)all[threshold + 1]->posts.size(), relate::lazy_load_error)
      << "every lazy load past the threshold, and n_plus_one_error is a lazy_load_error";
  EXPECT_TRUE(warnings().empty()) << "an error instead of a warning";
}

TEST_P(n_plus_one, a_session_without_it_ignores_what_another_sessions_load_recorded) {
  std::vector<relate::ptr<User>> all;
  {
    auto watching = watched();
    all = watching.query<User>().all();
  }
  relate::session plain(engine());
  for (const auto& u : all) plain.add(u);
  for (const auto& u : all) (void)u->posts.size();
  EXPECT_TRUE(warnings().empty());
}

TEST_P(n_plus_one, off_by_default) {
  relate::session s(engine());
  for (const auto& u : s.query<User>().all()) (void)u->posts.size();
  EXPECT_TRUE(warnings().empty());
}

RELATE_INSTANTIATE_BACKENDS(n_plus_one);

}  // namespace
}  // namespace rel_test
