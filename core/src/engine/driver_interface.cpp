// SPDX-License-Identifier: MIT
// Out-of-line destructors of the driver interfaces: their vtables and type
// information live in librelate.so, so every plugin shares one copy.
#include <relate/driver/driver.hpp>

namespace relate {

native_cursor::~native_cursor() = default;
native_connection::~native_connection() = default;
driver::~driver() = default;

bool driver::single_connection(const url&) const { return false; }

bool native_connection::reset() { return is_open(); }

std::string native_connection::log_position() { return {}; }

replica_state native_connection::replication_status(std::string_view) { return {}; }

interval native_cursor::get_interval(std::size_t index) const { return get_timestamp(index) - timestamp{}; }

std::vector<std::int64_t> native_connection::execute_batch(std::string_view sql,
                                                           std::span<const std::vector<value>> param_sets) {
  std::vector<std::int64_t> counts;
  counts.reserve(param_sets.size());
  for (const auto& params : param_sets)
    counts.push_back(execute(sql, params, fetch_mode::buffered)->rows_affected());
  return counts;
}

}  // namespace relate
