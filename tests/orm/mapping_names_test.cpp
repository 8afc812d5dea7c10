// SPDX-License-Identifier: MIT
// Mapping option names must not collide with the C library's.  glibc's
// <cstring> pulls in <strings.h>, which declares POSIX index(3) globally, so a
// bare `index` in a mapping written after `using namespace relate::orm;` (as
// the README writes mappings) is ambiguous; `indexed` is the name to use.
#include <strings.h>
#include <cstring>  // first, as in a program that uses C strings

#include <relate/orm.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace orm_test {
namespace {

struct Tag {
  std::int64_t id{};
  std::string label{};
};

auto relate_mapping(relate::model<Tag>) {
  using namespace relate::orm;
  return table<Tag>("tags", column(&Tag::id, "id", primary_key), column(&Tag::label, "label", indexed));
}

TEST(orm_mapping_errors, indexed_compiles_beside_posix_index_and_declares_an_index) {
  EXPECT_NE(std::strlen("posix"), 0u);  // <cstring> is really in use here
  const auto def = relate::orm::mapper_of<Tag>().table_definition();
  ASSERT_EQ(def.indexes.size(), 1u);
  EXPECT_EQ(def.indexes[0].columns, std::vector<std::string>{"label"});
  EXPECT_FALSE(def.indexes[0].unique);
}

}  // namespace
}  // namespace orm_test
