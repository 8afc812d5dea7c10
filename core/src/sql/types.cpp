// SPDX-License-Identifier: MIT
// Names of the portable column types, for error messages and logs, and the
// enumeration types read from catalogs.
#include <relate/sql/types.hpp>

#include <list>
#include <mutex>

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
    case type_kind::time:
      return "time";
    case type_kind::interval:
      return "interval";
    case type_kind::uuid:
      return "uuid";
    case type_kind::json:
      return "json";
    case type_kind::enumeration:
      return "enumeration";
    case type_kind::array:
      return "array";
  }
  return "unknown";
}

const enum_type& intern_enum_type(std::string name, std::vector<std::string> labels) {
  // A list, not a vector: the objects never move, so pointers to them stay valid.
  static std::mutex mutex;
  static std::list<enum_type> types;
  enum_type wanted{std::move(name), std::move(labels)};
  std::lock_guard lock(mutex);
  for (const auto& t : types)
    if (t == wanted) return t;
  return types.emplace_back(std::move(wanted));
}

}  // namespace relate::sql
