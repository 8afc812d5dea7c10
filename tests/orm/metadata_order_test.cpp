// SPDX-License-Identifier: MIT
// The creation order of a metadata: parents before children, and, where
// foreign keys form a cycle between tables, which keys wait until every table
// exists.  No database needed.
#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

// a -> b -> c -> a is a cycle; d -> a and d -> d only lean on it.
struct ring_a;
struct ring_b;
struct ring_c;

struct ring_a {
  std::int64_t id{};
  std::optional<std::int64_t> b_id{};
};
struct ring_b {
  std::int64_t id{};
  std::optional<std::int64_t> c_id{};
};
struct ring_c {
  std::int64_t id{};
  std::optional<std::int64_t> a_id{};
};
struct leaning {
  std::int64_t id{};
  std::optional<std::int64_t> a_id{};
  std::optional<std::int64_t> self_id{};
};

inline auto relate_mapping(relate::model<ring_a>) {
  using namespace relate::orm;
  return table<ring_a>("ring_a", column(&ring_a::id, "id", primary_key),
                       column(&ring_a::b_id, "b_id", foreign_key(&ring_b::id)));
}
inline auto relate_mapping(relate::model<ring_b>) {
  using namespace relate::orm;
  return table<ring_b>("ring_b", column(&ring_b::id, "id", primary_key),
                       column(&ring_b::c_id, "c_id", foreign_key(&ring_c::id)));
}
inline auto relate_mapping(relate::model<ring_c>) {
  using namespace relate::orm;
  return table<ring_c>("ring_c", column(&ring_c::id, "id", primary_key),
                       column(&ring_c::a_id, "a_id", foreign_key(&ring_a::id)));
}
inline auto relate_mapping(relate::model<leaning>) {
  using namespace relate::orm;
  return table<leaning>("leaning", column(&leaning::id, "id", primary_key),
                        column(&leaning::a_id, "a_id", foreign_key(&ring_a::id)),
                        column(&leaning::self_id, "self_id", foreign_key(&leaning::id)));
}

std::vector<std::string> names(const std::vector<relate::sql::table_def>& tables) {
  std::vector<std::string> out;
  for (const auto& t : tables) out.push_back(t.name);
  return out;
}

TEST(orm_metadata_order, a_cycle_between_tables_waits_on_one_key_and_every_other_key_is_honoured) {
  relate::metadata meta;
  meta.add<leaning, ring_a, ring_b, ring_c>();
  const auto tables = meta.tables();
  // ring_a, the first table on the cycle, stops waiting for ring_b; the rest
  // follow their keys: c after a, b after c, leaning after a.
  EXPECT_EQ(names(tables), (std::vector<std::string>{"ring_a", "ring_c", "leaning", "ring_b"}));
  const auto cycles = meta.cycle_keys();
  ASSERT_EQ(cycles.size(), 1u) << "one key breaks the cycle; leaning's keys and its self-reference do not";
  EXPECT_EQ(tables[cycles[0].table].name, "ring_a");
  EXPECT_EQ(tables[cycles[0].table].foreign_keys[cycles[0].key].ref_table, "ring_b");
}

TEST(orm_metadata_order, a_key_to_a_table_not_registered_is_refused_not_taken_for_a_cycle) {
  relate::metadata meta;
  meta.add<leaning, ring_a, ring_c>();
  EXPECT_THROW((void)meta.cycle_keys(), relate::usage_error) << "ring_a refers to ring_b, which is missing";
}

}  // namespace
