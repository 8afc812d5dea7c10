// SPDX-License-Identifier: MIT
// relate::json: a JSON document, as a member and as a column (JSONB on
// PostgreSQL, TEXT checked by json_valid() on SQLite).
//
//   struct Event { std::int64_t id{}; relate::json data{}; };
//   e.data = relate::json::object({{"user", "ann"}, {"tags", relate::json::array({"a", "b"})}});
//   e.data["seen"] = true;
//   std::string who = e.data.at("user").as_string();
//   auto doc = relate::json::parse(R"({"a": [1, 2.5, null]})");
//
// In queries, a JSON column's members are reached with [] and read with
// as_text(), as_integer(), as_double() or as_bool() (relate/sql/expression.hpp):
//
//   session.query<Event>().filter(relate::col(&Event::data)["address"]["city"].as_text() == "Paris")
//
// which is PostgreSQL's and SQLite's -> and ->> operators, keys and indexes
// bound as parameters.  A missing member is NULL.
//
// The value: null, a boolean, an integer (a number without fraction or
// exponent that fits 64 bits), a real (any other number), a string (UTF-8),
// an array, or an object (keys unique, kept in insertion order).  Two
// documents are equal when they hold the same values: objects regardless of
// key order (PostgreSQL's JSONB reorders keys, and drops duplicates keeping
// the last, as parse() does), numbers by value (1 == 1.0).
#pragma once

#include <relate/export.hpp>

#include <relate/type_conversion.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace relate {

class RELATE_API json {
 public:
  enum class kind : std::uint8_t { null, boolean, integer, real, string, array, object };
  using array_type = std::vector<json>;
  using object_type = std::vector<std::pair<std::string, json>>;

  json() noexcept = default;
  json(std::nullptr_t) noexcept {}
  json(bool b) noexcept : v_(b) {}
  template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>) json(I i)
  noexcept : v_(static_cast<std::int64_t>(i)) {}
  json(double d) noexcept : v_(d) {}
  json(std::string s) noexcept : v_(std::move(s)) {}
  json(std::string_view s) : v_(std::string(s)) {}
  json(const char* s) : v_(std::string(s)) {}
  json(array_type a) noexcept : v_(std::move(a)) {}
  json(object_type o);

  static json array(std::initializer_list<json> items = {}) { return json(array_type(items)); }
  static json object(std::initializer_list<std::pair<std::string, json>> members = {}) {
    return json(object_type(members));
  }

  /// Strict RFC 8259 JSON (one value, nothing after it but white space);
  /// usage_error saying where it is not.
  static json parse(std::string_view text);
  /// The same, nullopt instead of the error.
  static std::optional<json> try_parse(std::string_view text) noexcept;
  /// Compact text: no spaces, strings escaped as JSON requires (other
  /// characters as UTF-8), reals with a fraction or exponent so they read
  /// back as reals.  A NaN or infinite real has no JSON spelling: usage_error.
  std::string dump() const;

  kind type() const noexcept { return static_cast<kind>(v_.index()); }
  bool is_null() const noexcept { return type() == kind::null; }
  bool is_bool() const noexcept { return type() == kind::boolean; }
  bool is_integer() const noexcept { return type() == kind::integer; }
  bool is_number() const noexcept { return type() == kind::integer || type() == kind::real; }
  bool is_string() const noexcept { return type() == kind::string; }
  bool is_array() const noexcept { return type() == kind::array; }
  bool is_object() const noexcept { return type() == kind::object; }

  /// The value as that type; usage_error when it is another (an integer reads as a double).
  bool as_bool() const;
  std::int64_t as_int64() const;
  double as_double() const;
  const std::string& as_string() const;
  const array_type& as_array() const;
  array_type& as_array();
  const object_type& as_object() const;
  object_type& as_object();

  /// The member `key` of an object, or null if there is none (or this is not an object).
  const json* find(std::string_view key) const noexcept;
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
  /// The member or element; usage_error when there is none.
  const json& at(std::string_view key) const;
  const json& at(std::size_t index) const;
  /// The member `key`, added as null if missing; a null document becomes an object first.
  json& operator[](std::string_view key);
  /// Appends to an array; a null document becomes an array first.
  void push_back(json item);
  /// Elements of an array, members of an object, else 0.
  std::size_t size() const noexcept;

  friend RELATE_API bool operator==(const json& a, const json& b) noexcept;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, array_type, object_type> v_;
};

template <>
struct type_conversion<json> {
  using base_type = std::string;
  static constexpr std::string_view name = "JSON document";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    t.kind = sql::type_kind::json;
    return t;
  }
  static std::string to_base(const json& j) { return j.dump(); }
  static std::optional<json> from_base(const std::string& text) { return json::try_parse(text); }
};

}  // namespace relate
