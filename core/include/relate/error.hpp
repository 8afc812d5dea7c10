// SPDX-License-Identifier: MIT
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
///
/// One message style across the layers: a message names who speaks first.
/// The library's own errors start with "relate: " or with the API that
/// refused ("relate::query::one(): ...", "relate::sql: ..."); the classes
/// below add "relate: " to a message that does not start with "relate".
/// A database's errors start with the driver's name (database_error).
class RELATE_API error : public std::runtime_error {
 public:
  explicit error(const std::string& message) : std::runtime_error(message) {}
};

/// Base of the library's own errors (everything but database_error): its
/// message gets "relate: " in front unless it already starts with "relate".
class RELATE_API library_error : public error {
 public:
  explicit library_error(const std::string& message);
};

/// A malformed connection URL.  The message never contains the password.
class RELATE_API url_error : public library_error {
 public:
  using library_error::library_error;
};

/// A plugin could not be found, opened, checked or instantiated.
class RELATE_API plugin_error : public library_error {
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
  plugin_error(reason why, const std::string& message) : library_error(message), reason_(why) {}
  reason why() const noexcept { return reason_; }

 private:
  reason reason_;
};

/// Which failures get an exception class of their own beyond their category:
/// the ones an application handles differently from "the database said no".
enum class error_kind : unsigned char {
  generic,
  serialization_failure,   // PostgreSQL 40001: another transaction's writes conflict; retry
  deadlock,                // PostgreSQL 40P01: chosen as a deadlock victim; retry
  busy,                    // SQLite BUSY/LOCKED after the busy timeout; retry
  query_canceled,          // statement_timeout, lock_timeout or a cancel request ended a statement
  commit_outcome_unknown,  // the connection was lost waiting for COMMIT's answer; never retry blindly
  pool_timeout,            // no pooled connection became free within pool_timeout
};

/// Details of a failure reported by a database.
struct error_info {
  std::string driver;          // "sqlite", "postgresql"
  std::string sql;             // the statement, without parameter values
  std::string native_code;     // SQLSTATE or the SQLite extended result code name
  std::string native_message;  // the database's own text
  bool retryable = false;      // serialization failure, deadlock, busy
  error_kind kind = error_kind::generic;
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
  error_kind kind() const noexcept { return info_.kind; }

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
  explicit operational_error(error_info info)
      : database_error(error_category::operational, std::move(info)) {}
};
class RELATE_API programming_error : public database_error {
 public:
  explicit programming_error(error_info info)
      : database_error(error_category::programming, std::move(info)) {}
};
class RELATE_API data_error : public database_error {
 public:
  explicit data_error(error_info info) : database_error(error_category::data, std::move(info)) {}
};
class RELATE_API not_supported_error : public database_error {
 public:
  explicit not_supported_error(error_info info)
      : database_error(error_category::not_supported, std::move(info)) {}
};

/// The transaction lost a race with another one and did nothing: running it
/// again from the start is safe and usually succeeds (retryable() is true).
/// relate::run_transaction retries these.
class RELATE_API retryable_error : public operational_error {
 public:
  explicit retryable_error(error_info info) : operational_error(std::move(info)) {}
};
/// PostgreSQL 40001 under REPEATABLE READ or SERIALIZABLE.
class RELATE_API serialization_error : public retryable_error {
 public:
  explicit serialization_error(error_info info) : retryable_error(std::move(info)) {}
};
/// PostgreSQL 40P01: this transaction was the one rolled back to end a deadlock.
class RELATE_API deadlock_error : public retryable_error {
 public:
  explicit deadlock_error(error_info info) : retryable_error(std::move(info)) {}
};
/// SQLite SQLITE_BUSY / SQLITE_LOCKED after the busy timeout.
class RELATE_API busy_error : public retryable_error {
 public:
  explicit busy_error(error_info info) : retryable_error(std::move(info)) {}
};
/// A statement was cancelled: statement_timeout (PostgreSQL 57014),
/// lock_timeout (55P03) or a cancel request.  The transaction has failed.
class RELATE_API query_canceled_error : public operational_error {
 public:
  explicit query_canceled_error(error_info info) : operational_error(std::move(info)) {}
};
/// The connection broke after COMMIT was sent and before its answer came: the
/// transaction may or may not have been committed (CockroachDB's "ambiguous
/// result").  Never retried automatically: check the data before redoing it.
class RELATE_API commit_outcome_unknown_error : public operational_error {
 public:
  explicit commit_outcome_unknown_error(error_info info) : operational_error(std::move(info)) {}
};
/// engine::connect() waited pool_timeout and no connection became free; the
/// message gives the pool's limits and how many connections are checked out.
class RELATE_API pool_timeout_error : public operational_error {
 public:
  explicit pool_timeout_error(error_info info) : operational_error(std::move(info)) {}
};

/// Throws the database_error subclass that matches category (and, for
/// operational errors, info.kind).
[[noreturn]] RELATE_API void throw_database_error(error_category category, error_info info);

/// Misuse of the library: a value of the wrong type read from a row, NULL read
/// into a non-optional, a closed connection used, a mapping mistake found at
/// registration.
class RELATE_API usage_error : public library_error {
 public:
  using library_error::library_error;
};

/// A broken invariant inside relate itself: a bug to report, never a
/// mistake of the program (that is a usage_error).
class RELATE_API internal_error : public library_error {
 public:
  explicit internal_error(const std::string& what) : library_error("relate: internal error: " + what) {}
};

/// A row was expected and none, or more than one, came back (Query.one()).
class RELATE_API no_result_found : public library_error {
 public:
  using library_error::library_error;
};
class RELATE_API multiple_results_found : public library_error {
 public:
  using library_error::library_error;
};

/// Optimistic locking saw a concurrent change (SQLAlchemy's StaleDataError).
class RELATE_API stale_data_error : public library_error {
 public:
  using library_error::library_error;
};

/// A relationship whose loading strategy is raise was accessed before it was
/// loaded (SQLAlchemy's raiseload): the way to find N+1 queries in tests.
class RELATE_API lazy_load_error : public usage_error {
 public:
  using usage_error::usage_error;
};

/// N+1 detection in strict mode (session_options::n_plus_one): one
/// relationship was lazy-loaded more times than the threshold allows for the
/// objects of one query.  The message names the relationship, the count, the
/// query and the loader option that loads it with the query instead.
class RELATE_API n_plus_one_error : public lazy_load_error {
 public:
  using lazy_load_error::lazy_load_error;
};

/// An attribute that was never loaded was accessed on an object that belongs
/// to no session (SQLAlchemy's DetachedInstanceError).
class RELATE_API detached_instance_error : public library_error {
 public:
  using library_error::library_error;
};

}  // namespace relate
