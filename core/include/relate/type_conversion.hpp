// SPDX-License-Identifier: MIT
// The extension point for types of your own (SOCI's type_conversion<T>,
// SQLAlchemy's TypeDecorator): a type is stored as a type relate already
// stores, its "base type", through two functions.  Specialise
// relate::type_conversion for it, before the mapping that uses it:
//
//   struct money { std::int64_t cents{}; friend bool operator==(money, money) = default; };
//
//   template <>
//   struct relate::type_conversion<money> {
//     using base_type = std::int64_t;                               // stored as BIGINT
//     static std::int64_t to_base(const money& m) { return m.cents; }
//     static money from_base(std::int64_t cents) { return money{cents}; }
//   };
//
// Then `money` works wherever a built-in type does: as a mapped member (and
// std::optional<money>), in row::get<money>, and as an operand of queries
// (col(&Order::total) > money{100}), which compares as its base type does.
//
// Optional members of the specialisation:
//   - from_base may return std::optional<T>: nullopt (or an exception) says
//     the stored value is not a valid T, and reading it is a data_error
//     naming the column and the value, never a silently wrong member.
//   - static sql::sql_type sql_type(): the column type create_all uses, when
//     it is not the base type's (relate::uuid is stored as text but is a
//     UUID column).
//   - static constexpr std::string_view name: what error messages call the
//     type ("enum mood").
// The type itself must be default-constructible and equality-comparable
// (the session compares members with their snapshot, and a member equal to
// T{} is "unset" for defaults).
//
// relate's own uuid, json, time_of_day, timestamp_tz, enumerations and
// PostgreSQL arrays (relate/types/) are built this way.
#pragma once

#include <relate/sql/types.hpp>
#include <relate/value.hpp>

#include <concepts>
#include <optional>
#include <string_view>
#include <type_traits>

namespace relate {

/// The tag a mapping function takes: `auto relate_mapping(relate::model<T>)`
/// (relate/orm/mapping.hpp), and an enumeration's `relate_enum(relate::model<E>)`
/// (relate/types/enumeration.hpp).  Argument-dependent lookup finds the
/// function in T's namespace.
template <class T>
struct model {
  using type = T;
};

/// How a type of your own is stored: specialise it (see the top of this header).
template <class T>
struct type_conversion;

namespace detail {

/// T has a type_conversion specialisation (a user type, or one of relate/types/).
template <class T>
concept has_type_conversion = requires {
  typename type_conversion<T>::base_type;
};

/// What error messages call a user type.
template <class T>
constexpr std::string_view user_type_name() {
  if constexpr (requires { type_conversion<T>::name; })
    return type_conversion<T>::name;
  else
    return "value of the member's type";
}

/// type_conversion<T>::from_base as an optional: nullopt when it refused the
/// value (by returning nullopt or by throwing).
template <class T, class B>
std::optional<T> from_base(B&& base) noexcept {
  try {
    return std::optional<T>(type_conversion<T>::from_base(std::forward<B>(base)));
  } catch (...) {
    return std::nullopt;
  }
}

/// x as a bound value: a user type through its to_base, std::optional as
/// NULL or its value.
template <class T>
value to_value(const T& x) {
  if constexpr (has_type_conversion<T>) {
    return to_value(type_conversion<T>::to_base(x));
  } else if constexpr (optional_traits<T>::nullable) {
    return x ? to_value(*x) : value();
  } else {
    return value(x);
  }
}

}  // namespace detail

}  // namespace relate
