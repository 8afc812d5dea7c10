// SPDX-License-Identifier: MIT
// Results and rows: reading cells through the driver's cursor.
#include "engine/engine_state.hpp"

namespace relate {

result::result(std::shared_ptr<detail::pooled_connection> keep_alive, std::unique_ptr<native_cursor> cursor)
    : keep_alive_(std::move(keep_alive)), cursor_(std::move(cursor)), current_(*cursor_) {}

result::result(result&&) noexcept = default;
result& result::operator=(result&& other) noexcept {
  if (this != &other) {
    // The old cursor must go before the connection it reads from can return
    // to the pool (and be handed to another thread).
    cursor_.reset();
    keep_alive_ = std::move(other.keep_alive_);
    cursor_ = std::move(other.cursor_);
    current_ = other.current_;
  }
  return *this;
}
result::~result() = default;

std::vector<std::vector<value>> result::all() {
  std::vector<std::vector<value>> rows;
  const auto columns = cursor_->column_count();
  while (cursor_->next()) {
    auto& cells = rows.emplace_back();
    cells.reserve(columns);
    for (std::size_t i = 0; i < columns; ++i) cells.push_back(current_.get_value(i));
  }
  return rows;
}

value row::get_value(std::size_t index) const {
  switch (cursor_->kind(index)) {
    case value_kind::null:
      return value();
    case value_kind::boolean:
      return value(cursor_->get_bool(index));
    case value_kind::integer:
      return value(cursor_->get_int64(index));
    case value_kind::real:
      return value(cursor_->get_double(index));
    case value_kind::text:
      return value(std::string(cursor_->get_text(index)));
    case value_kind::blob:
      return value(cursor_->get_blob(index));
    case value_kind::timestamp:
      return value(cursor_->get_timestamp(index));
    case value_kind::date:
      return value(cursor_->get_date(index));
    case value_kind::interval:
      return value(cursor_->get_interval(index));
  }
  return value();
}

std::size_t row::index_of(std::string_view column) const {
  const auto count = cursor_->column_count();
  for (std::size_t i = 0; i < count; ++i)
    if (cursor_->column_name(i) == column) return i;
  std::string names;
  for (std::size_t i = 0; i < count; ++i) names += (i ? ", " : "") + std::string(cursor_->column_name(i));
  throw usage_error("the result has no column named '" + std::string(column) + "' (columns: " + names + ")");
}

void row::throw_null(std::size_t index) const {
  throw usage_error("column '" + std::string(cursor_->column_name(index)) + "' (index " +
                    std::to_string(index) + ") is NULL; read it as std::optional<T>");
}

void row::throw_out_of_range(std::size_t index, std::int64_t v, std::string_view type) const {
  error_info info;
  info.native_message = "column '" + std::string(cursor_->column_name(index)) + "' holds " +
                        std::to_string(v) + ", which does not fit in the requested " + std::string(type) +
                        " type";
  throw data_error(std::move(info));
}

}  // namespace relate
