// SPDX-License-Identifier: MIT
// Models shared by the ORM tests: the blog (users and posts), a table with
// every supported member type, one with a composite key and one with
// constraints to violate.
#pragma once

#include <relate/relate.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace orm_test {

struct User {
  std::int64_t id{};
  std::string name{};
};

struct Post {
  std::int64_t id{};
  std::string title{};
  std::string content{};
  std::optional<std::int64_t> user_id{};
};

inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key),
                     column(&User::name, "name", length(100), indexed));
}

inline auto relate_mapping(relate::model<Post>) {
  using namespace relate::orm;
  return table<Post>("posts", column(&Post::id, "id", primary_key), column(&Post::title, "title"),
                     column(&Post::content, "content"),
                     column(&Post::user_id, "user_id", foreign_key(&User::id, on_delete::cascade)));
}

/// One member of every supported type, plain and optional.
struct Everything {
  std::int64_t id{};
  std::int16_t small{};
  std::int32_t medium{};
  std::int64_t big{};
  double real{};
  bool flag{};
  std::string text{};
  relate::blob bytes{};
  relate::timestamp at{};
  std::chrono::sys_time<std::chrono::seconds> at_seconds{};
  relate::date day{};
  std::optional<std::int32_t> maybe_int{};
  std::optional<double> maybe_real{};
  std::optional<bool> maybe_flag{};
  std::optional<std::string> maybe_text{};
  std::optional<relate::blob> maybe_bytes{};
  std::optional<relate::timestamp> maybe_at{};
  std::optional<relate::date> maybe_day{};
};

inline auto relate_mapping(relate::model<Everything>) {
  using namespace relate::orm;
  return table<Everything>(
      "everything", column(&Everything::id, "id", primary_key), column(&Everything::small, "small"),
      column(&Everything::medium, "medium"), column(&Everything::big, "big"),
      column(&Everything::real, "real_value"), column(&Everything::flag, "flag"),
      column(&Everything::text, "text_value"), column(&Everything::bytes, "bytes"),
      column(&Everything::at, "at"), column(&Everything::at_seconds, "at_seconds"),
      column(&Everything::day, "day"), column(&Everything::maybe_int, "maybe_int"),
      column(&Everything::maybe_real, "maybe_real"), column(&Everything::maybe_flag, "maybe_flag"),
      column(&Everything::maybe_text, "maybe_text"), column(&Everything::maybe_bytes, "maybe_bytes"),
      column(&Everything::maybe_at, "maybe_at"), column(&Everything::maybe_day, "maybe_day"));
}

/// A composite primary key (no autoincrement).
struct Membership {
  std::int64_t group_id{};
  std::string member{};
  std::int32_t rank{};
};

inline auto relate_mapping(relate::model<Membership>) {
  using namespace relate::orm;
  return table<Membership>("memberships", column(&Membership::group_id, "group_id"),
                           column(&Membership::member, "member", length(50)),
                           column(&Membership::rank, "rank"),
                           primary_key_constraint(&Membership::group_id, &Membership::member));
}

/// Constraints and defaults.
struct Account {
  std::int64_t id{};
  std::string email{};
  std::int32_t balance{};
  std::string status{};               // server default 'new'
  std::optional<std::string> note{};  // nullable
  std::string plan{};                 // client default "free"
  std::int32_t tries{};               // client default from a function
};

inline auto relate_mapping(relate::model<Account>) {
  using namespace relate::orm;
  return table<Account>("accounts", column(&Account::id, "id", primary_key),
                        column(&Account::email, "email", length(200), unique),
                        column(&Account::balance, "balance", check("balance >= 0")),
                        column(&Account::status, "status", server_default("new")),
                        column(&Account::note, "note"), column(&Account::plan, "plan", default_value("free")),
                        column(&Account::tries, "tries", default_fn([] { return 3; })));
}

/// An explicit (not generated) integer key and a server default: rows are
/// matched to objects by their key when several go in one INSERT.
struct Tagged {
  std::int64_t id{};
  std::string label{};
  std::string state{};  // server default 'fresh'
};

inline auto relate_mapping(relate::model<Tagged>) {
  using namespace relate::orm;
  return table<Tagged>("tagged", column(&Tagged::id, "id", primary_key, autoincrement(false)),
                       column(&Tagged::label, "label"),
                       column(&Tagged::state, "state", server_default("fresh")));
}

/// Optimistic locking: a version column the flush maintains.
struct Versioned {
  std::int64_t id{};
  std::string text{};
  std::int64_t version{};
};

inline auto relate_mapping(relate::model<Versioned>) {
  using namespace relate::orm;
  return table<Versioned>("versioned", column(&Versioned::id, "id", primary_key),
                          column(&Versioned::text, "text"),
                          column(&Versioned::version, "version", version_id));
}

}  // namespace orm_test
