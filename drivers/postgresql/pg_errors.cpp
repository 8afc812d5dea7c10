// SPDX-License-Identifier: MIT
#include "pg_errors.hpp"

#include <string>

namespace relate::postgresql {

error_category category_of(std::string_view sqlstate, bool& retryable) noexcept {
  retryable = false;
  if (sqlstate.size() != 5) return error_category::database;
  if (sqlstate == "40001" || sqlstate == "40P01") {  // serialization failure, deadlock
    retryable = true;
    return error_category::operational;
  }
  if (sqlstate == "40002") return error_category::integrity;  // constraint violated at COMMIT
  // The server ended the session: idle_in_transaction_session_timeout (and
  // PostgreSQL 17's transaction_timeout).  The environment, as 57P01 is.
  if (sqlstate == "25P03" || sqlstate == "25P04") return error_category::operational;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return error_category::integrity;
  if (cls == "22") return error_category::data;
  // Syntax and access rule violations, invalid statement name, invalid
  // catalog/schema: the SQL itself is wrong.
  if (cls == "42" || cls == "26" || cls == "34" || cls == "3D" || cls == "3F")
    return error_category::programming;
  if (cls == "0A") return error_category::not_supported;
  // Connection exceptions, resources, limits, lock not available, operator
  // intervention (57P01: pg_terminate_backend, 57014: statement cancelled),
  // system errors, transaction rollback: the environment, not the SQL.
  if (cls == "08" || cls == "40" || cls == "53" || cls == "54" || cls == "55" || cls == "57" || cls == "58")
    return error_category::operational;
  return error_category::database;
}

error_kind kind_of(std::string_view sqlstate) noexcept {
  if (sqlstate == "40001") return error_kind::serialization_failure;
  if (sqlstate == "40P01") return error_kind::deadlock;
  // query_canceled (statement_timeout, a cancel request), lock_not_available (lock_timeout, NOWAIT)
  if (sqlstate == "57014" || sqlstate == "55P03") return error_kind::query_canceled;
  return error_kind::generic;
}

bool succeeded(const PGresult* result) noexcept {
  if (!result) return false;
  switch (PQresultStatus(result)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
    case PGRES_EMPTY_QUERY:
      return true;
    default:
      return false;
  }
}

namespace {

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void throw_error(PGconn* conn, const PGresult* result, std::string_view sql) {
  error_info info;
  info.driver = "postgresql";
  info.sql = std::string(sql);

  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (sqlstate) {
    info.native_code = sqlstate;
    // The primary message and the hint only: DETAIL may quote row values
    // ("Key (email)=(...) already exists"), which relate never puts in errors.
    info.native_message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT))
      info.native_message += " (hint: " + trimmed(hint) + ")";
    bool retryable = false;
    const error_category category = category_of(sqlstate, retryable);
    info.retryable = retryable;
    info.kind = kind_of(sqlstate);
    throw_database_error(category, std::move(info));
  }

  // No SQLSTATE: libpq itself failed, almost always because the connection
  // is gone (server crash, network, terminated backend without a message).
  info.native_message = trimmed(result ? PQresultErrorMessage(result) : nullptr);
  if (info.native_message.empty() && conn) info.native_message = trimmed(PQerrorMessage(conn));
  if (info.native_message.empty()) info.native_message = "unknown libpq error";
  const bool lost = !conn || PQstatus(conn) != CONNECTION_OK;
  throw_database_error(lost ? error_category::operational : error_category::database, std::move(info));
}

}  // namespace relate::postgresql
