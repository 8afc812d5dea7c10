// SPDX-License-Identifier: MIT
#include "fake_cursor.hpp"

#include <relate/error.hpp>

namespace fakedb {

cursor::cursor(std::vector<std::string> columns, std::vector<std::vector<relate::value>> rows,
               std::int64_t affected)
    : columns_(std::move(columns)), rows_(std::move(rows)), affected_(affected) {}

bool cursor::next() {
  if (position_ > rows_.size()) return false;
  ++position_;
  return position_ <= rows_.size();
}

const relate::value& cursor::cell(std::size_t index) const {
  if (position_ == 0 || position_ > rows_.size()) throw relate::usage_error("fakedb: no current row");
  return rows_[position_ - 1].at(index);
}

template <class T>
const T& cursor::as(std::size_t index) const {
  const auto* v = cell(index).get_if<T>();
  if (v == nullptr)
    throw relate::usage_error("fakedb: column '" + columns_.at(index) + "' holds " +
                              std::string(relate::to_string(cell(index).kind())));
  return *v;
}

bool cursor::get_bool(std::size_t index) const { return as<bool>(index); }
std::int64_t cursor::get_int64(std::size_t index) const { return as<std::int64_t>(index); }
double cursor::get_double(std::size_t index) const { return as<double>(index); }
std::string_view cursor::get_text(std::size_t index) const { return as<std::string>(index); }
relate::blob cursor::get_blob(std::size_t index) const { return as<relate::blob>(index); }
relate::timestamp cursor::get_timestamp(std::size_t index) const { return as<relate::timestamp>(index); }
relate::date cursor::get_date(std::size_t index) const { return as<relate::date>(index); }

}  // namespace fakedb
