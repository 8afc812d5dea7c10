// SPDX-License-Identifier: MIT
#include "sql/array_parameter.hpp"

namespace relate::sql::detail {
namespace {

// An element of an array's text form, quoted: "a \"b\" \\ c".
void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

std::optional<array_parameter> as_array_parameter(const std::vector<node_ptr>& items) {
  if (items.empty()) return std::nullopt;
  std::optional<value_kind> kind;
  std::string out = "{";
  for (const auto& item : items) {
    const auto* bound = dynamic_cast<const bind_param*>(item.get());
    if (!bound || (kind && bound->value.kind() != *kind)) return std::nullopt;
    const relate::value& v = bound->value;
    kind = v.kind();
    if (out.size() > 1) out += ',';
    switch (v.kind()) {
      case value_kind::integer:
        out += std::to_string(*v.get_if<std::int64_t>());
        break;
      case value_kind::boolean:
        out += *v.get_if<bool>() ? "t" : "f";
        break;
      case value_kind::text:
        append_quoted(out, *v.get_if<std::string>());
        break;
      case value_kind::timestamp:
        append_quoted(out, format_timestamp(*v.get_if<timestamp>()));
        break;
      case value_kind::date:
        append_quoted(out, format_date(*v.get_if<date>()));
        break;
      default:
        return std::nullopt;
    }
  }
  out += '}';
  sql_type element;
  switch (*kind) {
    case value_kind::integer:
      element.kind = type_kind::big_integer;
      break;
    case value_kind::boolean:
      element.kind = type_kind::boolean;
      break;
    case value_kind::timestamp:
      element.kind = type_kind::timestamp;
      break;
    case value_kind::date:
      element.kind = type_kind::date;
      break;
    default:
      element.kind = type_kind::text;
      break;
  }
  return array_parameter{relate::value(std::move(out)), element};
}

}  // namespace relate::sql::detail
