// SPDX-License-Identifier: MIT
// A column default as SQL text, brought to one spelling so that what the
// model writes and what the database reports compare equal when they mean
// the same: SQLite keeps the parentheses relate writes, PostgreSQL adds casts
// ('a'::text) and may quote numbers ('-1'::integer).
#pragma once

#include <relate/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace relate::migrations::detail {

std::string normalized_default(std::string_view sql);
/// The value of a default the database reports as a plain literal ('text',
/// a number, true/false, whatever its casts), else nullopt.
std::optional<relate::value> default_literal(std::string_view sql);

}  // namespace relate::migrations::detail
