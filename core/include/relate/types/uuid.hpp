// SPDX-License-Identifier: MIT
// relate::uuid: a 128-bit UUID, a column type of its own.
//
//   struct Device { relate::uuid id{}; std::string name{}; };
//   column(&Device::id, "id", primary_key, default_fn(relate::uuid::random))
//
// PostgreSQL stores it in a UUID column; other databases in CHAR(32) as 32
// lowercase hex digits, as SQLAlchemy's Uuid type does, so both read the same
// rows.  uuid{} is the nil UUID (and "unset", so a client default fills it).
#pragma once

#include <relate/export.hpp>

#include <relate/type_conversion.hpp>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relate {

class RELATE_API uuid {
 public:
  /// The nil UUID, 00000000-0000-0000-0000-000000000000.
  constexpr uuid() noexcept = default;
  constexpr explicit uuid(const std::array<std::uint8_t, 16>& bytes) noexcept : bytes_(bytes) {}

  /// Reads "550e8400-e29b-41d4-a716-446655440000" (any case), the same
  /// without hyphens, or either in braces; nullopt for anything else.
  static std::optional<uuid> parse(std::string_view text) noexcept;
  /// A random (version 4) UUID, from the operating system's random source.
  static uuid random();
  /// ffffffff-ffff-ffff-ffff-ffffffffffff (RFC 9562's Max UUID).
  static constexpr uuid max() noexcept {
    std::array<std::uint8_t, 16> all{};
    for (auto& b : all) b = 0xff;
    return uuid(all);
  }

  /// The canonical text: 36 lowercase characters with hyphens.
  std::string str() const;
  /// 32 lowercase hex digits, no hyphens (how non-PostgreSQL databases store it).
  std::string hex() const;
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  bool is_nil() const noexcept { return *this == uuid{}; }

  friend constexpr auto operator<=>(const uuid&, const uuid&) noexcept = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

template <>
struct type_conversion<uuid> {
  using base_type = std::string;
  static constexpr std::string_view name = "UUID";
  static sql::sql_type sql_type() {
    sql::sql_type t;
    t.kind = sql::type_kind::uuid;
    return t;
  }
  static std::string to_base(const uuid& u) { return u.hex(); }  // PostgreSQL reads this too
  static std::optional<uuid> from_base(const std::string& text) { return uuid::parse(text); }
};

}  // namespace relate
