// SPDX-License-Identifier: MIT
#include "plugin_test_env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace relate::testing {

temp_folder::temp_folder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "relate-plugin-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_folder::~temp_folder() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

scoped_env::scoped_env(std::string name, const std::string& value) : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) previous_ = old;
  setenv(name_.c_str(), value.c_str(), 1);
}

scoped_env::~scoped_env() {
  if (previous_)
    setenv(name_.c_str(), previous_->c_str(), 1);
  else
    unsetenv(name_.c_str());
}

namespace {

class plugin_path_environment : public ::testing::Environment {
 public:
  void SetUp() override { setenv("RELATE_PLUGIN_PATH", RELATE_TEST_GOOD_PLUGIN_DIR, 0); }
};

[[maybe_unused]] auto* const registered = ::testing::AddGlobalTestEnvironment(new plugin_path_environment);

}  // namespace

}  // namespace relate::testing
