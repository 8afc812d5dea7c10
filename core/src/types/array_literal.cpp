// SPDX-License-Identifier: MIT
// PostgreSQL's array text, both ways (relate/types/array.hpp): what relate
// sends is always quoted; what the server prints quotes an element only when
// it must (empty, NULL as text, spaces, commas, braces, quotes, backslashes).
#include <relate/types/array.hpp>

#include <charconv>
#include <cmath>

namespace relate::detail {

std::string format_array_literal(const std::vector<std::optional<std::string>>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out += ',';
    if (!elements[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *elements[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::optional<std::vector<std::optional<std::string>>> parse_array_literal(std::string_view text) {
  // "[1:3]={...}" carries explicit bounds; relate's arrays start at 1 and never print them.
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<std::optional<std::string>> out;
  std::size_t i = 1;
  const std::size_t end = text.size() - 1;
  if (i == end) return out;  // {}
  while (true) {
    if (i >= end) return std::nullopt;
    if (text[i] == '{') return std::nullopt;  // a multi-dimensional array
    if (text[i] == '"') {
      std::string element;
      ++i;
      while (i < end && text[i] != '"') {
        if (text[i] == '\\') {
          ++i;
          if (i >= end) return std::nullopt;
        }
        element += text[i++];
      }
      if (i >= end) return std::nullopt;  // no closing quote
      ++i;
      out.emplace_back(std::move(element));
    } else {
      const std::size_t start = i;
      while (i < end && text[i] != ',') {
        if (text[i] == '"' || text[i] == '{' || text[i] == '}' || text[i] == '\\') return std::nullopt;
        ++i;
      }
      const auto element = text.substr(start, i - start);
      if (element.empty()) return std::nullopt;
      if (element == "NULL")
        out.emplace_back(std::nullopt);
      else
        out.emplace_back(std::string(element));
    }
    if (i == end) return out;
    if (text[i] != ',') return std::nullopt;
    ++i;
  }
}

std::string format_array_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, ec == std::errc{} ? end : buffer);
}

std::optional<double> parse_array_double(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return d;
}

}  // namespace relate::detail
