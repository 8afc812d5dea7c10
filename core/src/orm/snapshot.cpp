// SPDX-License-Identifier: MIT
#include <relate/orm/snapshot.hpp>

#include <vector>

namespace relate::orm::detail {

value snapshot_cell::to_value() const {
  switch (kind) {
    case value_kind::null:
      return value();
    case value_kind::boolean:
      return value(scalar != 0);
    case value_kind::integer:
      return value(scalar);
    case value_kind::real: {
      double d = 0;
      std::memcpy(&d, &scalar, sizeof d);
      return value(d);
    }
    case value_kind::text:
      return value(std::string(bytes));
    case value_kind::blob: {
      const auto* first = reinterpret_cast<const std::byte*>(bytes.data());
      return value(blob(first, first + bytes.size()));
    }
    case value_kind::timestamp:
      return value(timestamp(std::chrono::microseconds(scalar)));
    case value_kind::date:
      return value(date(std::chrono::days(scalar)));
    case value_kind::interval:
      return value(interval(scalar));
  }
  return value();
}

void snapshot::assign(std::span<const snapshot_cell> cells) {
  std::size_t bytes = 0;
  for (const auto& c : cells) bytes += c.bytes.size();
  const std::size_t head = cells.size() * sizeof(slot);
  auto data = std::make_unique_for_overwrite<std::byte[]>(head + bytes);
  auto* out = reinterpret_cast<slot*>(data.get());
  std::size_t at = head;
  for (const auto& c : cells) {
    slot s{c.scalar, static_cast<std::uint32_t>(c.bytes.size()), c.kind};
    if (c.kind == value_kind::text || c.kind == value_kind::blob) {
      s.scalar = static_cast<std::int64_t>(at);
      if (!c.bytes.empty()) std::memcpy(data.get() + at, c.bytes.data(), c.bytes.size());
      at += c.bytes.size();
    }
    *out++ = s;
  }
  data_ = std::move(data);
  count_ = static_cast<std::uint32_t>(cells.size());
}

snapshot_cell snapshot::at(std::size_t i) const noexcept {
  const slot& s = slots()[i];
  if (s.kind == value_kind::text || s.kind == value_kind::blob)
    return {s.kind, 0,
            std::string_view(reinterpret_cast<const char*>(data_.get()) + static_cast<std::size_t>(s.scalar),
                             s.length)};
  return {s.kind, s.scalar, {}};
}

void snapshot::assign(std::span<const value> values) {
  std::vector<snapshot_cell> cells;
  cells.reserve(values.size());
  for (const auto& v : values) cells.push_back(snapshot_cell::of(v));
  assign(cells);
}

void snapshot::set(std::size_t i, const value& v) { replace(std::uint64_t{1} << i, std::span(&v, 1)); }

void snapshot::replace(std::uint64_t mask, std::span<const value> values) {
  // Rebuilt whole: this runs for the objects a flush wrote, not per row loaded.
  std::vector<snapshot_cell> cells(count_);
  std::size_t next = 0;
  for (std::size_t k = 0; k < count_; ++k)
    cells[k] =
        (mask & (std::uint64_t{1} << k)) && next < values.size() ? snapshot_cell::of(values[next++]) : at(k);
  assign(cells);  // copies from the old block before it is freed
}

}  // namespace relate::orm::detail
