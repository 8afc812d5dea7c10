// SPDX-License-Identifier: MIT
// Helpers for the SQLite driver's tests: a temporary folder per test and a
// connection opened straight from the driver (no engine, no plugin loader).
#pragma once

#include "sqlite_connection.hpp"
#include "sqlite_driver.hpp"

#include <relate/driver/driver.hpp>
#include <relate/url.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace relate::sqlite::testing {

inline connect_options quiet_options() {
  connect_options options;
  options.logger =
      std::make_shared<spdlog::logger>("relate.sql.test", std::make_shared<spdlog::sinks::null_sink_mt>());
  return options;
}

inline std::unique_ptr<sqlite_connection> open(const std::string& url_text,
                                               connect_options options = quiet_options()) {
  return std::make_unique<sqlite_connection>(url::parse(url_text), options);
}

/// Runs sql and returns every row's cells as values (buffered).
inline std::vector<std::vector<value>> rows(native_connection& conn, std::string_view sql,
                                            std::vector<value> params = {}) {
  auto cursor = conn.execute(sql, params, fetch_mode::buffered);
  std::vector<std::vector<value>> out;
  while (cursor->next()) {
    auto& row = out.emplace_back();
    for (std::size_t i = 0; i < cursor->column_count(); ++i) {
      switch (cursor->kind(i)) {
        case value_kind::null:
          row.emplace_back();
          break;
        case value_kind::integer:
        case value_kind::boolean:
          row.emplace_back(cursor->get_int64(i));
          break;
        case value_kind::real:
          row.emplace_back(cursor->get_double(i));
          break;
        case value_kind::blob:
          row.emplace_back(cursor->get_blob(i));
          break;
        default:
          row.emplace_back(std::string(cursor->get_text(i)));
      }
    }
  }
  return out;
}

inline std::int64_t scalar_int(native_connection& conn, std::string_view sql,
                               std::vector<value> params = {}) {
  auto cursor = conn.execute(sql, params, fetch_mode::buffered);
  EXPECT_TRUE(cursor->next()) << sql;
  return cursor->get_int64(0);
}

/// A fresh folder under the system temp folder, removed after the test.
class temp_dir_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("relate_sqlite_" + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }
  /// sqlite:////<dir>/<name>
  std::string file_url(const std::string& name, const std::string& query = "") const {
    return "sqlite:///" + (dir_ / name).string() + (query.empty() ? "" : "?" + query);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace relate::sqlite::testing
