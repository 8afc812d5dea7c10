// SPDX-License-Identifier: MIT
// The SQLite driver: the object the plugin's factory creates.  It owns the
// dialect and opens sqlite_connections; it holds no other state, so one
// instance serves every engine and thread of the process.
#pragma once

#include "sqlite_dialect.hpp"

#include <relate/driver/driver.hpp>

namespace relate::sqlite {

class sqlite_driver final : public relate::driver {
 public:
  sqlite_driver() = default;
  std::string_view name() const override { return "sqlite"; }
  const sql::dialect& dialect() const override { return dialect_; }
  std::unique_ptr<native_connection> connect(const url& target, const connect_options& options) override;
  /// In-memory databases live and die with their one connection.
  bool single_connection(const url& target) const override;

 private:
  sqlite_dialect dialect_;
};

/// "<relate version> (SQLite <library version>)", for the plugin descriptor.
const char* driver_version() noexcept;

}  // namespace relate::sqlite
