// SPDX-License-Identifier: MIT
#include "sqlite_binding.hpp"

#include "sqlite_errors.hpp"

#include <sqlite3.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

namespace relate::sqlite {
namespace {

[[noreturn]] void throw_binding_error(error_category category, sqlite3_stmt* stmt, std::string message) {
  error_info info;
  info.driver = "sqlite";
  info.sql = sqlite3_sql(stmt);
  info.native_message = std::move(message);
  throw_database_error(category, std::move(info));
}

int bind_one(sqlite3_stmt* stmt, int index, const value& v, sqlite3_destructor_type keep) {
  return std::visit(
      [&](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, null_t>) {
          return sqlite3_bind_null(stmt, index);
        } else if constexpr (std::is_same_v<T, bool>) {
          return sqlite3_bind_int64(stmt, index, x ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return sqlite3_bind_int64(stmt, index, x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isnan(x)) {
            throw_binding_error(error_category::data, stmt,
                                "parameter " + std::to_string(index) +
                                    " is NaN, which SQLite cannot store (it would become NULL)");
          }
          return sqlite3_bind_double(stmt, index, x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return sqlite3_bind_text64(stmt, index, x.data(), x.size(), keep, SQLITE_UTF8);
        } else if constexpr (std::is_same_v<T, blob>) {
          // A zero-length blob must stay a blob: binding a null pointer would bind NULL.
          if (x.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
          return sqlite3_bind_blob64(stmt, index, x.data(), x.size(), keep);
        } else if constexpr (std::is_same_v<T, timestamp>) {
          const std::string text = format_timestamp(x);
          return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        } else if constexpr (std::is_same_v<T, date>) {
          const std::string text = format_date(x);
          return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        } else {
          // SQLAlchemy's Interval where there is no interval type: the
          // timestamp that long after the epoch (native_cursor::get_interval).
          static_assert(std::is_same_v<T, interval>);
          const std::string text = format_timestamp(timestamp{} + x);
          return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
      },
      v.get_storage());
}

}  // namespace

void bind_parameters(sqlite3* db, sqlite3_stmt* stmt, std::span<const value> params,
                     binding_lifetime lifetime) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    throw_binding_error(error_category::programming, stmt,
                        "the statement has " + std::to_string(expected) + " parameter placeholders but " +
                            std::to_string(params.size()) + " values were given");
  }
  const sqlite3_destructor_type keep =
      lifetime == binding_lifetime::outlives_statement ? SQLITE_STATIC : SQLITE_TRANSIENT;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int rc = bind_one(stmt, static_cast<int>(i + 1), params[i], keep);
    if (rc != SQLITE_OK) throw_error(db, rc, sqlite3_sql(stmt));
  }
}

}  // namespace relate::sqlite
