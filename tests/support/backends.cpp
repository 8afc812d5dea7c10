// SPDX-License-Identifier: MIT
#include "backends.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <unistd.h>

namespace relate::testing {
namespace {

const char* postgres_url_env() {
  const char* url = std::getenv("RELATE_TEST_POSTGRES_URL");
  return (url && *url) ? url : nullptr;
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

// Appends a libpq option to the URL's query string.
std::string with_query_option(const std::string& url, const std::string& key, const std::string& value) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
}

// The URL with its database (the path after the authority) replaced.
std::string with_database(const std::string& url, const std::string& database) {
  const auto authority = url.find("://") + 3;
  const auto query = url.find('?', authority);
  const auto path = url.find('/', authority);
  const auto end = query == std::string::npos ? url.size() : query;
  const auto start = path == std::string::npos || path > end ? end : path;
  return url.substr(0, start) + "/" + database + url.substr(end);
}

// RELATE_TEST_POSTGRES_SCRATCH=database: each scratch database is a database
// of its own instead of a schema.  For a server behind PgBouncer, which
// refuses the "options" startup parameter (and in transaction mode could not
// keep a per-client search_path anyway).
bool scratch_databases() {
  const char* mode = std::getenv("RELATE_TEST_POSTGRES_SCRATCH");
  return mode && std::string(mode) == "database";
}

}  // namespace

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

std::vector<std::string> all_backends() { return {"sqlite", "postgresql"}; }

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

std::string require_postgres() {
  if (const char* url = postgres_url_env()) return url;
  if (running_in_ci()) {
    // A fatal failure (FAIL needs a void function), so the test body never runs.
    [] {
      FAIL() << "CI=true but RELATE_TEST_POSTGRES_URL is not set: the PostgreSQL cases must run in CI";
    }();
  } else {
    // GTEST_SKIP_ returns void, so it needs a void function too; the caller
    // sees the empty URL and returns, and the test is reported as skipped.
    [] { GTEST_SKIP_("PostgreSQL cases skipped: set RELATE_TEST_POSTGRES_URL (see README) to run them"); }();
  }
  return {};
}

scratch_database::scratch_database(const std::string& backend, engine_options options) : backend_(backend) {
  if (backend == "sqlite") {
    file_ = (std::filesystem::temp_directory_path() / ("relate_test_" + unique_suffix() + ".db")).string();
    url_ = "sqlite:///" + file_;  // file_ is absolute, so this is sqlite:////tmp/...
  } else if (backend == "postgresql") {
    const char* base = postgres_url_env();
    if (!base) throw std::runtime_error("scratch_database: RELATE_TEST_POSTGRES_URL is not set");
    schema_ = "relate_test_" + unique_suffix();
    if (scratch_databases()) {
      // One database per test process (CREATE DATABASE takes about a second
      // on a loaded machine), emptied for each test.
      static const process_database database(base, schema_);
      url_ = with_database(base, database.name);
      run_autocommit(url_, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
      schema_ = "public";
      engine_.emplace(create_engine(url_, std::move(options)));
      return;
    }
    {
      auto admin = create_engine(base);
      auto conn = admin.connect();
      conn.execute("CREATE SCHEMA " + admin.dialect().quote_identifier(schema_));
      conn.commit();
    }
    // libpq's "options" passes -c search_path to the server: every connection
    // of the scratch engine then creates and finds its tables in the schema.
    url_ = with_query_option(base, "options", "-csearch_path%3D" + schema_);
  } else {
    throw std::runtime_error("scratch_database: unknown backend " + backend);
  }
  engine_.emplace(create_engine(url_, std::move(options)));
}

scratch_database::~scratch_database() {
  if (engine_) engine_->dispose();
  engine_.reset();
  try {
    if (!file_.empty()) {
      std::error_code ec;
      for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(file_ + suffix, ec);
    }
    if (!schema_.empty() && !scratch_databases()) {
      auto admin = create_engine(postgres_url_env());
      auto conn = admin.connect();
      conn.execute("DROP SCHEMA IF EXISTS " + admin.dialect().quote_identifier(schema_) + " CASCADE");
      conn.commit();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scratch_database cleanup failed: %s\n", e.what());
  }
}

scratch_database::process_database::process_database(std::string admin_url, std::string database)
    : admin(std::move(admin_url)), name(std::move(database)) {
  run_autocommit(admin, "CREATE DATABASE " + quote(name));
}

scratch_database::process_database::~process_database() {
  try {
    // FORCE: the pooler still holds server connections to it.
    run_autocommit(admin, "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scratch database cleanup failed: %s\n", e.what());
  }
}

std::string scratch_database::quote(const std::string& name) {
  return "\"" + name + "\"";  // names made by unique_suffix(): letters, digits and '_'
}

void scratch_database::run_autocommit(const std::string& url, const std::string& sql) {
  auto admin = create_engine(url, {.transaction = {.isolation = isolation_level::autocommit}});
  auto conn = admin.connect();
  conn.execute(sql);
}

void backend_test::SetUp() {
  if (backend() == "postgresql" && require_postgres().empty()) return;
  try {
    db_ = std::make_unique<scratch_database>(backend(), options());
  } catch (const std::exception& e) {
    FAIL() << "cannot create a scratch database on " << backend() << ": " << e.what();
  }
}

void backend_test::TearDown() { db_.reset(); }

}  // namespace relate::testing
