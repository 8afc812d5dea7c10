// SPDX-License-Identifier: MIT
// The backends the conformance suite runs on, and a fresh database for each
// test.  SQLite always runs; PostgreSQL runs when RELATE_TEST_POSTGRES_URL is
// set.  Without it the PostgreSQL cases skip with a message, except under
// CI=true, where a missing or unreachable server fails the test.
#pragma once

#include <relate/engine.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relate::testing {

/// True under CI=true, where a test that cannot reach what it needs fails instead of skipping.
bool running_in_ci();

/// "sqlite" and "postgresql": the parameter of every conformance test.
std::vector<std::string> all_backends();

/// For INSTANTIATE_TEST_SUITE_P names.
std::string backend_name(const ::testing::TestParamInfo<std::string>& info);

/// A fresh, empty database for one test: a temporary SQLite file, or a new
/// PostgreSQL schema that the engine's connections use as search_path.
/// Removed when destroyed.
class scratch_database {
 public:
  explicit scratch_database(const std::string& backend, engine_options options = {});
  ~scratch_database();
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  relate::engine& engine() { return *engine_; }
  /// The URL of this database (with the password; do not print it).
  const std::string& url() const { return url_; }
  /// The PostgreSQL schema name ("public" in a database of the process's own, see
  /// RELATE_TEST_POSTGRES_SCRATCH in backends.cpp), empty for SQLite.
  const std::string& schema() const { return schema_; }
  const std::string& backend() const { return backend_; }

 private:
  std::string backend_;
  std::string url_;
  std::string schema_;
  std::string file_;
  /// The database of RELATE_TEST_POSTGRES_SCRATCH=database: made on first
  /// use, dropped when the process ends.
  struct process_database {
    process_database(std::string admin_url, std::string database);
    ~process_database();
    std::string admin, name;
  };
  static std::string quote(const std::string& name);
  static void run_autocommit(const std::string& url, const std::string& sql);
  std::optional<relate::engine> engine_;
};

/// The fixture of the conformance suite: SetUp() skips or fails the
/// PostgreSQL cases as described above, then makes a scratch database.
class backend_test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  relate::engine& engine() { return db_->engine(); }
  scratch_database& db() { return *db_; }
  const std::string& backend() const { return GetParam(); }
  /// Options for the scratch engine; override to turn echo on, etc.
  virtual engine_options options() const { return {}; }

 private:
  std::unique_ptr<scratch_database> db_;
};

/// Returns the PostgreSQL URL, or skips (locally) / fails (CI=true) the test.
/// Use in a PostgreSQL-only test: `auto url = relate::testing::require_postgres(); if (url.empty()) return;`
std::string require_postgres();

}  // namespace relate::testing

#define RELATE_INSTANTIATE_BACKENDS(suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(backends, suite, ::testing::ValuesIn(::relate::testing::all_backends()), \
                           ::relate::testing::backend_name)
