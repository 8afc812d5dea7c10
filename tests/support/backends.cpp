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
    if (!schema_.empty()) {
      auto admin = create_engine(postgres_url_env());
      auto conn = admin.connect();
      conn.execute("DROP SCHEMA IF EXISTS " + admin.dialect().quote_identifier(schema_) + " CASCADE");
      conn.commit();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scratch_database cleanup failed: %s\n", e.what());
  }
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
