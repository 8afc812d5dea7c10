// SPDX-License-Identifier: MIT
// The one table that says how a C++ type meets a column (SOCI's
// type_conversion<T>): its SQL type, how a cell of a result is read into it,
// how it becomes a bound value and back, and how it compares with a value
// without allocating.  row::get<T> (engine.hpp) and the mapper's column
// operations (orm/mapping.hpp) both read cells through it.
//
// The table holds the types a mapped member may have.  row::get<T> accepts a
// few more that only make sense when reading: any other integer type
// (range-checked like the mapped ones), float, std::string_view (valid until
// the cursor moves) and relate::value.
#pragma once

#include <relate/driver/driver.hpp>
#include <relate/sql/types.hpp>
#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

namespace relate::detail {

// optional_traits: relate/value.hpp, shared with the SQL layer's type rules.
template <class T>
using is_optional = std::bool_constant<optional_traits<T>::nullable>;
template <class T>
struct unwrap_optional {
  using type = typename optional_traits<T>::base;
};

/// Throws the data_error of a cell that does not convert to the C++ type
/// asked for (what: what the type is called), naming the column and the value.
[[noreturn]] RELATE_API void throw_invalid_cell(const native_cursor& c, std::size_t i, std::string_view what);

/// v fits in T without changing its value (narrowing silently would turn
/// 3000000000 into a negative id).
template <class T>
constexpr bool fits_in(std::int64_t v) noexcept {
  if constexpr (std::is_signed_v<T>)
    return v >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
           v <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
  else
    return v >= 0 && static_cast<std::uint64_t>(v) <= std::numeric_limits<T>::max();
}

/// How one supported C++ type is stored: its SQL type and its conversions.
/// `supported` is false for every other type.  from_cursor reads a non-NULL
/// cell; for integers the caller checks the range first (fits_in).  A
/// conversion whose reads can fail (a user type's from_base refusing a value)
/// also has try_from_cursor, which the ORM uses to name the column.
template <class M>
struct conversion {
  static constexpr bool supported = false;
};

/// The column type of a supported type: conversion<M>::type() where a type
/// needs more than a kind (arrays, enumerations), else its kind.
template <class M>
sql::sql_type column_sql_type() {
  if constexpr (requires { conversion<M>::type(); }) {
    return conversion<M>::type();
  } else {
    sql::sql_type t;
    t.kind = conversion<M>::kind;
    return t;
  }
}
template <class I, sql::type_kind K>
struct integer_traits {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = K;
  static value to_value(I v) { return value(static_cast<std::int64_t>(v)); }
  static I from_cursor(const native_cursor& c, std::size_t i) { return static_cast<I>(c.get_int64(i)); }
  static bool equals(I m, const value& v) {
    auto p = v.get_if<std::int64_t>();
    return p && *p == static_cast<std::int64_t>(m);
  }
  static std::optional<I> from_value(const value& v) {
    if (auto p = v.get_if<std::int64_t>()) return static_cast<I>(*p);
    if (auto b = v.get_if<bool>()) return static_cast<I>(*b);
    return std::nullopt;
  }
};
template <>
struct conversion<std::int16_t> : integer_traits<std::int16_t, sql::type_kind::small_integer> {};
template <>
struct conversion<std::int32_t> : integer_traits<std::int32_t, sql::type_kind::integer> {};
template <>
struct conversion<std::int64_t> : integer_traits<std::int64_t, sql::type_kind::big_integer> {};

template <>
struct conversion<double> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::real;
  static value to_value(double v) { return value(v); }
  static double from_cursor(const native_cursor& c, std::size_t i) { return c.get_double(i); }
  static bool equals(double m, const value& v) {
    auto p = v.get_if<double>();
    return p && *p == m;
  }
  static std::optional<double> from_value(const value& v) {
    if (auto p = v.get_if<double>()) return *p;
    if (auto p = v.get_if<std::int64_t>()) return static_cast<double>(*p);
    return std::nullopt;
  }
};

template <>
struct conversion<bool> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::boolean;
  static value to_value(bool v) { return value(v); }
  static bool from_cursor(const native_cursor& c, std::size_t i) { return c.get_bool(i); }
  static bool equals(bool m, const value& v) {
    auto p = v.get_if<bool>();
    return p && *p == m;
  }
  static std::optional<bool> from_value(const value& v) {
    if (auto p = v.get_if<bool>()) return *p;
    if (auto p = v.get_if<std::int64_t>()) return *p != 0;
    return std::nullopt;
  }
};

template <>
struct conversion<std::string> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::text;
  static value to_value(const std::string& v) { return value(v); }
  static std::string from_cursor(const native_cursor& c, std::size_t i) { return std::string(c.get_text(i)); }
  static bool equals(const std::string& m, const value& v) {
    auto p = v.get_if<std::string>();
    return p && *p == m;
  }
  static std::optional<std::string> from_value(const value& v) {
    if (auto p = v.get_if<std::string>()) return *p;
    return std::nullopt;
  }
};

