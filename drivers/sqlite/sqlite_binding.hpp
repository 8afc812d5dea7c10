// SPDX-License-Identifier: MIT
// Binding relate::value parameters to a prepared SQLite statement.
//
// SQLite has no boolean, timestamp or date storage class, so these are bound
// as SQLAlchemy stores them: booleans as 0/1, timestamps as text
// "YYYY-MM-DD HH:MM:SS.ffffff", dates as "YYYY-MM-DD".  Text sorts and
// compares correctly in that format, and databases written by SQLAlchemy read
// back unchanged.
#pragma once

#include <relate/value.hpp>

#include <span>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace relate::sqlite {

/// How long the bound text and blob bytes live.
enum class binding_lifetime {
  /// The caller's values outlive every step of the statement (a buffered
  /// execute that steps to the end before returning): SQLite reads them in place.
  outlives_statement,
  /// The statement may be stepped after the values are gone: SQLite copies them.
  copy,
};

/// Binds params to the statement's placeholders in order.  Throws
/// programming_error when their number differs from the placeholders', and
/// data_error for a value SQLite cannot store (NaN, which it would turn into NULL).
void bind_parameters(sqlite3* db, sqlite3_stmt* stmt, std::span<const value> params,
                     binding_lifetime lifetime);

}  // namespace relate::sqlite
