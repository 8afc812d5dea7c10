// SPDX-License-Identifier: MIT
#include <relate/error.hpp>
#include <relate/read_token.hpp>

#include <algorithm>

namespace relate {

read_token read_token::parse(std::string_view text) {
  constexpr std::size_t longest = 64;
  const auto allowed = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
           c == ':' || c == '.' || c == '_' || c == '-';
  };
  if (text.size() > longest || !std::all_of(text.begin(), text.end(), allowed))
    throw usage_error("relate::read_token::parse: not a read token (at most " + std::to_string(longest) +
                      " letters, digits and / : . _ -)");
  return read_token(std::string(text));
}

}  // namespace relate
