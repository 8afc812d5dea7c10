// SPDX-License-Identifier: MIT
#include "sql/generated_name.hpp"

#include <cstdint>

namespace relate::sql::detail {

namespace {

// FNV-1a: stable across runs and platforms, so the DDL of one schema is the
// same wherever it is compiled.
std::uint32_t fnv1a(const std::string& s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string fit_generated_name(std::string name, std::size_t limit) {
  static constexpr std::size_t suffix_length = 9;  // "_" and eight hex digits
  if (limit == 0 || name.size() <= limit) return name;
  const std::uint32_t hash = fnv1a(name);
  std::size_t head = limit > suffix_length ? limit - suffix_length : 0;
  while (head > 0 && is_continuation_byte(name[head])) --head;
  name.resize(head);
  static constexpr char digits[] = "0123456789abcdef";
  name.push_back('_');
  for (int shift = 28; shift >= 0; shift -= 4) name.push_back(digits[(hash >> shift) & 0xf]);
  return name;
}

}  // namespace relate::sql::detail
