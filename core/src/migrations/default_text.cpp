// SPDX-License-Identifier: MIT
#include "migrations/default_text.hpp"

#include <cctype>

namespace relate::migrations::detail {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Whether s is "( ... )" with the first parenthesis closed by the last one.
bool wrapped_in_parentheses(const std::string& s) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0 && i + 1 < s.size()) return false;
  }
  return true;
}

// The position of a trailing "::type" cast outside quotes, or npos.
std::size_t trailing_cast(const std::string& s) {
  bool quoted = false;
  std::size_t last = std::string::npos;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '\'') quoted = !quoted;
    if (!quoted && s[i] == ':' && s[i + 1] == ':') last = i;
  }
  if (last == std::string::npos) return last;
  for (std::size_t i = last + 2; i < s.size(); ++i) {
    const char c = s[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '(' || c == ')' ||
          c == ',' || c == '[' || c == ']' || c == '"'))
      return std::string::npos;
  }
  return last;
}

bool numeric_text(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  bool digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
      return false;
    }
  }
  return digit;
}

// Without parentheses around it and casts after it.
std::string bare(std::string_view sql) {
  std::string s = trimmed(sql);
  for (bool changed = true; changed;) {
    changed = false;
    if (wrapped_in_parentheses(s)) {
      s = trimmed(std::string_view(s).substr(1, s.size() - 2));
      changed = true;
    }
    if (const auto cast = trailing_cast(s); cast != std::string::npos) {
      s = trimmed(std::string_view(s).substr(0, cast));
      changed = true;
    }
  }
  return s;
}

}  // namespace

std::string normalized_default(std::string_view sql) {
  std::string s = bare(sql);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'' &&
      numeric_text(std::string_view(s).substr(1, s.size() - 2)))
    s = s.substr(1, s.size() - 2);
  // Keywords and function names compare without case; quoted text keeps it.
  bool quoted = false;
  for (char& c : s) {
    if (c == '\'') quoted = !quoted;
    if (!quoted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

std::optional<relate::value> default_literal(std::string_view sql) {
  const std::string s = bare(sql);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
    const auto inner = s.substr(1, s.size() - 2);
    std::string text;
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '\'') {
        if (i + 1 >= inner.size() || inner[i + 1] != '\'') return std::nullopt;  // two literals, not one
        ++i;
      }
      text += inner[i];
    }
    return relate::value(std::move(text));
  }
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true") return relate::value(true);
  if (lower == "false") return relate::value(false);
  if (numeric_text(s)) {
    if (s.find_first_of(".eE") != std::string::npos) return relate::value(std::stod(s));
    return relate::value(static_cast<std::int64_t>(std::stoll(s)));
  }
  return std::nullopt;
}

}  // namespace relate::migrations::detail
