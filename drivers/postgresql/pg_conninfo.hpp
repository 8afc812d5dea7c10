// SPDX-License-Identifier: MIT
// Turns a relate::url into libpq connection parameters.
//
// A pure function (no server involved) so that the mapping can be unit-tested:
// user, password, host, port and database come from the URL's parts, and
// every query parameter but relate's own (prepared_statements) is passed through as a libpq keyword (sslmode,
// connect_timeout, options, application_name, host for a Unix-socket folder,
// ...), so a user can reach any libpq setting without relate knowing it.
#pragma once

#include <relate/driver/driver.hpp>
#include <relate/url.hpp>

#include <string>
#include <utility>
#include <vector>

namespace relate::postgresql {

/// libpq keyword/value pairs, in the order PQconnectdbParams receives them.
class conninfo {
 public:
  /// Sets keyword to value, replacing an earlier value of the same keyword.
  void set(std::string keyword, std::string value);
  /// The value of keyword, or nullptr.
  const std::string* find(std::string_view keyword) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept { return entries_; }

  /// "host=... port=... password=***": safe to log, the password is masked.
  std::string describe() const;

  /// NULL-terminated arrays for PQconnectdbParams; valid while *this lives unchanged.
  std::vector<const char*> keywords() const;
  std::vector<const char*> values() const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// Builds the connection parameters for target.  Query parameters override
/// the URL's parts (postgresql:///db?host=/run/postgresql); connect_timeout
/// defaults to options.connect_timeout (whole seconds, at least 1).  Throws
/// url_error for a query parameter libpq does not know (never quoting values).
conninfo build_conninfo(const url& target, const connect_options& options);

/// relate's own URL options, which are not passed to libpq:
///   prepared_statements=true|false   overrides connect_options::prepared_statements
/// Throws url_error for a value that is not true/false/1/0/on/off/yes/no.
bool prepared_statements_enabled(const url& target, const connect_options& options);

}  // namespace relate::postgresql
