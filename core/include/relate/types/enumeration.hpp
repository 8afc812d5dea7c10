// SPDX-License-Identifier: MIT
// C++ enums as columns, stored by label (SQLAlchemy's Enum).  Say which
// label each value has next to the enum, found by argument-dependent lookup:
//
//   enum class mood { happy, sad, ok };
//   inline auto relate_enum(relate::model<mood>) {
//     return relate::enumeration<mood>("mood", {{mood::happy, "happy"}, {mood::sad, "sad"}, {mood::ok,
//     "ok"}});
//   }
//
// Then a `mood` member is a column: on PostgreSQL of the enum type "mood",
// which create_all creates (CREATE TYPE "mood" AS ENUM (...)) before the
// tables that use it and drop_all drops after them; elsewhere a VARCHAR as
// long as the longest label with a CHECK that it is one of them.  Queries
// compare it by label (col(&Person::feeling) == mood::sad).  A row holding a
// label the enum does not have (written by another program, or by a newer
// version of this one) is a data_error naming the column, the label and the
// labels it knows, never a silently wrong value.  Changing the labels of an
// existing PostgreSQL type is a migration (ALTER TYPE ... ADD VALUE) that
// relate does not generate.
#pragma once

#include <relate/error.hpp>
#include <relate/type_conversion.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate {

/// The labels of the enum E and the name of its database type.
template <class E>
class enumeration {
  static_assert(std::is_enum_v<E>, "relate::enumeration<E>: E must be an enum");

 public:
  enumeration(std::string type_name, std::initializer_list<std::pair<E, std::string_view>> labels) {
    if (type_name.empty()) throw usage_error("relate::enumeration: the database type needs a name");
    std::vector<std::string> names;
    for (const auto& [value, label] : labels) {
      if (label.empty()) throw usage_error("relate::enumeration " + type_name + ": a label is empty");
      for (const auto& [v, l] : values_) {
        if (v == value)
          throw usage_error("relate::enumeration " + type_name + ": two labels for one value (" + l + ", " +
                            std::string(label) + ")");
        if (l == label)
          throw usage_error("relate::enumeration " + type_name + ": the label " + l + " is given twice");
      }
      values_.emplace_back(value, std::string(label));
      names.emplace_back(label);
    }
    if (values_.empty()) throw usage_error("relate::enumeration " + type_name + ": no labels");
    type_ = &sql::intern_enum_type(std::move(type_name), std::move(names));
  }

  /// The database type: its name and labels, in the order given.
  const sql::enum_type& type() const noexcept { return *type_; }
  const std::string* label_of(E value) const noexcept {
    for (const auto& [v, l] : values_)
      if (v == value) return &l;
    return nullptr;
  }
  std::optional<E> value_of(std::string_view label) const noexcept {
    for (const auto& [v, l] : values_)
      if (l == label) return v;
    return std::nullopt;
  }

 private:
  std::vector<std::pair<E, std::string>> values_;
  const sql::enum_type* type_ = nullptr;
};

namespace detail {

/// An enum with a relate_enum function.
template <class E>
concept mapped_enum = std::is_enum_v<E> && requires {
  relate_enum(model<E>{});
};

/// E's enumeration, made once.
template <mapped_enum E>
const enumeration<E>& enumeration_of() {
  static const enumeration<E> labels = relate_enum(model<E>{});
  return labels;
}

}  // namespace detail

template <detail::mapped_enum E>
struct type_conversion<E> {
  using base_type = std::string;
  static constexpr std::string_view name = "enum label";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    t.kind = sql::type_kind::enumeration;
    t.enumeration = &detail::enumeration_of<E>().type();
    return t;
  }
  static std::string to_base(E value) {
    if (const auto* label = detail::enumeration_of<E>().label_of(value)) return *label;
    throw usage_error("relate: the value " + std::to_string(static_cast<std::underlying_type_t<E>>(value)) +
                      " of enum " + detail::enumeration_of<E>().type().name +
                      " has no label in its relate_enum, so it cannot be stored");
  }
  static std::optional<E> from_base(const std::string& label) {
    return detail::enumeration_of<E>().value_of(label);
  }
};

}  // namespace relate
