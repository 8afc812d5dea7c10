// SPDX-License-Identifier: MIT
// relate::timestamp_tz: an instant for a TIMESTAMP WITH TIME ZONE column.
//
//   struct Meeting { std::int64_t id{}; relate::timestamp_tz starts{}; };
//   using namespace std::chrono;
//   m.starts = relate::timestamp_tz::at_offset(local_days{2024y / March / 10} + 1h + 30min, -5h);
//   m.starts = *relate::timestamp_tz::parse("2024-03-10T01:30:00-05:00");
//
// The rule, the same on every database: a timestamp_tz is an instant, kept in
// UTC.  The offset it was given in is not stored (PostgreSQL's timestamptz
// keeps none either): it reads back as the same instant, in UTC.  PostgreSQL
// stores it in TIMESTAMPTZ (relate's sessions run in UTC); SQLite as the UTC
// time in its DATETIME text.  relate has no time zone database: convert a
// zone's local time to an offset (or a sys_time) before you store it; where
// the standard library has one, timestamp_tz(zoned.get_sys_time()) does.
// A plain relate::timestamp member is TIMESTAMP WITHOUT TIME ZONE instead.
#pragma once

#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace relate {

class timestamp_tz {
 public:
  /// 1970-01-01 00:00:00 UTC.
  constexpr timestamp_tz() noexcept = default;
  /// The instant t (a sys_time is UTC); finer than microseconds is truncated.
  template <class D>
  constexpr explicit timestamp_tz(std::chrono::sys_time<D> t) noexcept
      : utc_(std::chrono::time_point_cast<std::chrono::microseconds>(t)) {}

  /// The instant at which clocks `offset` from UTC show `local`:
  /// at_offset(local 01:30, -5h) is 06:30 UTC.
  template <class D>
  static timestamp_tz at_offset(std::chrono::local_time<D> local, std::chrono::minutes offset) {
    return timestamp_tz(std::chrono::sys_time<D>(local.time_since_epoch()) - offset);
  }
  /// ISO 8601 text with an offset ("2024-03-10T01:30:00-05:00", "...Z");
  /// text without one is UTC.  nullopt for anything else.
  static std::optional<timestamp_tz> parse(std::string_view text) {
    auto t = parse_timestamp(text);
    if (!t) return std::nullopt;
    return timestamp_tz(*t);
  }

  /// The instant, in UTC.
  constexpr timestamp utc() const noexcept { return utc_; }
  /// "YYYY-MM-DD HH:MM:SS.ffffff+00:00".
  std::string str() const { return format_timestamp(utc_) + "+00:00"; }

  friend constexpr auto operator<=>(const timestamp_tz&, const timestamp_tz&) noexcept = default;

 private:
  timestamp utc_{};
};

template <>
struct type_conversion<timestamp_tz> {
  using base_type = timestamp;
  static constexpr std::string_view name = "timestamp with time zone";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    t.kind = sql::type_kind::timestamp_tz;
    return t;
  }
  static timestamp to_base(const timestamp_tz& t) { return t.utc(); }
  static timestamp_tz from_base(timestamp utc) { return timestamp_tz(utc); }
};

}  // namespace relate
