// SPDX-License-Identifier: MIT
// Translation of SQLite result codes into relate's error hierarchy.
//
// The connection enables extended result codes, so every failure arrives as
// e.g. SQLITE_CONSTRAINT_UNIQUE rather than a bare SQLITE_CONSTRAINT: the
// extended code picks the category (integrity, operational, ...) and its name
// becomes error_info::native_code, so portable code catches
// relate::integrity_error while a log still shows exactly what SQLite said.
#pragma once

#include <relate/error.hpp>

#include <string>
#include <string_view>

struct sqlite3;

namespace relate::sqlite {

/// "SQLITE_CONSTRAINT_UNIQUE" for an extended code, the primary code's name
/// for an unknown extended code, "SQLITE_UNKNOWN(<n>)" when neither is known.
std::string code_name(int extended_code);

/// The category relate reports a code as (SQLITE_CONSTRAINT_* is integrity, ...).
error_category category_of(int extended_code) noexcept;

/// BUSY and LOCKED: another connection holds the lock; the work can be retried.
bool is_retryable(int extended_code) noexcept;

/// The error_info for a failure: driver "sqlite", the statement, the code's
/// name and message (sqlite3_errmsg(db) when db is given, else sqlite3_errstr).
error_info make_error_info(sqlite3* db, int extended_code, std::string_view sql);

/// Throws the database_error subclass for the connection's current error.
[[noreturn]] void throw_error(sqlite3* db, int extended_code, std::string_view sql);

}  // namespace relate::sqlite
