// SPDX-License-Identifier: MIT
// The snapshot the flush compares members with: every kind of value comes
// back as it went in, and replacing some columns keeps the others intact
// (including text that lived in the block being replaced).
#include <relate/orm/mapping.hpp>
#include <relate/orm/snapshot.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

namespace relate::orm::detail {
namespace {

using namespace std::chrono;

std::vector<value> every_kind() {
  return {value(),
          value(true),
          value(std::numeric_limits<std::int64_t>::min()),
          value(-0.5),
          value(std::string(200, 'x') + "\xe2\x98\x83"),
          value(blob{std::byte{0}, std::byte{0xff}, std::byte{0}}),
          value(timestamp(microseconds(-1))),
          value(date(days(-719468))),
          value(interval(hours(-25))),
          value(std::string())};
}

TEST(snapshot, holds_every_kind_of_value) {
  snapshot s;
  EXPECT_TRUE(s.empty());
  const auto values = every_kind();
  s.assign(std::span<const value>(values));
  ASSERT_EQ(s.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(s.get(i), values[i]) << "column " << i;
    EXPECT_EQ(s.at(i), snapshot_cell::of(values[i])) << "column " << i;
  }
  s.clear();
  EXPECT_TRUE(s.empty());
}

TEST(snapshot, replace_changes_the_columns_named_and_keeps_the_rest) {
  snapshot s;
  const auto values = every_kind();
  s.assign(std::span<const value>(values));
  const std::vector<value> written{value("short"), value(std::string(100, 'y'))};
  // Columns 1 and 4: the long text of column 4 is replaced, the others keep theirs.
  s.replace((1u << 1) | (1u << 4), written);
  EXPECT_EQ(s.get(1), written[0]);
  EXPECT_EQ(s.get(4), written[1]);
  for (std::size_t i : {0u, 2u, 3u, 5u, 6u, 7u, 8u, 9u}) EXPECT_EQ(s.get(i), values[i]) << "column " << i;
  s.set(9, value(42));
  EXPECT_EQ(s.get(9), value(42));
  EXPECT_EQ(s.get(4), written[1]);
}

TEST(snapshot, a_member_compares_with_its_snapshot_cell_by_kind_and_contents) {
  using text_ops = member_ops<std::string>;
  using optional_ops = member_ops<std::optional<std::int64_t>>;
  std::vector<value> keep;
  keep.reserve(2);
  const std::string name = std::string(40, 'n');
  snapshot s;
  const std::optional<std::int64_t> none, seven = 7;
  const snapshot_cell cells[] = {text_ops::snap(&name, keep), optional_ops::snap(&none, keep),
                                 optional_ops::snap(&seven, keep)};
  s.assign(cells);
  EXPECT_TRUE(text_ops::same(&name, s.at(0)));
  const std::string other = name + "!";
  EXPECT_FALSE(text_ops::same(&other, s.at(0)));
  EXPECT_TRUE(optional_ops::same(&none, s.at(1)));
  EXPECT_FALSE(optional_ops::same(&seven, s.at(1)));
  EXPECT_TRUE(optional_ops::same(&seven, s.at(2)));
  EXPECT_FALSE(optional_ops::same(&seven, s.at(0))) << "an integer never equals text";
}

}  // namespace
}  // namespace relate::orm::detail
