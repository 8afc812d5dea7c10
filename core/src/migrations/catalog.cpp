// SPDX-License-Identifier: MIT
// Small helpers the drivers' catalog readers share (schema_support.hpp).
#include <relate/sql/schema_support.hpp>

#include <cctype>

namespace relate::sql::catalog {

std::string text(const relate::value& v) {
  if (const auto* s = v.get_if<std::string>()) return *s;
  return {};
}

std::int64_t integer(const relate::value& v) {
  if (const auto* i = v.get_if<std::int64_t>()) return *i;
  return 0;
}

std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::uint32_t> type_arguments(std::string_view native) {
  std::vector<std::uint32_t> out;
  const auto open = native.find('(');
  if (open == std::string_view::npos) return out;
  std::uint32_t n = 0;
  bool any = false;
  for (std::size_t i = open + 1; i < native.size(); ++i) {
    const char c = native[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      n = n * 10 + static_cast<std::uint32_t>(c - '0');
      any = true;
    } else if (c == ',' || c == ')') {
      if (any) out.push_back(n);
      n = 0;
      any = false;
      if (c == ')') break;
    }
  }
  return out;
}

}  // namespace relate::sql::catalog
