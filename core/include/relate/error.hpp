// The exception hierarchy, named as DB-API and SQLAlchemy users know it.
//
// Portable code catches relate::integrity_error without knowing the backend;
// every database error carries the driver name, the SQL (never the values of
// its parameters, which may be secrets) and the native code and message.
#pragma once

#include <relate/export.hpp>

#include <stdexcept>
#include <string>

namespace relate {

/// What a database error is about, independent of the backend.
enum class error_category {
  interface,    // misuse of the library itself
  database,     // unclassified database error
  integrity,    // constraint violation: unique, foreign key, not null, check
  operational,  // connection lost, database locked, serialization failure, I/O
  programming,  // bad SQL, missing table or column
  data,         // value out of range, bad encoding, division by zero
  not_supported,
};

/// Base of every exception the library throws.
class RELATE_API error : public std::runtime_error {
 public:
  explicit error(const std::string& message) : std::runtime_error(message) {}
};

/// A malformed connection URL.  The message never contains the password.
class RELATE_API url_error : public error {
 public:
  using error::error;
};

/// A plugin could not be found, opened, checked or instantiated.
class RELATE_API plugin_error : public error {
 public:
  enum class reason {
    unknown_scheme,
    file_missing,
    open_failed,
    entry_missing,
    abi_mismatch,
    factory_failed,
    untrusted_file,  // the file or its folder may be changed by another user
  };
  plugin_error(reason why, const std::string& message) : error(message), reason_(why) {}
  reason why() const noexcept { return reason_; }

 private:
  reason reason_;
};

/// Details of a failure reported by a database.
struct error_info {
  std::string driver;          // "sqlite", "postgresql"
  std::string sql;             // the statement, without parameter values
  std::string native_code;     // SQLSTATE or the SQLite extended result code name
  std::string native_message;  // the database's own text
  bool retryable = false;      // serialization failure, deadlock, busy
};

/// Base of errors reported by a database (DB-API's DatabaseError).
class RELATE_API database_error : public error {
 public:
  database_error(error_category category, error_info info);
  error_category category() const noexcept { return category_; }
  const error_info& info() const noexcept { return info_; }
  const std::string& driver() const noexcept { return info_.driver; }
  const std::string& sql() const noexcept { return info_.sql; }
  const std::string& native_code() const noexcept { return info_.native_code; }
  const std::string& native_message() const noexcept { return info_.native_message; }
  bool retryable() const noexcept { return info_.retryable; }

 private:
  error_category category_;
  error_info info_;
};

class RELATE_API integrity_error : public database_error {
 public:
  explicit integrity_error(error_info info) : database_error(error_category::integrity, std::move(info)) {}
};
class RELATE_API operational_error : public database_error {
 public:
  explicit operational_error(error_info info) : database_error(error_category::operational, std::move(info)) {}
};
class RELATE_API programming_error : public database_error {
 public:
  explicit programming_error(error_info info) : database_error(error_category::programming, std::move(info)) {}
};
class RELATE_API data_error : public database_error {
 public:
  explicit data_error(error_info info) : database_error(error_category::data, std::move(info)) {}
};
class RELATE_API not_supported_error : public database_error {
 public:
  explicit not_supported_error(error_info info) : database_error(error_category::not_supported, std::move(info)) {}
};

/// Throws the database_error subclass that matches category.
[[noreturn]] RELATE_API void throw_database_error(error_category category, error_info info);

/// Misuse of the library: a value of the wrong type read from a row, NULL read
/// into a non-optional, a closed connection used, a mapping mistake found at
/// registration.
class RELATE_API usage_error : public error {
 public:
  using error::error;
};

/// A row was expected and none, or more than one, came back (Query.one()).
class RELATE_API no_result_found : public error {
 public:
  using error::error;
};
class RELATE_API multiple_results_found : public error {
 public:
  using error::error;
};

/// Optimistic locking saw a concurrent change (SQLAlchemy's StaleDataError).
class RELATE_API stale_data_error : public error {
 public:
  using error::error;
};

/// A relationship whose loading strategy is raise was accessed before it was
/// loaded (SQLAlchemy's raiseload): the way to find N+1 queries in tests.
class RELATE_API lazy_load_error : public usage_error {
 public:
  using usage_error::usage_error;
};

/// An attribute that was never loaded was accessed on an object that belongs
/// to no session (SQLAlchemy's DetachedInstanceError).
class RELATE_API detached_instance_error : public error {
 public:
  using error::error;
};

}  // namespace relate
