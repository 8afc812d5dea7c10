// SPDX-License-Identifier: MIT
// The message styles (library_message, database_error's) and the
// category-to-class dispatch drivers use.
#include <relate/error.hpp>

namespace relate {

namespace {

// "<driver>: (<native_code>) <native_message> [SQL: <sql>]", leaving out the
// parts a driver did not fill in.  Parameter values are never part of it.
std::string describe(const error_info& info) {
  std::string text = info.driver.empty() ? std::string() : info.driver + ": ";
  if (!info.native_code.empty()) text += "(" + info.native_code + ") ";
  text += info.native_message.empty() ? std::string("database error") : info.native_message;
  if (!info.sql.empty()) text += " [SQL: " + info.sql + "]";
  return text;
}

std::string library_message(const std::string& message) {
  if (message.rfind("relate", 0) == 0) return message;
  return "relate: " + message;
}

}  // namespace

library_error::library_error(const std::string& message) : error(library_message(message)) {}

database_error::database_error(error_category category, error_info info)
    : error(describe(info)), category_(category), info_(std::move(info)) {}

void throw_database_error(error_category category, error_info info) {
  switch (category) {
    case error_category::integrity:
      throw integrity_error(std::move(info));
    case error_category::operational:
      switch (info.kind) {
        case error_kind::serialization_failure:
          throw serialization_error(std::move(info));
        case error_kind::deadlock:
          throw deadlock_error(std::move(info));
        case error_kind::busy:
          throw busy_error(std::move(info));
        case error_kind::query_canceled:
          throw query_canceled_error(std::move(info));
        case error_kind::commit_outcome_unknown:
          throw commit_outcome_unknown_error(std::move(info));
        case error_kind::pool_timeout:
          throw pool_timeout_error(std::move(info));
        case error_kind::generic:
          break;
      }
      if (info.retryable) throw retryable_error(std::move(info));
      throw operational_error(std::move(info));
    case error_category::programming:
      throw programming_error(std::move(info));
    case error_category::data:
      throw data_error(std::move(info));
    case error_category::not_supported:
      throw not_supported_error(std::move(info));
    case error_category::interface:
    case error_category::database:
      break;
  }
  throw database_error(category, std::move(info));
}

}  // namespace relate
