// SPDX-License-Identifier: MIT
// A dialect for the SQL layer's unit tests: "?" placeholders, the default
// identifier quoting and literals, ANSI type names, and capabilities a test
// can switch on and off, so every compiler branch is checked without a
// database.  Its compiler counts how many times SQL generation ran, which the
// statement-shape cache tests rely on.
#pragma once

#include <relate/sql/compiler.hpp>
#include <relate/sql/dialect.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace relate::testing {

class test_dialect final : public sql::dialect {
 public:
  sql::dialect_capabilities caps;
  mutable std::atomic<int> compilations{0};

  std::string_view name() const override { return "test"; }
  const sql::dialect_capabilities& capabilities() const override { return caps; }
  std::string placeholder(std::size_t) const override { return "?"; }
  std::string type_name(const sql::sql_type& type) const override {
    using sql::type_kind;
    switch (type.kind) {
      case type_kind::boolean:
        return "BOOLEAN";
      case type_kind::small_integer:
        return "SMALLINT";
      case type_kind::integer:
        return "INTEGER";
      case type_kind::big_integer:
        return "BIGINT";
      case type_kind::real:
        return "DOUBLE PRECISION";
      case type_kind::numeric:
        return type.precision
                   ? "NUMERIC(" + std::to_string(type.precision) + ", " + std::to_string(type.scale) + ")"
                   : "NUMERIC";
      case type_kind::text:
        return type.length ? "VARCHAR(" + std::to_string(type.length) + ")" : "TEXT";
      case type_kind::blob:
        return "BLOB";
      case type_kind::timestamp:
        return "TIMESTAMP";
      case type_kind::timestamp_tz:
        return "TIMESTAMP WITH TIME ZONE";
      case type_kind::date:
        return "DATE";
    }
    return "TEXT";
  }

  std::unique_ptr<sql::sql_compiler> make_compiler() const override {
    struct counting_compiler final : sql::sql_compiler {
      explicit counting_compiler(const test_dialect& d) : sql::sql_compiler(d) { ++d.compilations; }
    };
    return std::make_unique<counting_compiler>(*this);
  }
};

/// A dialect with "$n" placeholders, to check placeholder numbering.
class numbered_dialect final : public sql::dialect {
 public:
  sql::dialect_capabilities caps;
  std::string_view name() const override { return "numbered"; }
  const sql::dialect_capabilities& capabilities() const override { return caps; }
  std::string placeholder(std::size_t index) const override { return "$" + std::to_string(index); }
  std::string type_name(const sql::sql_type&) const override { return "TEXT"; }
};

}  // namespace relate::testing
