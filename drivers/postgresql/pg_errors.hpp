// SPDX-License-Identifier: MIT
// PostgreSQL errors translated into relate's hierarchy by SQLSTATE, so that
// portable code catches integrity_error or a retryable operational_error
// without knowing the backend.
#pragma once

#include <relate/error.hpp>

#include <libpq-fe.h>

#include <string_view>

namespace relate::postgresql {

/// The category of a SQLSTATE; retryable is set for serialization failures
/// and deadlocks (the transaction can simply be run again).
error_category category_of(std::string_view sqlstate, bool& retryable) noexcept;

/// Which SQLSTATEs get an exception class of their own: 40001
/// serialization_error, 40P01 deadlock_error, 57014 and 55P03
/// query_canceled_error.
error_kind kind_of(std::string_view sqlstate) noexcept;

/// Throws the error a failed result (or, when result is null or carries no
/// SQLSTATE, the connection's last error) describes.  sql is the statement
/// text, never its parameter values.
[[noreturn]] void throw_error(PGconn* conn, const PGresult* result, std::string_view sql);

/// True when result is a success status (command, tuples, single tuple).
bool succeeded(const PGresult* result) noexcept;

}  // namespace relate::postgresql
