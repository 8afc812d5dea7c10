// SPDX-License-Identifier: MIT
// Statements built with relate's SQL builders and compiled by the SQLite
// dialect, run against SQLite: the text must not only look right (the unit
// tests check that) but prepare and mean the right thing in SQLite, e.g. LIKE
// needs an explicit ESCAPE there, and booleans and times compare as stored.
#include "sqlite_test_support.hpp"

#include <relate/sql/statements.hpp>

#include <gtest/gtest.h>

#include <optional>

namespace relate::sqlite {
namespace {

using namespace relate::sql;
using namespace std::chrono_literals;

class sqlite_compiled_sql : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = testing::open("sqlite://");
    table_def t;
    t.name = "users";
    auto add = [&](std::string name, sql_type type, bool nullable) {
      column_def c;
      c.name = std::move(name);
      c.type = type;
      c.nullable = nullable;
      t.columns.push_back(c);
      return &t.columns.back();
    };
    auto* key = add("id", {type_kind::big_integer}, false);
    key->primary_key = true;
    key->autoincrement = true;
    add("name", {.kind = type_kind::text, .length = 50}, false)->unique = true;
    add("age", {type_kind::integer}, true);
    add("active", {type_kind::boolean}, false);
    add("created", {type_kind::timestamp}, true);
    for (const auto& statement : dialect_.create_table(t, false)) exec_text(statement);
  }

  void exec_text(const std::string& sql) { conn_->execute(sql, {}, fetch_mode::buffered); }

  template <class Q>
  std::unique_ptr<native_cursor> run(const Q& q) {
    const auto compiled = dialect_.compile(*q.node());
    return conn_->execute(compiled.sql, compiled.params, fetch_mode::buffered);
  }

  template <class Q>
  std::vector<std::string> names(const Q& q) {
    auto c = run(q);
    std::vector<std::string> out;
    while (c->next()) out.emplace_back(c->get_text(0));
    return out;
  }

  void add_user(const std::string& user, std::optional<std::int32_t> years, bool is_active,
                std::optional<timestamp> when = std::nullopt) {
    run(insert(users).value(name, user).value(age, years).value(active, is_active).value(created, when));
  }

  using strings = std::vector<std::string>;

  sqlite_dialect dialect_;
  std::unique_ptr<sqlite_connection> conn_;
  table_ptr users = table("users");
  column<std::int64_t> id{users, "id"};
  column<std::string> name{users, "name"};
  column<std::optional<std::int32_t>> age{users, "age"};
  column<bool> active{users, "active"};
  column<std::optional<timestamp>> created{users, "created"};
};

TEST_F(sqlite_compiled_sql, insert_returning_gives_the_generated_keys) {
  if (!dialect_.capabilities().returning) GTEST_SKIP() << "this SQLite has no RETURNING";
  auto c = run(insert(users).columns(name, active).values("a", true).values("b", false).returning(id, name));
  std::vector<std::int64_t> ids;
  while (c->next()) ids.push_back(c->get_int64(0));
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(c->rows_affected(), 2);
}

TEST_F(sqlite_compiled_sql, like_literal_matches_percent_and_underscore_literally) {
  add_user("100%_sure", 1, true);
  add_user("1000 sure", 2, true);
  add_user("back\\slash", 3, true);
  EXPECT_EQ(names(select(name).where(name.like_literal("100%_sure"))), strings{"100%_sure"});
  EXPECT_EQ(names(select(name).where(name.contains("%_")).order_by(name)), strings{"100%_sure"});
  EXPECT_EQ(names(select(name).where(name.startswith("100")).order_by(name)),
            (strings{"100%_sure", "1000 sure"}));
  EXPECT_EQ(names(select(name).where(name.contains("\\"))), strings{"back\\slash"});
  EXPECT_EQ(names(select(name).where(name.like("100%")).order_by(name)), (strings{"100%_sure", "1000 sure"}));
}

TEST_F(sqlite_compiled_sql, ilike_is_case_insensitive) {
  add_user("John", 1, true);
  add_user("jOHNNY", 2, true);
  add_user("Mary", 3, true);
  EXPECT_EQ(names(select(name).where(name.ilike("JOHN%")).order_by(name)), (strings{"John", "jOHNNY"}));
}

TEST_F(sqlite_compiled_sql, nulls_first_and_last) {
  add_user("a", 30, true);
  add_user("b", std::nullopt, true);
  add_user("c", 20, true);
  EXPECT_EQ(names(select(name).order_by(asc(age).nulls_first())), (strings{"b", "c", "a"}));
  EXPECT_EQ(names(select(name).order_by(desc(age).nulls_last())), (strings{"a", "c", "b"}));
}

TEST_F(sqlite_compiled_sql, booleans_and_timestamps_compare_as_stored) {
  const timestamp t0 =
      std::chrono::sys_days(std::chrono::year{1969} / 12 / 31) + 23h + 59min + 59s + 999999us;
  add_user("old", 1, false, t0);
  add_user("new", 2, true, t0 + 2us);
  add_user("never", 3, true);
  EXPECT_EQ(names(select(name).where(active == true).order_by(name)), (strings{"never", "new"}));
  EXPECT_EQ(names(select(name).where(!active)), strings{"old"});
  EXPECT_EQ(names(select(name).where(created > t0)), strings{"new"});
  EXPECT_EQ(names(select(name).where(created.is_null())), strings{"never"});
}

