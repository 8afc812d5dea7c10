// SPDX-License-Identifier: MIT
// A cursor over rows the fake driver made up.
#pragma once

#include <relate/driver/driver.hpp>

#include <string>
#include <vector>

namespace fakedb {

class cursor final : public relate::native_cursor {
 public:
  cursor(std::vector<std::string> columns, std::vector<std::vector<relate::value>> rows,
         std::int64_t affected);

  bool next() override;
  std::size_t column_count() const override { return columns_.size(); }
  std::string_view column_name(std::size_t index) const override { return columns_.at(index); }
  relate::value_kind kind(std::size_t index) const override { return cell(index).kind(); }
  bool get_bool(std::size_t index) const override;
  std::int64_t get_int64(std::size_t index) const override;
  double get_double(std::size_t index) const override;
  std::string_view get_text(std::size_t index) const override;
  relate::blob get_blob(std::size_t index) const override;
  relate::timestamp get_timestamp(std::size_t index) const override;
  relate::date get_date(std::size_t index) const override;
  std::int64_t rows_affected() const override { return affected_; }

 private:
  const relate::value& cell(std::size_t index) const;
  template <class T>
  const T& as(std::size_t index) const;

  std::vector<std::string> columns_;
  std::vector<std::vector<relate::value>> rows_;
  std::int64_t affected_;
  std::size_t position_ = 0;  // 1-based: 0 is before the first row
};

}  // namespace fakedb
