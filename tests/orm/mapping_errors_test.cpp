// SPDX-License-Identifier: MIT
// Mapping mistakes C++ cannot reject at compile time are reported as
// usage_error with a message that names the type and the column.
#include "models.hpp"

#include <gtest/gtest.h>

namespace mapping_errors {

struct Duplicate {
  std::int64_t id{};
  std::string a;
  std::string b;
};
inline auto relate_mapping(relate::model<Duplicate>) {
  using namespace relate::orm;
  return table<Duplicate>("dup", column(&Duplicate::id, "id", primary_key), column(&Duplicate::a, "x"),
                          column(&Duplicate::b, "x"));
}

struct TwoAuto {
  std::int64_t a{};
  std::int64_t b{};
};
inline auto relate_mapping(relate::model<TwoAuto>) {
  using namespace relate::orm;
  return table<TwoAuto>("two_auto", column(&TwoAuto::a, "a", primary_key, autoincrement),
                        column(&TwoAuto::b, "b", primary_key, autoincrement));
}

struct NoKey {
  std::string a;
};
inline auto relate_mapping(relate::model<NoKey>) {
  using namespace relate::orm;
  return table<NoKey>("no_key", column(&NoKey::a, "a"));
}

struct Dangling {
  std::int64_t id{};
  std::int64_t other{};
};
inline auto relate_mapping(relate::model<Dangling>) {
  using namespace relate::orm;
  return table<Dangling>("dangling", column(&Dangling::id, "id", primary_key),
                         column(&Dangling::other, "other", foreign_key("nowhere.id")));
}

struct PointsAtUser {
  std::int64_t id{};
  std::int64_t user_id{};
};
inline auto relate_mapping(relate::model<PointsAtUser>) {
  using namespace relate::orm;
  return table<PointsAtUser>("points_at_user", column(&PointsAtUser::id, "id", primary_key),
                             column(&PointsAtUser::user_id, "user_id", foreign_key(&orm_test::User::id)));
}

struct Partly {
  std::int64_t id{};
  std::string mapped;
  std::string not_mapped;
};
inline auto relate_mapping(relate::model<Partly>) {
  using namespace relate::orm;
  return table<Partly>("partly", column(&Partly::id, "id", primary_key), column(&Partly::mapped, "mapped"));
}

struct DeferredKey {
  std::int64_t id{};
};
inline auto relate_mapping(relate::model<DeferredKey>) {
  using namespace relate::orm;
  return table<DeferredKey>("deferred_key", column(&DeferredKey::id, "id", primary_key, deferred));
}

struct DeferredReference {
  std::int64_t id{};
  std::int64_t user_id{};
};
inline auto relate_mapping(relate::model<DeferredReference>) {
  using namespace relate::orm;
  return table<DeferredReference>(
      "deferred_reference", column(&DeferredReference::id, "id", primary_key),
      column(&DeferredReference::user_id, "user_id", foreign_key(&orm_test::User::id), deferred));
}

template <class T>
std::string error_of() {
  try {
    (void)relate::orm::mapper_of<T>();
  } catch (const relate::usage_error& e) {
    return e.what();
  }
  return "";
}

TEST(orm_mapping_errors, duplicate_column_name) {
  auto m = error_of<Duplicate>();
  EXPECT_NE(m.find("duplicate column name \"x\""), std::string::npos) << m;
  EXPECT_NE(m.find("Duplicate"), std::string::npos) << m;
}

TEST(orm_mapping_errors, two_autoincrement_columns) {
  auto m = error_of<TwoAuto>();
  EXPECT_NE(m.find("two autoincrement columns"), std::string::npos) << m;
}

TEST(orm_mapping_errors, no_primary_key) {
  auto m = error_of<NoKey>();
  EXPECT_NE(m.find("no primary key"), std::string::npos) << m;
}

TEST(orm_mapping_errors, foreign_key_to_an_unregistered_table) {
  relate::metadata meta;
  meta.add<Dangling>();
  try {
    (void)meta.tables();
    FAIL() << "expected usage_error";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("\"nowhere\""), std::string::npos) << e.what();
  }
  relate::metadata other;
  other.add<PointsAtUser>();
  EXPECT_THROW((void)other.tables(), relate::usage_error) << "users is not registered in this metadata";
  other.add<orm_test::User>();
  auto tables = other.tables();
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "users") << "the referenced table comes first";
  ASSERT_EQ(tables[1].foreign_keys.size(), 1u);
  EXPECT_EQ(tables[1].foreign_keys[0].ref_table, "users");
  EXPECT_EQ(tables[1].foreign_keys[0].ref_columns, std::vector<std::string>{"id"});
}

TEST(orm_mapping_errors, columns_every_load_needs_cannot_be_deferred) {
  auto m = error_of<DeferredKey>();
  EXPECT_NE(m.find("column \"id\" cannot be deferred: it is part of the primary key"), std::string::npos)
      << m;
  m = error_of<DeferredReference>();
  EXPECT_NE(m.find("column \"user_id\" cannot be deferred: it is a foreign key"), std::string::npos) << m;
}

TEST(orm_mapping_errors, unmapped_member_in_an_expression) {
  try {
    (void)relate::col(&Partly::not_mapped);
    FAIL() << "expected usage_error";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("Partly"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)relate::col(&Partly::mapped));
}

TEST(orm_mapping_errors, mapping_produces_the_declared_table) {
  const auto def = relate::orm::mapper_of<orm_test::Account>().table_definition();
  EXPECT_EQ(def.name, "accounts");
  ASSERT_EQ(def.primary_key, std::vector<std::string>{"id"});
  const auto* id = def.find_column("id");
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->autoincrement) << "a single integer key autoincrements by default";
  EXPECT_FALSE(id->nullable);
  const auto* email = def.find_column("email");
  ASSERT_TRUE(email);
  EXPECT_TRUE(email->unique);
  EXPECT_EQ(email->type.length, 200u);
  EXPECT_FALSE(email->nullable);
  EXPECT_TRUE(def.find_column("note")->nullable) << "an optional member is nullable";
  ASSERT_TRUE(def.find_column("status")->server_default);
  ASSERT_EQ(def.checks.size(), 1u);
  EXPECT_EQ(def.checks[0].expression, "balance >= 0");

  const auto m = relate::orm::mapper_of<orm_test::Membership>().table_definition();
  EXPECT_EQ(m.primary_key, (std::vector<std::string>{"group_id", "member"}));
  EXPECT_FALSE(m.find_column("group_id")->autoincrement) << "a composite key does not autoincrement";
}

}  // namespace mapping_errors
