// SPDX-License-Identifier: MIT
// Shared pieces of the PostgreSQL driver tests: a fixture that skips (or, with
// CI=true, fails) without RELATE_TEST_POSTGRES_URL, connections opened
// directly on the driver, a logger that records what the driver logs, and
// uniquely named tables dropped after each test.
#pragma once

#include "pg_connection.hpp"

#include <relate/value.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace relate::postgresql::testing {

/// Records every message with its level.
class capture_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  struct entry {
    spdlog::level::level_enum level;
    std::string text;
  };
  std::vector<entry> entries();
  /// True if some message at `level` contains text.
  bool contains(spdlog::level::level_enum level, std::string_view text);
  /// Every message, one per line (for failure output and "never contains" checks).
  std::string all_text();

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

 private:
  std::vector<entry> entries_;
};

class pg_test : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// A new connection to the test server (query appended to the URL's query string).
  std::unique_ptr<pg_connection> connect(
      std::size_t statement_cache_size = pg_connection::default_statement_cache_size,
      const std::string& extra_query = "");
  /// A table name no other test (or test process) uses; dropped in TearDown.
  std::string unique_table(const std::string& base);

  std::string url_;
  std::shared_ptr<capture_sink> sink_;
  connect_options options_;

 private:
  std::vector<std::string> tables_;
};

/// Runs sql (buffered) and returns the cursor.
std::unique_ptr<native_cursor> run(native_connection& conn, std::string_view sql,
                                   std::vector<value> params = {});
/// The text of the first column of the first row.
std::string scalar_text(native_connection& conn, std::string_view sql, std::vector<value> params = {});
std::int64_t scalar_int(native_connection& conn, std::string_view sql, std::vector<value> params = {});

}  // namespace relate::postgresql::testing
