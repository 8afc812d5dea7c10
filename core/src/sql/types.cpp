// SPDX-License-Identifier: MIT
// Names of the portable column types, for error messages and logs.
#include <relate/sql/types.hpp>

namespace relate::sql {

std::string_view to_string(type_kind kind) noexcept {
  switch (kind) {
    case type_kind::boolean:
      return "boolean";
    case type_kind::small_integer:
      return "small_integer";
    case type_kind::integer:
      return "integer";
    case type_kind::big_integer:
      return "big_integer";
    case type_kind::real:
      return "real";
    case type_kind::numeric:
      return "numeric";
    case type_kind::text:
      return "text";
    case type_kind::blob:
      return "blob";
    case type_kind::timestamp:
      return "timestamp";
    case type_kind::timestamp_tz:
      return "timestamp_tz";
    case type_kind::date:
      return "date";
  }
  return "unknown";
}

}  // namespace relate::sql
