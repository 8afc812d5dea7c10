// SPDX-License-Identifier: MIT
// The error of a cell that does not convert to the C++ type asked for
// (relate/conversion.hpp): a user type's from_base refused it.
#include <relate/conversion.hpp>

#include <string>

namespace relate::detail {

void throw_invalid_cell(const native_cursor& c, std::size_t i, std::string_view what) {
  std::string shown;
  switch (c.kind(i)) {
    case value_kind::text:
      shown = to_log_string(value(c.get_text(i)));
      break;
    case value_kind::integer:
      shown = std::to_string(c.get_int64(i));
      break;
    default:
      shown = "a " + std::string(to_string(c.kind(i)));
      break;
  }
  error_info info;
  info.native_message = "relate: column '" + std::string(c.column_name(i)) + "' holds " + shown +
                        ", which is not a valid " + std::string(what);
  throw data_error(std::move(info));
}

}  // namespace relate::detail
