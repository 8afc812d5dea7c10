// SPDX-License-Identifier: MIT
#include "pg_driver.hpp"

#include "pg_connection.hpp"

#include <relate/version.h>

#include <libpq-fe.h>

#include <string>

namespace relate::postgresql {

std::unique_ptr<native_connection> pg_driver::connect(const url& target, const connect_options& options) {
  return std::make_unique<pg_connection>(target, options);
}

const char* plugin_version() {
  static const std::string version = [] {
    const int lib = PQlibVersion();  // e.g. 150018 for 15.18
    return std::string(RELATE_VERSION_STRING) + " (libpq " + std::to_string(lib / 10000) + "." +
           std::to_string(lib % 10000) + ")";
  }();
  return version.c_str();
}

}  // namespace relate::postgresql
