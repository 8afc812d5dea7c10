// SPDX-License-Identifier: MIT
// Names relate makes up itself (index names, table aliases) must fit the
// database's identifier limit like any other name, but they are relate's to
// shorten: a user-given name that is too long is refused (see
// dialect::quote_identifier), a generated one is cut and made unique again.
// Outside the SQL layer, relate::sql::generated_name (relate/sql/nodes.hpp).
#pragma once

#include <cstddef>
#include <string>

namespace relate::sql::detail {

/// `name` unchanged when it has at most `limit` bytes (or limit is 0); else its
/// head, cut at a UTF-8 character boundary, then "_" and eight hex digits of a
/// hash of the whole name, `limit` bytes at most, so two long names that share
/// their head stay two names.
std::string fit_generated_name(std::string name, std::size_t limit);

}  // namespace relate::sql::detail
