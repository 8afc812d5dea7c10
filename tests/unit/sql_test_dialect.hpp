// SPDX-License-Identifier: MIT
// A dialect for the SQL layer's unit tests: the base class's "?" placeholders,
// identifier quoting, literals and SQL standard type names, and capabilities a test
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
  // placeholder() and type_name(): the base class's "?" and SQL standard names.

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
};

}  // namespace relate::testing
