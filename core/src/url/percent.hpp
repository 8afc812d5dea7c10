// SPDX-License-Identifier: MIT
// Percent-encoding for the parts of a connection URL (RFC 3986).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace relate::detail {

/// Decodes %XX escapes; std::nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text);

/// Encodes every byte that is not unreserved and not in `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = "");

}  // namespace relate::detail
