// SPDX-License-Identifier: MIT
// The portable column types of relate's SQL layer.  Each dialect's DDL compiler
// turns a sql_type into its own type name (SQLite "INTEGER", PostgreSQL
// "BIGINT", ...); the ORM derives a sql_type from a member's C++ type.
#pragma once

#include <relate/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
  timestamp,     // without time zone, microseconds
  timestamp_tz,  // with time zone
  date,
  time,         // time of day, microseconds
  interval,     // a length of time, microseconds
  uuid,         // PostgreSQL UUID; CHAR(32) of hex digits elsewhere (SQLAlchemy's Uuid)
  json,         // PostgreSQL JSONB; TEXT checked by json_valid() on SQLite
  enumeration,  // a named set of labels: a PostgreSQL enum type, or VARCHAR(n) with a CHECK
  array,        // a one-dimensional array of `element` (PostgreSQL only)
};

/// The labels of an enumeration type, and its name in the database.  One
/// object per type, for the life of the process (sql_type points at it).
struct enum_type {
  std::string name;
  std::vector<std::string> labels;

  friend bool operator==(const enum_type&, const enum_type&) = default;
};

struct sql_type {
  type_kind kind = type_kind::text;
  std::uint32_t length = 0;     // VARCHAR(n) when non-zero (of the elements, for an array)
  std::uint16_t precision = 0;  // NUMERIC(p, s)
  std::uint16_t scale = 0;
  type_kind element = type_kind::text;     // kind == array: the type of its elements
  const enum_type* enumeration = nullptr;  // kind == enumeration (or an array of one)

  friend bool operator==(const sql_type& a, const sql_type& b) noexcept {
    if (a.kind != b.kind || a.length != b.length || a.precision != b.precision || a.scale != b.scale)
      return false;
    if (a.kind == type_kind::array && a.element != b.element) return false;
    if (a.enumeration == b.enumeration) return true;
    return a.enumeration && b.enumeration && *a.enumeration == *b.enumeration;
  }
};

/// The enum_type with this name and these labels, made once and kept for the
/// life of the process (for types read from a database's catalog).
RELATE_API const enum_type& intern_enum_type(std::string name, std::vector<std::string> labels);

RELATE_API std::string_view to_string(type_kind kind) noexcept;

}  // namespace relate::sql
