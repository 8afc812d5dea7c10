// SPDX-License-Identifier: MIT
// The driver object the plugin's factory creates: one per process, shared by
// every engine with a postgresql:// URL.  Stateless apart from its dialect,
// so it is thread-safe as the driver interface requires.
#pragma once

#include "pg_dialect.hpp"

#include <relate/driver/driver.hpp>

namespace relate::postgresql {

class pg_driver final : public driver {
 public:
  std::string_view name() const override { return "postgresql"; }
  const sql::dialect& dialect() const override { return dialect_; }
  std::unique_ptr<native_connection> connect(const url& target, const connect_options& options) override;

 private:
  pg_dialect dialect_;
};

/// "<relate version> (libpq <major>.<minor>)": the plugin's version text.
const char* plugin_version();

}  // namespace relate::postgresql
