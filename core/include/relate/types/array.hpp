// SPDX-License-Identifier: MIT
// PostgreSQL arrays: a std::vector of a scalar type is a one-dimensional
// array column (BIGINT[], TEXT[], ...), and std::vector<std::optional<T>>
// one whose elements may be NULL.
//
//   struct Post { std::int64_t id{}; std::vector<std::string> tags{}; };
//   column(&Post::tags, "tags")                       // TEXT[]
//
// Elements: the integer types, double, bool, std::string, relate::date,
// relate::timestamp, and types with a type_conversion to one of them
// (relate::uuid, enumerations).  std::vector<std::byte> stays a blob.
//
// Arrays travel as PostgreSQL's array text ('{"a","b",NULL}'), so every
// element is exact.  A database without arrays (SQLite) refuses such a
// column when its table is created or a statement names it, with a
// not_supported_error: it is never stored as text that other programs would
// have to parse.
#pragma once

#include <relate/export.hpp>

#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace relate {

namespace detail {

/// '{"a","b",NULL}' from the elements' texts (nullopt: NULL); every
/// non-NULL element is quoted, so any text is exact.
RELATE_API std::string format_array_literal(const std::vector<std::optional<std::string>>& elements);
/// The elements of a one-dimensional array's text, as PostgreSQL prints it
/// (quoted or not, NULL unquoted); nullopt for anything else.
RELATE_API std::optional<std::vector<std::optional<std::string>>> parse_array_literal(std::string_view text);
RELATE_API std::string format_array_double(double d);
RELATE_API std::optional<double> parse_array_double(std::string_view text);

/// How one array element becomes text and back.
template <class E>
struct array_element {
  static constexpr bool supported = false;
};
template <class I>
requires(std::is_integral_v<I> && !std::is_same_v<I, bool> &&
         !std::is_same_v<I, char>) struct array_element<I> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sizeof(I) <= 2   ? sql::type_kind::small_integer
                                         : sizeof(I) <= 4 ? sql::type_kind::integer
                                                          : sql::type_kind::big_integer;
  static std::string to_text(I v) { return std::to_string(v); }
  static std::optional<I> from_text(std::string_view t) {
    I v{};
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
    return v;
  }
};
template <>
struct array_element<double> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::real;
  static std::string to_text(double v) { return format_array_double(v); }
  static std::optional<double> from_text(std::string_view t) { return parse_array_double(t); }
};
template <>
struct array_element<bool> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::boolean;
  static std::string to_text(bool v) { return v ? "t" : "f"; }
  static std::optional<bool> from_text(std::string_view t) {
    if (t == "t" || t == "true") return true;
    if (t == "f" || t == "false") return false;
    return std::nullopt;
  }
};
template <>
struct array_element<std::string> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::text;
  static std::string to_text(const std::string& v) { return v; }
  static std::optional<std::string> from_text(std::string_view t) { return std::string(t); }
};
template <>
struct array_element<date> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::date;
  static std::string to_text(date v) { return format_date(v); }
  static std::optional<date> from_text(std::string_view t) { return parse_date(t); }
};
template <>
struct array_element<timestamp> {
  static constexpr bool supported = true;
  static constexpr sql::type_kind kind = sql::type_kind::timestamp;
  static std::string to_text(timestamp v) { return format_timestamp(v); }
  static std::optional<timestamp> from_text(std::string_view t) { return parse_timestamp(t); }
};
/// A user type whose base type is an element type (relate::uuid, an enumeration).
template <has_type_conversion U>
requires array_element<typename type_conversion<U>::base_type>::supported struct array_element<U> {
  using base = array_element<typename type_conversion<U>::base_type>;
  static constexpr bool supported = true;
  static sql::sql_type type() {
    if constexpr (requires { type_conversion<U>::sql_type(); }) {
      return type_conversion<U>::sql_type();
    } else {
      sql::sql_type t;
      t.kind = base::kind;
      return t;
    }
  }
  static std::string to_text(const U& v) { return base::to_text(type_conversion<U>::to_base(v)); }
  static std::optional<U> from_text(std::string_view t) {
    auto b = base::from_text(t);
    if (!b) return std::nullopt;
    return from_base<U>(std::move(*b));
  }
};

template <class E>
using array_element_of = array_element<typename optional_traits<E>::base>;

template <class E>
concept array_element_type = array_element_of<E>::supported;

}  // namespace detail

template <detail::array_element_type E>
struct type_conversion<std::vector<E>> {
  using element = detail::array_element_of<E>;
  static constexpr bool nullable_elements = detail::optional_traits<E>::nullable;

  using base_type = std::string;
  static constexpr std::string_view name = "PostgreSQL array";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    if constexpr (requires { element::type(); })
      t = element::type();
    else
      t.kind = element::kind;
    t.element = t.kind;
    t.kind = sql::type_kind::array;
    return t;
  }
  static std::string to_base(const std::vector<E>& v) {
    std::vector<std::optional<std::string>> texts;
    texts.reserve(v.size());
    for (const auto& e : v) {
      if constexpr (nullable_elements) {
        texts.push_back(e ? std::optional<std::string>(element::to_text(*e)) : std::nullopt);
      } else {
        texts.emplace_back(element::to_text(e));
      }
    }
    return detail::format_array_literal(texts);
  }
  static std::optional<std::vector<E>> from_base(const std::string& text) {
    auto parsed = detail::parse_array_literal(text);
    if (!parsed) return std::nullopt;
    std::vector<E> out;
    out.reserve(parsed->size());
    for (auto& cell : *parsed) {
      if (!cell) {
        if constexpr (nullable_elements) {
          out.emplace_back(std::nullopt);
          continue;
        } else {
          return std::nullopt;  // a NULL element and a member that cannot hold it
        }
      }
      auto e = element::from_text(*cell);
      if (!e) return std::nullopt;
      out.emplace_back(std::move(*e));
    }
    return out;
  }
};

}  // namespace relate
