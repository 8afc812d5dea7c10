// SPDX-License-Identifier: MIT
// Helpers of the production suite (issue 16): the pool, transaction options,
// retries, PgBouncer and failover, run on every backend where they apply.
#pragma once

#include <backends.hpp>

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace production_test {

/// The n-th (1-based) placeholder in the backend's style.
inline std::string ph(const relate::engine& e, int n) {
  return e.dialect().name() == "postgresql" ? "$" + std::to_string(n) : "?";
}

/// Marks the native connection under conn with a temporary table (temporary
/// tables belong to one connection on both backends), so a later checkout
/// can tell whether it got the same connection back.
inline void mark(relate::connection& conn, const std::string& name) {
  conn.execute("CREATE TEMPORARY TABLE " + name + " (x INTEGER)");
  conn.commit();
}
inline bool has_mark(relate::connection& conn, const std::string& name) {
  try {
    conn.execute("SELECT count(*) FROM " + name);
    conn.rollback();
    return true;
  } catch (const relate::database_error&) {
    conn.rollback();
    return false;
  }
}

inline std::int64_t count_rows(const relate::engine& e, const std::string& sql) {
  auto conn = e.connect();
  return conn.execute(sql).scalar<std::int64_t>().value_or(-1);
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// An environment variable the test needs; empty (after skipping, or failing
/// under CI=true) when it is not set.
inline std::string require_env(const char* name, const char* what) {
  if (const char* v = std::getenv(name); v && *v) return v;
  // Set where the suite runs against a server of its own that no local
  // PgBouncer or standby can be put next to (docker/compose.yaml).
  if (const char* extra = std::getenv("RELATE_TEST_EXTRA_SERVERS"); extra && std::string(extra) == "none") {
    std::printf("skipped: RELATE_TEST_EXTRA_SERVERS=none (%s)\n", what);
    return {};
  }
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true")
    ADD_FAILURE() << "CI=true but " << name << " is not set: " << what
                  << " must run in CI (scripts/with-postgres.sh sets it)";
  else
    std::printf("skipped: %s is not set (%s; run through scripts/with-postgres.sh)\n", name, what);
  return {};
}

/// Runs a shell command (a server script) and returns its standard output;
/// a non-zero exit fails the test.
inline std::string run_command(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return {};
  std::string out;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  const int status = ::pclose(pipe.release());
  EXPECT_EQ(status, 0) << command << "\n" << out;
  return out;
}

}  // namespace production_test
