// SPDX-License-Identifier: MIT
// Results and rows through the public API: typed reads, NULL handling,
// narrowing checks, lookups by name, and the statement counter and listeners.
#include "fake_engine.hpp"

#include <relate/engine.hpp>

#include <gtest/gtest.h>

#include <optional>

namespace {

using relate::testing::test_host;

class engine_result : public ::testing::Test {
 protected:
  relate::engine engine = relate::create_engine("fakedb://" + test_host() + "/db");
  relate::connection conn = engine.connect();
};

TEST_F(engine_result, typed_reads_by_index_and_name) {
  const relate::blob bytes{std::byte{1}, std::byte{2}};
  auto result = conn.execute("SELECT params", {std::int64_t{7}, "text", 2.5, true, bytes});
  auto it = result.begin();
  ASSERT_NE(it, result.end());
  const auto& row = *it;
  EXPECT_EQ(row.size(), 5u);
  EXPECT_EQ(row.get<std::int64_t>(0), 7);
  EXPECT_EQ(row.get<int>("p1"), 7);
  EXPECT_EQ(row.get<std::string>("p2"), "text");
  EXPECT_EQ(row.get<double>(2), 2.5);
  EXPECT_TRUE(row.get<bool>("p4"));
  EXPECT_EQ(row.get<relate::blob>(4), bytes);
  EXPECT_EQ(row.get_value(1), relate::value("text"));
  EXPECT_EQ(row.get<relate::value>(0), relate::value(7));
  EXPECT_EQ(++it, result.end());
}

TEST_F(engine_result, null_into_non_optional_names_the_column) {
  auto result = conn.execute("SELECT params", {relate::null, 1});
  const auto& row = *result.begin();
  EXPECT_EQ(row.get<std::optional<std::string>>(0), std::nullopt);
  EXPECT_EQ(row.get<std::optional<int>>(1), 1);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_EQ(row.kind(0), relate::value_kind::null);
  try {
    (void)row.get<std::string>("p1");
    FAIL() << "no usage_error";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("'p1'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("NULL"), std::string::npos) << e.what();
  }
}

TEST_F(engine_result, narrowing_reads_throw_instead_of_truncating) {
  auto result = conn.execute("SELECT params", {std::int64_t{3'000'000'000}, -1, 2147483647, -2147483648LL});
  const auto& row = *result.begin();
  EXPECT_THROW((void)row.get<std::int32_t>(0), relate::data_error);
  EXPECT_EQ(row.get<std::uint32_t>(0), 3'000'000'000u);
  EXPECT_THROW((void)row.get<std::uint64_t>(1), relate::data_error);
  EXPECT_THROW((void)row.get<std::uint8_t>(1), relate::data_error);
  EXPECT_EQ(row.get<std::int8_t>(1), -1);
  EXPECT_EQ(row.get<std::int32_t>(2), 2147483647);
  EXPECT_EQ(row.get<std::int32_t>(3), -2147483647 - 1);
  EXPECT_THROW((void)row.get<std::int16_t>(2), relate::data_error);
  try {
    (void)row.get<std::optional<std::int32_t>>("p1");
    FAIL() << "no data_error";
  } catch (const relate::data_error& e) {
    EXPECT_NE(std::string(e.what()).find("'p1' holds 3000000000"), std::string::npos) << e.what();
  }
}

TEST_F(engine_result, unknown_column_lists_the_columns) {
  auto result = conn.execute("SELECT params", {1, 2});
  const auto& row = *result.begin();
  EXPECT_EQ(row.index_of("p2"), 1u);
  try {
    (void)row.get<int>("missing");
    FAIL() << "no usage_error";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("'missing' (columns: p1, p2)"), std::string::npos) << e.what();
  }
}

TEST_F(engine_result, all_and_scalar) {
  EXPECT_EQ(conn.execute("SELECT params", {1, "a"}).all(),
            (std::vector<std::vector<relate::value>>{{relate::value(1), relate::value("a")}}));
  EXPECT_EQ(conn.execute("SELECT params", {5}).scalar<int>(), 5);
  EXPECT_EQ(conn.execute("INSERT 1").scalar<int>(), std::nullopt);
  EXPECT_EQ(conn.execute("INSERT 1").rows_affected(), 1);
  EXPECT_EQ(conn.execute("SELECT params", {1, 2, 3}).column_count(), 3u);
}

TEST_F(engine_result, statements_are_counted_and_heard) {
  std::vector<std::string> heard;
  std::vector<std::size_t> param_counts;
  const auto id = engine.add_listener([&](std::string_view sql, std::span<const relate::value> params) {
    heard.emplace_back(sql);
    param_counts.push_back(params.size());
  });
  const auto before = engine.statements_executed();
  conn.execute("INSERT 1", {1, 2});
  const std::vector<std::vector<relate::value>> sets{{1}, {2}, {3}};
  conn.execute_many("INSERT many", sets);
  conn.commit();  // transaction control is not a statement
  EXPECT_EQ(engine.statements_executed() - before, 4u);
  EXPECT_EQ(heard, (std::vector<std::string>{"INSERT 1", "INSERT many", "INSERT many", "INSERT many"}));
  EXPECT_EQ(param_counts, (std::vector<std::size_t>{2, 1, 1, 1}));
  engine.remove_listener(id);
  conn.execute("INSERT 2");
  EXPECT_EQ(heard.size(), 4u);
  EXPECT_EQ(engine.statements_executed() - before, 5u);
}

TEST_F(engine_result, engine_exposes_its_parts) {
  EXPECT_EQ(engine.driver_name(), "fakedb");
  EXPECT_EQ(engine.dialect().name(), "fake");
  EXPECT_EQ(&conn.dialect(), &engine.dialect());
  EXPECT_EQ(engine.get_url().host(), test_host());
  EXPECT_EQ(conn.get_engine().get_url().str(), engine.get_url().str());
  EXPECT_EQ(engine.options().pool_size, 5u);
}

TEST_F(engine_result, result_outlives_its_connection_handle) {
  auto result = conn.execute("SELECT params", {9});
  conn.close();
  EXPECT_EQ(result.scalar<int>(), 9);
}

}  // namespace