template <>
struct conversion<blob> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::blob;
  static value to_value(const blob& v) { return value(v); }
  static blob from_cursor(const native_cursor& c, std::size_t i) { return c.get_blob(i); }
  static bool equals(const blob& m, const value& v) {
    auto p = v.get_if<blob>();
    return p && *p == m;
  }
  static std::optional<blob> from_value(const value& v) {
    if (auto p = v.get_if<blob>()) return *p;
    return std::nullopt;
  }
};

template <>
struct conversion<date> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::date;
  static value to_value(date v) { return value(v); }
  static date from_cursor(const native_cursor& c, std::size_t i) { return c.get_date(i); }
  static bool equals(date m, const value& v) {
    auto p = v.get_if<date>();
    return p && *p == m;
  }
  static std::optional<date> from_value(const value& v) {
    if (auto p = v.get_if<date>()) return *p;
    if (auto p = v.get_if<std::string>()) return parse_date(*p);
    return std::nullopt;
  }
};

// Any sys_time<Duration> other than sys_days is a TIMESTAMP, stored with
// microsecond precision (finer durations are truncated).
template <class D>
struct conversion<std::chrono::sys_time<D>> {
  using time = std::chrono::sys_time<D>;
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::timestamp;
  static timestamp to_micro(time t) { return std::chrono::time_point_cast<std::chrono::microseconds>(t); }
  static value to_value(time v) { return value(to_micro(v)); }
  static time from_cursor(const native_cursor& c, std::size_t i) {
    return std::chrono::time_point_cast<D>(c.get_timestamp(i));
  }
  static bool equals(time m, const value& v) {
    auto p = v.get_if<timestamp>();
    return p && *p == to_micro(m);
  }
  static std::optional<time> from_value(const value& v) {
    if (auto p = v.get_if<timestamp>()) return std::chrono::time_point_cast<D>(*p);
    if (auto p = v.get_if<std::string>()) {
      if (auto t = parse_timestamp(*p)) return std::chrono::time_point_cast<D>(*t);
    }
    return std::nullopt;
  }
};

// Any std::chrono::duration is an INTERVAL, stored with microsecond
// precision (finer durations are truncated).
template <class Rep, class Period>
struct conversion<std::chrono::duration<Rep, Period>> {
  using length = std::chrono::duration<Rep, Period>;
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::interval;
  static value to_value(length v) { return value(v); }
  static length from_cursor(const native_cursor& c, std::size_t i) {
    return std::chrono::duration_cast<length>(c.get_interval(i));
  }
  static bool equals(length m, const value& v) {
    auto p = v.get_if<interval>();
    return p && *p == std::chrono::duration_cast<interval>(m);
  }
  static std::optional<length> from_value(const value& v) {
    if (auto p = v.get_if<interval>()) return std::chrono::duration_cast<length>(*p);
    return std::nullopt;
  }
};

/// A type stored through its type_conversion (relate/type_conversion.hpp) as
/// its base type, which must be one relate stores.
template <has_type_conversion M>
struct conversion<M> {
  using user = type_conversion<M>;
  using base_type = typename user::base_type;
  using base = conversion<base_type>;
  static_assert(
      base::supported,
      "relate::type_conversion<T>::base_type must be a type relate stores: an integer type, double, "
      "bool, std::string, relate::blob, relate::date, std::chrono::sys_time<D>, a "
      "std::chrono::duration, or another type with a type_conversion");
  static constexpr bool supported = true;

  static sql::sql_type type() {
    if constexpr (requires { user::sql_type(); })
      return user::sql_type();
    else
      return column_sql_type<base_type>();
  }
  static value to_value(const M& m) { return base::to_value(user::to_base(m)); }
  /// The cell as the base type, or nullopt if it is out of the base type's range.
  static std::optional<base_type> base_from_cursor(const native_cursor& c, std::size_t i) {
    if constexpr (std::is_integral_v<base_type> && !std::is_same_v<base_type, bool>) {
      const std::int64_t v = c.get_int64(i);
      if (!fits_in<base_type>(v)) return std::nullopt;
      return static_cast<base_type>(v);
    } else if constexpr (requires { base::try_from_cursor(c, i); }) {
      return base::try_from_cursor(c, i);
    } else {
      return base::from_cursor(c, i);
    }
  }
  /// nullopt: the cell is not a valid M (from_base refused it).
  static std::optional<M> try_from_cursor(const native_cursor& c, std::size_t i) {
    auto b = base_from_cursor(c, i);
    if (!b) return std::nullopt;
    return from_base<M>(std::move(*b));
  }
  static M from_cursor(const native_cursor& c, std::size_t i) {
    if (auto m = try_from_cursor(c, i)) return std::move(*m);
    throw_invalid_cell(c, i, user_type_name<M>());
  }
  static bool equals(const M& m, const value& v) { return base::equals(user::to_base(m), v); }
  static std::optional<M> from_value(const value& v) {
    auto b = base::from_value(v);
    if (!b) return std::nullopt;
    return from_base<M>(std::move(*b));
  }
};

}  // namespace relate::detail