TEST_F(sqlite_compiled_sql, distinct_from_treats_null_as_a_value_and_time_casts_keep_the_text) {
  const timestamp t0 = std::chrono::sys_days(std::chrono::year{2021} / 1 / 1) + 123456us;
  add_user("thirty", 30, true, t0);
  add_user("unknown", std::nullopt, true);
  EXPECT_EQ(names(select(name).where(is_distinct_from(age, 30))), strings{"unknown"});
  EXPECT_EQ(names(select(name).where(is_not_distinct_from(age, std::optional<std::int32_t>{}))),
            strings{"unknown"});
  // CAST(... AS DATETIME) would have made this the number 2021.
  auto c = run(select(cast<timestamp>(created)).where(name == "thirty"));
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_timestamp(0), t0);
}

TEST_F(sqlite_compiled_sql, upsert_updates_or_ignores_the_conflicting_row) {
  if (!dialect_.capabilities().upsert) GTEST_SKIP() << "this SQLite has no ON CONFLICT";
  add_user("a", 1, true);
  run(insert(users).value(name, "a").value(age, 5).value(active, true).on_conflict_do_nothing(name));
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT age FROM users WHERE name = 'a'"), 1);
  run(insert(users)
          .value(name, "a")
          .value(age, 5)
          .value(active, true)
          .on_conflict_do_update(name)
          .on_conflict_set(age, 7));
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT age FROM users WHERE name = 'a'"), 7);
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT count(*) FROM users"), 1);
}

// Found by fuzz/fuzz_compiler: after "SELECT ... FROM users", SQLite reads
// ON CONFLICT's ON as a join constraint; and no upsert follows DEFAULT VALUES.
TEST_F(sqlite_compiled_sql, upsert_from_a_select_parses_and_upsert_after_default_values_is_refused) {
  if (!dialect_.capabilities().upsert) GTEST_SKIP() << "this SQLite has no ON CONFLICT";
  add_user("a", 1, true);
  add_user("b", 2, false);
  auto copy_of = [&](auto source) {
    return insert(users)
        .columns(name, age, active)
        .from_select(source)
        .on_conflict_do_update(name)
        .on_conflict_set(age, 10);
  };
  // Both names exist: every row conflicts and takes the update.
  run(copy_of(select(name, age, active)));
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT sum(age) FROM users"), 20);
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT count(*) FROM users"), 2);
  // With a WHERE of its own, and with parameters (which keep their order).
  const auto filtered =
      copy_of(select(name, age, active).where(name == "a" && age > 5)).on_conflict_set(age, 11);
  const auto compiled = dialect_.compile(*filtered.node());
  EXPECT_EQ(compiled.params, (std::vector<value>{"a", 5, 10, 11}));
  run(filtered);
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT age FROM users WHERE name = 'a'"), 11);

  EXPECT_THROW(dialect_.compile(*insert(users).on_conflict_do_nothing(name).node()), not_supported_error);
}

TEST_F(sqlite_compiled_sql, update_delete_in_and_empty_in) {
  for (const char* n : {"a", "b", "c", "d"}) add_user(n, 10, true);
  EXPECT_EQ(run(update(users).set(age, age + 1).where(name.in_({"a", "b"})))->rows_affected(), 2);
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT sum(age) FROM users"), 42);
  EXPECT_EQ(run(delete_from(users).where(name.in_(std::vector<std::string>{})))->rows_affected(), 0);
  EXPECT_EQ(run(delete_from(users).where(id.in_({1, 4})))->rows_affected(), 2);
  EXPECT_EQ(names(select(name).order_by(name)), (strings{"b", "c"}));
}

TEST_F(sqlite_compiled_sql, grouping_limits_and_unions) {
  for (int i = 0; i < 10; ++i) add_user("u" + std::to_string(i), i % 3, i % 2 == 0);
  auto per_age = select(age, count().label("n")).group_by(age).having(count() > 3).order_by(age);
  auto c = run(per_age);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_int64(0), 0);
  EXPECT_EQ(c->get_int64(1), 4);
  EXPECT_FALSE(c->next());
  EXPECT_EQ(names(select(name).order_by(name).limit(2).offset(3)), (strings{"u3", "u4"}));
  auto young = select(name).where(age == 0);
  auto active_ones = select(name).where(active && age == 1);
  EXPECT_EQ(names(union_(young, active_ones).order_by(column<std::string>(nullptr, "name")).limit(3)),
            (strings{"u0", "u3", "u4"}));
}

// Found by fuzz/fuzz_compiler: SQLite has no "schema.table.*".
TEST_F(sqlite_compiled_sql, star_of_a_table_in_a_schema_prepares) {
  add_user("only", 1, true);
  auto main_users = table("users", "main");
  const auto q = select(all_columns(main_users), column<std::string>(main_users, "name")).from(main_users);
  EXPECT_EQ(dialect_.compile(*q.node()).sql,
            "SELECT \"users\".*, \"main\".\"users\".\"name\" FROM \"main\".\"users\"");
  auto c = run(q);
  ASSERT_TRUE(c->next());
  EXPECT_EQ(c->get_text(c->column_count() - 1), "only");
}

}  // namespace
}  // namespace relate::sqlite
