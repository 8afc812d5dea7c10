// SPDX-License-Identifier: MIT
// An object's column values as last loaded or flushed: what the flush
// compares its members with to find what changed.
//
// One allocation per object holds every value, text and bytes included.  A
// std::vector<value> took one for the vector and one per string longer than
// the small-string buffer, and a tracked load pays for its snapshot on every
// row (issue 20: the snapshot was the largest cost of query().all() after
// reading the rows themselves).
#pragma once

#include <relate/export.hpp>
#include <relate/value.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

namespace relate::orm::detail {

/// A view of one value: its kind, and its scalar or its bytes (text, blob).
/// The bytes belong to whatever the cell was made from.
struct snapshot_cell {
  value_kind kind = value_kind::null;
  std::int64_t scalar = 0;  // integer, bool, microseconds, days; a double's bits
  std::string_view bytes;   // text, blob

  static snapshot_cell of(const value& v) noexcept;
  static snapshot_cell text(std::string_view s) noexcept { return {value_kind::text, 0, s}; }
  static snapshot_cell integer(std::int64_t i) noexcept { return {value_kind::integer, i, {}}; }
  bool is_null() const noexcept { return kind == value_kind::null; }
  /// The value the cell views (a copy of its bytes).
  RELATE_API value to_value() const;
  /// Same kind and same contents: what the conversions' equals() means.
  friend bool operator==(const snapshot_cell& a, const snapshot_cell& b) noexcept {
    return a.kind == b.kind && a.scalar == b.scalar && a.bytes == b.bytes;
  }
};

class RELATE_API snapshot {
 public:
  snapshot() noexcept = default;
  snapshot(snapshot&&) noexcept = default;
  snapshot& operator=(snapshot&&) noexcept = default;

  bool empty() const noexcept { return count_ == 0; }
  std::size_t size() const noexcept { return count_; }
  void clear() noexcept {
    data_.reset();
    count_ = 0;
  }
  /// Holds a copy of these cells (their bytes copied in).
  void assign(std::span<const snapshot_cell> cells);
  /// Column i (valid until the snapshot changes).
  snapshot_cell at(std::size_t i) const noexcept;
  /// Column i as a value.
  value get(std::size_t i) const { return at(i).to_value(); }
  /// Holds a copy of these values.
  void assign(std::span<const value> values);
  /// Column i <- v, the others kept (i < size()).
  void set(std::size_t i, const value& v);
  /// The columns of mask (bit i: column i) <- values, in column order; the
  /// others kept.
  void replace(std::uint64_t mask, std::span<const value> values);

 private:
  struct slot {
    std::int64_t scalar;   // or the offset of the bytes
    std::uint32_t length;  // of the bytes
    value_kind kind;
  };
  const slot* slots() const noexcept { return reinterpret_cast<const slot*>(data_.get()); }

  std::unique_ptr<std::byte[]> data_;  // count_ slots, then the bytes
  std::uint32_t count_ = 0;
};

inline snapshot_cell snapshot_cell::of(const value& v) noexcept {
  snapshot_cell c;
  c.kind = v.kind();
  switch (c.kind) {
    case value_kind::null:
      break;
    case value_kind::boolean:
      c.scalar = *v.get_if<bool>() ? 1 : 0;
      break;
    case value_kind::integer:
      c.scalar = *v.get_if<std::int64_t>();
      break;
    case value_kind::real: {
      const double d = *v.get_if<double>();
      std::memcpy(&c.scalar, &d, sizeof d);
      break;
    }
    case value_kind::text:
      c.bytes = *v.get_if<std::string>();
      break;
    case value_kind::blob: {
      const auto& b = *v.get_if<blob>();
      c.bytes = std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
      break;
    }
    case value_kind::timestamp:
      c.scalar = v.get_if<timestamp>()->time_since_epoch().count();
      break;
    case value_kind::date:
      c.scalar = v.get_if<date>()->time_since_epoch().count();
      break;
    case value_kind::interval:
      c.scalar = v.get_if<interval>()->count();
      break;
  }
  return c;
}

}  // namespace relate::orm::detail
