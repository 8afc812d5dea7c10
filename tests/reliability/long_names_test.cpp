// SPDX-License-Identifier: MIT
// Names at and past a database's identifier limit.  PostgreSQL cuts a name
// longer than 63 bytes and carries on, so two mapped tables whose names share
// their first 63 bytes would silently become one: relate refuses such a name.
// The names relate makes up itself (index names, aliases of a self-join) are
// shortened instead, and must stay distinct.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace relate::testing {
namespace {

const std::string head_63(63, 't');

// 64 bytes each, the same first 63.
template <char Last>
struct long_named {
  std::int64_t id{};
  std::string value{};
};
template <char Last>
auto relate_mapping(relate::model<long_named<Last>>) {
  using namespace relate::orm;
  using row = long_named<Last>;
  return table<row>(head_63 + Last, column(&row::id, "id", primary_key), column(&row::value, "value"));
}
using long_a = long_named<'a'>;
using long_b = long_named<'b'>;

// Self-referential trees on 63-byte names that share 62 bytes: their
// generated index names (ix_<table>_parent_id, 76 bytes) must be shortened
// and still differ, and a self-join must alias the table within the limit.
template <char Last>
struct long_node {
  std::int64_t id{};
  std::string label{};
  std::optional<std::int64_t> parent_id{};
  relate::one<long_node> parent{};
  relate::many<long_node> children{};
};
template <char Last>
auto relate_mapping(relate::model<long_node<Last>>) {
  using namespace relate::orm;
  using node = long_node<Last>;
  return table<node>(std::string(62, 'n') + Last, column(&node::id, "id", primary_key),
                     column(&node::label, "label"),
                     column(&node::parent_id, "parent_id", foreign_key(&node::id), indexed),
                     relationship(&node::parent, back_populates(&node::children)),
                     relationship(&node::children, back_populates(&node::parent), order_by(&node::id)));
}

std::set<std::string> index_names(scratch_database& db) {
  auto conn = db.engine().connect();
  const std::string sql =
      db.schema().empty()
          ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix\\_%' ESCAPE '\\'"
          : "SELECT indexname::text FROM pg_catalog.pg_indexes WHERE schemaname = "
            "current_schema() AND indexname LIKE 'ix\\_%'";
  std::set<std::string> names;
  for (const auto& row : conn.execute(sql)) names.insert(row.get<std::string>(0));
  conn.rollback();
  return names;
}

class long_names : public backend_test {};

TEST_P(long_names, a_name_past_the_limit_is_refused_not_cut_into_another_tables_name) {
  relate::metadata meta;
  meta.add<long_a, long_b>();
  const std::size_t limit = engine().dialect().capabilities().max_identifier_length;
  if (limit != 0 && limit < head_63.size() + 1) {
    try {
      meta.create_all(engine());
      ADD_FAILURE() << "a 64-byte table name was accepted by " << backend();
    } catch (const relate::usage_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(head_63 + "a"), std::string::npos) << what;
      EXPECT_NE(what.find("at most " + std::to_string(limit)), std::string::npos) << what;
    }
    EXPECT_EQ(table_names(db()), std::set<std::string>{});
    relate::session s(engine());
    s.add(long_a{.value = "a"});
    EXPECT_THROW(s.flush(), relate::usage_error);
    return;
  }
  // No limit to enforce: the two names are two tables.
  meta.create_all(engine());
  EXPECT_EQ(table_names(db()), (std::set<std::string>{head_63 + "a", head_63 + "b"}));
  relate::session s(engine());
  s.add(long_a{.value = "in a"});
  s.add(long_b{.value = "in b"});
  s.commit();
  EXPECT_EQ(committed_pairs(engine(), head_63 + "a", "id", "value"),
            (std::vector<std::pair<std::int64_t, std::string>>{{1, "in a"}}));
  EXPECT_EQ(committed_pairs(engine(), head_63 + "b", "id", "value"),
            (std::vector<std::pair<std::int64_t, std::string>>{{1, "in b"}}));
}

TEST_P(long_names, generated_index_names_and_self_join_aliases_fit_the_limit_and_stay_distinct) {
  using node_m = long_node<'m'>;
  using node_n = long_node<'n'>;
  relate::metadata meta;
  meta.add<node_m, node_n>();
  meta.create_all(engine());

  const auto indexes = index_names(db());
  ASSERT_EQ(indexes.size(), 2u) << "one index per table, under two names";
  const std::size_t limit = engine().dialect().capabilities().max_identifier_length;
  if (limit != 0) {
    for (const auto& name : indexes) EXPECT_LE(name.size(), limit) << name;
  }

  {
    relate::session s(engine());
    auto root = s.add(node_m{.label = "root"});
    root->children.push_back(node_m{.label = "first"});
    root->children.push_back(node_m{.label = "second"});
    s.add(node_n{.label = "alone"});
    s.commit();
  }
  relate::session s(engine());
  auto roots = s.query<node_m>()
                   .options(relate::joinedload(&node_m::children))
                   .filter_by(&node_m::label, "root")
                   .all();
  ASSERT_EQ(roots.size(), 1u);
  ASSERT_EQ(roots[0]->children.size(), 2u);
  EXPECT_EQ(roots[0]->children[0].label, "first");
  EXPECT_EQ(roots[0]->children[1].label, "second");
  EXPECT_EQ(s.query<node_m>().filter(relate::any(&node_m::children)).count(), 1);
  EXPECT_EQ(s.query<node_m>().filter(relate::has(&node_m::parent)).count(), 2);
  EXPECT_EQ(s.query<node_n>().filter(relate::any(&node_n::children)).count(), 0);
}

RELATE_INSTANTIATE_BACKENDS(long_names);

}  // namespace
}  // namespace relate::testing
