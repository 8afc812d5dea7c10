// SPDX-License-Identifier: MIT
// Models for the schema tests: every column type relate maps, a composite key,
// defaults, unique/index/check constraints, a self-referential key and two
// tables whose keys form a cycle.
#pragma once

#include <relate/relate.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace migration_test {

struct Everything {
  std::int64_t id{};
  std::int16_t small{};
  std::int32_t medium{};
  std::int64_t big{};
  double real{};
  bool flag{};
  std::string text{};
  std::string code{};
  std::string price{};
  relate::blob bytes{};
  relate::timestamp at{};
  relate::date day{};
  std::optional<std::int32_t> maybe_int{};
  std::optional<std::string> maybe_text{};
  std::optional<relate::timestamp> maybe_at{};
};

inline auto relate_mapping(relate::model<Everything>) {
  using namespace relate::orm;
  return table<Everything>(
      "everything", column(&Everything::id, "id", primary_key), column(&Everything::small, "small"),
      column(&Everything::medium, "medium", server_default(7)), column(&Everything::big, "big"),
      column(&Everything::real, "real_value"), column(&Everything::flag, "flag", server_default(true)),
      column(&Everything::text, "text_value", server_default("it's")),
      column(&Everything::code, "code", length(12), unique),
      column(&Everything::price, "price", numeric(10, 2)), column(&Everything::bytes, "bytes"),
      column(&Everything::at, "at", server_default_sql("CURRENT_TIMESTAMP")), column(&Everything::day, "day"),
      column(&Everything::maybe_int, "maybe_int", check("maybe_int > 0", "ck_everything_maybe_int")),
      column(&Everything::maybe_text, "maybe_text", indexed), column(&Everything::maybe_at, "maybe_at"),
      index_on("ix_everything_small_medium", &Everything::small, &Everything::medium));
}

/// A composite key and a composite unique constraint.
struct Membership {
  std::int64_t group_id{};
  std::string member{};
  std::int32_t rank{};
};

inline auto relate_mapping(relate::model<Membership>) {
  using namespace relate::orm;
  return table<Membership>(
      "memberships", column(&Membership::group_id, "group_id"),
      column(&Membership::member, "member", length(50)), column(&Membership::rank, "rank"),
      primary_key_constraint(&Membership::group_id, &Membership::member),
      unique_constraint("uq_memberships_rank", &Membership::group_id, &Membership::rank));
}

/// A self-referential key with ON DELETE.
struct Employee {
  std::int64_t id{};
  std::string name{};
  std::optional<std::int64_t> manager_id{};
};

inline auto relate_mapping(relate::model<Employee>) {
  using namespace relate::orm;
  return table<Employee>(
      "employees", column(&Employee::id, "id", primary_key), column(&Employee::name, "name"),
      column(&Employee::manager_id, "manager_id", foreign_key(&Employee::id, on_delete::set_null)));
}

/// Two tables that point at each other.
struct Widget;
struct Entry {
  std::int64_t id{};
  std::optional<std::int64_t> widget_id{};
};
struct Widget {
  std::int64_t id{};
  std::optional<std::int64_t> favorite_id{};
};

inline auto relate_mapping(relate::model<Entry>) {
  using namespace relate::orm;
  return table<Entry>("entries", column(&Entry::id, "id", primary_key),
                      column(&Entry::widget_id, "widget_id", foreign_key(&Widget::id, on_delete::cascade)));
}
inline auto relate_mapping(relate::model<Widget>) {
  using namespace relate::orm;
  return table<Widget>("widgets", column(&Widget::id, "id", primary_key),
                       column(&Widget::favorite_id, "favorite_id", foreign_key(&Entry::id)));
}

inline void add_all(relate::metadata& meta) { meta.add<Everything, Membership, Employee, Entry, Widget>(); }

}  // namespace migration_test
