// SPDX-License-Identifier: MIT
// relate::value: one SQL value as it travels between the library and a driver.
//
// Bound parameters, default values and the cells of raw result rows are all
// values.  The set of alternatives is the set of types every driver must be
// able to bind; drivers translate them into their native representation
// (SQLite storage classes, PostgreSQL text-format parameters).
#pragma once

#include <relate/export.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace relate {

/// Binary data (SQLite BLOB, PostgreSQL bytea).
using blob = std::vector<std::byte>;

/// A point in time with microsecond precision, in UTC (SQL TIMESTAMP).
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// A calendar date (SQL DATE).
using date = std::chrono::sys_days;

/// A length of time with microsecond precision (SQL INTERVAL): what any
/// std::chrono::duration becomes as a value (finer ones are truncated).
using interval = std::chrono::microseconds;

/// The SQL NULL, as a value to bind.
struct null_t {
  friend constexpr bool operator==(null_t, null_t) noexcept { return true; }
};
inline constexpr null_t null{};

/// Which alternative a value or a result cell holds.
enum class value_kind : std::uint8_t { null, boolean, integer, real, text, blob, timestamp, date, interval };

RELATE_API std::string_view to_string(value_kind kind) noexcept;

class value {
 public:
  using storage =
      std::variant<null_t, bool, std::int64_t, double, std::string, blob, timestamp, date, interval>;

  value() noexcept = default;
  value(null_t) noexcept {}
  value(std::nullopt_t) noexcept {}
  value(bool b) noexcept : v_(b) {}
  template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>) value(I i)
  noexcept : v_(static_cast<std::int64_t>(i)) {}
  value(double d) noexcept : v_(d) {}
  value(float f) noexcept : v_(static_cast<double>(f)) {}
  value(std::string s) noexcept : v_(std::move(s)) {}
  value(std::string_view s) : v_(std::string(s)) {}
  value(const char* s) : v_(std::string(s)) {}
  value(blob b) noexcept : v_(std::move(b)) {}
  value(timestamp t) noexcept : v_(t) {}
  value(date d) noexcept : v_(d) {}
  template <class Rep, class Period>
  value(std::chrono::duration<Rep, Period> d) noexcept : v_(std::chrono::duration_cast<interval>(d)) {}
  template <class T>
  value(const std::optional<T>& o) : value(o ? value(*o) : value()) {}

  value_kind kind() const noexcept { return static_cast<value_kind>(v_.index()); }
  bool is_null() const noexcept { return v_.index() == 0; }

  const storage& get_storage() const noexcept { return v_; }

  template <class T>
  const T* get_if() const noexcept {
    return std::get_if<T>(&v_);
  }

  friend bool operator==(const value&, const value&) = default;

 private:
  storage v_;
};

/// The value as SQL-ish text for logs (strings quoted, blobs summarised).
RELATE_API std::string to_log_string(const value& v);

/// ISO-8601 text, "YYYY-MM-DD HH:MM:SS.ffffff", the format SQLAlchemy stores
/// in SQLite and PostgreSQL accepts as a timestamp literal.
RELATE_API std::string format_timestamp(timestamp t);
RELATE_API std::string format_date(date d);
/// Parses what format_timestamp writes, and the variants databases return
/// ("T" separator, fewer fraction digits, a trailing "Z" or "+HH[:MM]" offset).
RELATE_API std::optional<timestamp> parse_timestamp(std::string_view text);
RELATE_API std::optional<date> parse_date(std::string_view text);
/// Time of day as "HH:MM:SS.ffffff" (what SQLAlchemy stores for TIME in
/// SQLite), and back from that and from PostgreSQL's "HH:MM:SS[.f]".
RELATE_API std::string format_time_of_day(std::chrono::microseconds since_midnight);
RELATE_API std::optional<std::chrono::microseconds> parse_time_of_day(std::string_view text);

namespace detail {

/// std::optional<T> is T that may be NULL: the one definition the value
/// conversions (relate/conversion.hpp) and the SQL layer's type rules
/// (relate/sql/expression.hpp) share.
template <class T>
struct optional_traits {
  using base = T;
  static constexpr bool nullable = false;
};
template <class T>
struct optional_traits<std::optional<T>> {
  using base = T;
  static constexpr bool nullable = true;
};

}  // namespace detail

}  // namespace relate
