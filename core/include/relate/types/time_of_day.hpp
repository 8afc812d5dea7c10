// SPDX-License-Identifier: MIT
// relate::time_of_day: a wall-clock time without a date (SQL TIME), to the
// microsecond.
//
//   struct Shop { std::int64_t id{}; relate::time_of_day opens{}; };
//   shop.opens = relate::time_of_day(std::chrono::hours(9), std::chrono::minutes(30));
//
// PostgreSQL stores it in a TIME column; SQLite as "HH:MM:SS.ffffff" text
// in a TIME column, as SQLAlchemy's Time type does.  Durations (how long
// something takes) are std::chrono::duration members instead: INTERVAL.
#pragma once

#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace relate {

class time_of_day {
 public:
  /// Midnight.
  constexpr time_of_day() noexcept = default;
  /// The time this long after midnight: from 0 to 24 hours (24:00:00, the
  /// end of the day, as PostgreSQL allows); otherwise std::out_of_range.
  explicit time_of_day(std::chrono::microseconds since_midnight) : since_midnight_(since_midnight) {
    if (since_midnight < std::chrono::microseconds::zero() || since_midnight > std::chrono::hours(24))
      throw std::out_of_range("relate::time_of_day: " + std::to_string(since_midnight.count()) +
                              " microseconds is not a time of day (0 to 24 hours)");
  }
  time_of_day(std::chrono::hours h, std::chrono::minutes m,
              std::chrono::seconds s = std::chrono::seconds::zero(),
              std::chrono::microseconds us = std::chrono::microseconds::zero())
      : time_of_day(h + m + s + us) {}

  constexpr std::chrono::microseconds since_midnight() const noexcept { return since_midnight_; }
  /// Hours, minutes, seconds and the fraction.
  constexpr std::chrono::hh_mm_ss<std::chrono::microseconds> parts() const noexcept {
    return std::chrono::hh_mm_ss<std::chrono::microseconds>(since_midnight_);
  }
  /// "HH:MM:SS.ffffff".
  std::string str() const { return format_time_of_day(since_midnight_); }
  /// "HH:MM", "HH:MM:SS" or "HH:MM:SS.f..."; nullopt for anything else.
  static std::optional<time_of_day> parse(std::string_view text) {
    auto t = parse_time_of_day(text);
    if (!t) return std::nullopt;
    return time_of_day(*t);
  }

  friend constexpr auto operator<=>(const time_of_day&, const time_of_day&) noexcept = default;

 private:
  std::chrono::microseconds since_midnight_{};
};

template <>
struct type_conversion<time_of_day> {
  using base_type = std::string;
  static constexpr std::string_view name = "time of day";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    t.kind = sql::type_kind::time;
    return t;
  }
  static std::string to_base(const time_of_day& t) { return t.str(); }
  static std::optional<time_of_day> from_base(const std::string& text) { return time_of_day::parse(text); }
};

}  // namespace relate
