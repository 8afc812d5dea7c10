// SPDX-License-Identifier: MIT
// The portable column types of relate's SQL layer.  Each dialect's DDL compiler
// turns a sql_type into its own type name (SQLite "INTEGER", PostgreSQL
// "BIGINT", ...); the ORM derives a sql_type from a member's C++ type.
#pragma once

#include <relate/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace relate::sql {

enum class type_kind : std::uint8_t {
  boolean,
  small_integer,  // int16
  integer,        // int32
  big_integer,    // int64
  real,           // double precision
  numeric,        // exact decimal, carried as text
  text,           // string; length 0 means unbounded
  blob,
  timestamp,      // without time zone, microseconds
  timestamp_tz,   // with time zone
  date,
};

struct sql_type {
  type_kind kind = type_kind::text;
  std::uint32_t length = 0;     // VARCHAR(n) when non-zero
  std::uint16_t precision = 0;  // NUMERIC(p, s)
  std::uint16_t scale = 0;

  friend bool operator==(const sql_type&, const sql_type&) = default;
};

RELATE_API std::string_view to_string(type_kind kind) noexcept;

}  // namespace relate::sql
