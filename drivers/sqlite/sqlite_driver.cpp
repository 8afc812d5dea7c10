// SPDX-License-Identifier: MIT
#include "sqlite_driver.hpp"

#include "sqlite_connection.hpp"

#include <relate/version.h>

#include <sqlite3.h>

#include <string>

namespace relate::sqlite {

std::unique_ptr<native_connection> sqlite_driver::connect(const url& target, const connect_options& options) {
  return std::make_unique<sqlite_connection>(target, options);
}

bool sqlite_driver::single_connection(const url& target) const {
  if (target.database().empty() || target.database() == ":memory:") return true;
  const auto mode = target.query_value("mode");
  return mode && *mode == "memory";
}

const char* driver_version() noexcept {
  // The library loaded at run time, which may be newer than the header.
  static const std::string version =
      std::string(RELATE_VERSION_STRING) + " (SQLite " + sqlite3_libversion() + ")";
  return version.c_str();
}

}  // namespace relate::sqlite
