// SPDX-License-Identifier: MIT
// A mapped object's column members, read and written through the mapper's
// conversion table (column_entry::ops), and the bit masks that name sets of
// columns (changed, sent, generated).  One definition for the session, the
// unit of work and the loaders.
#pragma once

#include <relate/orm/instance.hpp>
#include <relate/orm/mapper.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>

namespace relate::orm::detail {

/// The address of column c's member inside s's object.
inline void* member_of(const instance_state& s, const column_entry& c) {
  return static_cast<char*>(s.object()) + c.offset;
}

/// The value of column i's member (not of the row: see the snapshot for that).
inline value read_column(const instance_state& s, std::size_t i) {
  const auto& c = s.get_mapper().columns()[i];
  return c.ops->read(member_of(s, c));
}

/// Column i in a mask of columns (a mapper has at most 64).
constexpr std::uint64_t column_bit(std::size_t i) { return std::uint64_t{1} << i; }

/// Where column i is among an object's cells in a row that leaves out the
/// `deferred` columns (column i itself must not be one of them).  Without
/// deferred columns no popcount runs (without -mpopcnt it is a call).
constexpr std::size_t row_position(std::uint64_t deferred, std::size_t i) {
  return deferred ? i - static_cast<std::size_t>(std::popcount(deferred & (column_bit(i) - 1))) : i;
}

}  // namespace relate::orm::detail
