// SPDX-License-Identifier: MIT
// Relationship declarations that only fail when both models are known: each
// throws usage_error when registered, naming the model and what to do.
#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace rel_mapping {
namespace {

struct Person;
/// Two foreign keys to people and no foreign_keys(...) to choose one.
struct Letter {
  std::int64_t id{};
  std::optional<std::int64_t> from_id{};
  std::optional<std::int64_t> to_id{};
  relate::one<Person> from{};
};
struct Person {
  std::int64_t id{};
  relate::many<Letter> letters{};  // ambiguous too
};
inline auto relate_mapping(relate::model<Letter>) {
  using namespace relate::orm;
  return table<Letter>("letters", column(&Letter::id, "id", primary_key),
                       column(&Letter::from_id, "from_id", foreign_key(&Person::id)),
                       column(&Letter::to_id, "to_id", foreign_key(&Person::id)),
                       relationship(&Letter::from));
}
inline auto relate_mapping(relate::model<Person>) {
  using namespace relate::orm;
  return table<Person>("people", column(&Person::id, "id", primary_key));
}

/// back_populates on one side only.
struct Shelf;
struct Item {
  std::int64_t id{};
  std::optional<std::int64_t> shelf_id{};
  relate::one<Shelf> shelf{};
};
struct Shelf {
  std::int64_t id{};
  relate::many<Item> items{};
};
inline auto relate_mapping(relate::model<Item>) {
  using namespace relate::orm;
  return table<Item>("items", column(&Item::id, "id", primary_key),
                     column(&Item::shelf_id, "shelf_id", foreign_key(&Shelf::id)),
                     relationship(&Item::shelf));
}
inline auto relate_mapping(relate::model<Shelf>) {
  using namespace relate::orm;
  return table<Shelf>("shelves", column(&Shelf::id, "id", primary_key),
                      relationship(&Shelf::items, back_populates(&Item::shelf)));
}

/// A many<> whose foreign key is in its own table, and one with no key at all.
struct Box;
struct Crate {
  std::int64_t id{};
  std::optional<std::int64_t> box_id{};
  relate::many<Box> boxes{};
};
struct Box {
  std::int64_t id{};
  relate::many<Person> owners{};  // people have no key to boxes
};
inline auto relate_mapping(relate::model<Crate>) {
  using namespace relate::orm;
  return table<Crate>("crates", column(&Crate::id, "id", primary_key),
                      column(&Crate::box_id, "box_id", foreign_key(&Box::id)),
                      relationship(&Crate::boxes, foreign_keys(&Crate::box_id)));
}
inline auto relate_mapping(relate::model<Box>) {
  using namespace relate::orm;
  return table<Box>("boxes", column(&Box::id, "id", primary_key), relationship(&Box::owners));
}

/// post_update on a key that cannot be NULL.
struct Cell {
  std::int64_t id{};
  std::int64_t next_id{};
  relate::one<Cell> next{};
};
inline auto relate_mapping(relate::model<Cell>) {
  using namespace relate::orm;
  return table<Cell>("cells", column(&Cell::id, "id", primary_key),
                     column(&Cell::next_id, "next_id", foreign_key(&Cell::id)),
                     relationship(&Cell::next, post_update));
}

/// A relationship that joins on a column its target defers.
struct Code {
  std::int64_t id{};
  std::string code{};
};
struct Coded {
  std::int64_t id{};
  std::optional<std::string> code{};
  relate::one<Code> kind{};
};
inline auto relate_mapping(relate::model<Code>) {
  using namespace relate::orm;
  return table<Code>("codes", column(&Code::id, "id", primary_key),
                     column(&Code::code, "code", unique, deferred));
}
inline auto relate_mapping(relate::model<Coded>) {
  using namespace relate::orm;
  return table<Coded>("coded", column(&Coded::id, "id", primary_key),
                      column(&Coded::code, "code", foreign_key(&Code::code)), relationship(&Coded::kind));
}

template <class T>
std::string registration_error() {
  relate::metadata meta;
  try {
    meta.add<T>();
  } catch (const relate::usage_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(relationship_mapping_errors, several_candidate_keys_ask_for_foreign_keys) {
  const auto m = registration_error<Letter>();
  EXPECT_NE(m.find("letters.from_id, letters.to_id"), std::string::npos) << m;
  EXPECT_NE(m.find("foreign_keys(&"), std::string::npos) << m;
}

TEST(relationship_mapping_errors, back_populates_must_be_declared_on_both_sides) {
  const auto m = registration_error<Shelf>();
  EXPECT_NE(m.find("declare back_populates on both sides"), std::string::npos) << m;
}

TEST(relationship_mapping_errors, a_collection_needs_the_key_in_the_target_table) {
  const auto m = registration_error<Crate>();
  EXPECT_NE(m.find("use relate::one<>"), std::string::npos) << m;
  const auto n = registration_error<Box>();
  EXPECT_NE(n.find("needs a foreign key from people to boxes"), std::string::npos) << n;
}

TEST(relationship_mapping_errors, post_update_needs_a_nullable_key) {
  const auto m = registration_error<Cell>();
  EXPECT_NE(m.find("cells.next_id to be nullable"), std::string::npos) << m;
}

TEST(relationship_mapping_errors, a_relationship_cannot_join_on_a_deferred_column) {
  const auto m = registration_error<Coded>();
  EXPECT_NE(m.find("joins on codes.code, which is deferred"), std::string::npos) << m;
}

}  // namespace
}  // namespace rel_mapping
