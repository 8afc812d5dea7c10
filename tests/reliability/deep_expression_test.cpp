// SPDX-License-Identifier: MIT
// Deep and long expressions (issue 13): a chain of one AND/OR built in a
// loop compiles as one flat list and is destroyed without recursion, however
// long; any other nesting deeper than relate::sql::max_expression_depth is a
// usage_error when it is built.  Before, compiling 200,000 chained ORs and
// destroying a million of them overflowed the stack.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace relate::testing {
namespace {

struct item {
  std::int64_t id{};
  std::string name{};
};
inline auto relate_mapping(relate::model<item>) {
  using namespace relate::orm;
  return table<item>("items", column(&item::id, "id", primary_key), column(&item::name, "name"));
}

std::size_t occurrences(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

class deep_expressions : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::metadata meta;
    meta.add<item>();
    meta.create_all(engine());
    relate::session s(engine());
    for (int i = 1; i <= 20; ++i) s.add(item{.id = i, .name = "item " + std::to_string(i)});
    s.commit();
  }
};

TEST_P(deep_expressions, a_long_or_chain_compiles_flat_without_parentheses) {
  constexpr int n = 200'000;
  auto e = relate::col(&item::id) == 0;
  for (int i = 1; i < n; ++i) e = e || (relate::col(&item::id) == i);
  const auto compiled =
      engine().dialect().compile(*relate::sql::select(relate::col(&item::id)).where(e).node());
  EXPECT_EQ(occurrences(compiled.sql, " OR "), static_cast<std::size_t>(n - 1));
  EXPECT_EQ(occurrences(compiled.sql, "("), 0u) << compiled.sql.substr(0, 200);
  EXPECT_EQ(compiled.params.size(), static_cast<std::size_t>(n));
}

TEST_P(deep_expressions, a_million_chained_ors_are_destroyed_without_recursion) {
  std::optional<relate::sql::expr<bool>> e(relate::col(&item::id) == 0);
  for (int i = 1; i < 1'000'000; ++i) e = *e || (relate::col(&item::id) == i);
  e.reset();  // crashed here before (a million nested shared_ptr destructors)
  SUCCEED();
}

TEST_P(deep_expressions, a_chain_grouped_either_way_runs_and_finds_the_right_rows) {
  // Left-deep (e || x), right-deep (x || e) and repeated filter() calls.
  auto left = relate::col(&item::id) == 1;
  auto right = relate::col(&item::id) == 1;
  for (int i = 2; i <= 300; ++i) {
    left = left || (relate::col(&item::id) == i * 2);
    right = (relate::col(&item::id) == i * 3) || right;
  }
  relate::session s(engine());
  EXPECT_EQ(s.query<item>().filter(left).count(), 10);  // 1, 4, 6, ..., 20
  EXPECT_EQ(s.query<item>().filter(right).count(), 6);  // 1, 6, 9, ..., 18
  auto q = s.query<item>();
  // (SQLite itself refuses 1,000 levels: its parser nests a chain.)
  for (int i = 0; i < 500; ++i) q.filter(relate::col(&item::id) != 1000 + i);
  EXPECT_EQ(q.count(), 20);
}

TEST_P(deep_expressions, nesting_deeper_than_the_documented_limit_is_a_usage_error_when_built) {
  auto negated = relate::col(&item::id) == 1;
  std::optional<std::string> error;
  try {
    for (std::uint32_t i = 0; i < relate::sql::max_expression_depth + 10; ++i) negated = !negated;
  } catch (const relate::usage_error& e) {
    error = e.what();
  }
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(negated.node()->depth, relate::sql::max_expression_depth);
  EXPECT_NE(error->find("max_expression_depth"), std::string::npos) << *error;

  auto sum = relate::col(&item::id) + 0;
  EXPECT_THROW(for (std::uint32_t i = 0; i < relate::sql::max_expression_depth + 10; ++i) sum = sum + 1,
               relate::usage_error);
  // What was built up to the limit still runs where the database takes it.
  relate::session s(engine());
  auto shallow = relate::col(&item::id) + 0;
  for (int i = 0; i < 50; ++i) shallow = shallow + 1;
  EXPECT_EQ(s.query<item>().filter(shallow == 51).count(), 1);
}

RELATE_INSTANTIATE_BACKENDS(deep_expressions);

}  // namespace
}  // namespace relate::testing
