// SPDX-License-Identifier: MIT
// The model of the replica tests: one note per row, whose body tells which
// database a read came from.
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <string>

namespace production_test {

struct Note {
  std::int64_t id{};
  std::string body{};
};

inline auto relate_mapping(relate::model<Note>) {
  using namespace relate::orm;
  return table<Note>("notes", column(&Note::id, "id", primary_key), column(&Note::body, "body"));
}

inline const relate::transaction_options read_only{.read_only = true};

}  // namespace production_test
