// SPDX-License-Identifier: MIT
// Text checks the tests make on error messages and logs.
#pragma once

#include <string_view>

namespace relate::testing {

/// True when `part` occurs in `text`: tests check what a message names, not its whole wording.
inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace relate::testing
