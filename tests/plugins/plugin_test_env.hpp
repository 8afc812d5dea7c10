// SPDX-License-Identifier: MIT
// Helpers of the plugin tests: a temporary folder and a scoped environment
// variable.  plugin_test_env.cpp also points RELATE_PLUGIN_PATH at the fake
// driver's folder for the whole run (unless the caller set it), so that the
// process-wide registry finds "fakedb" as a user's program would find a driver.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace relate::testing {

/// The fake driver's folder, and the folder of plugins that each fail one check.
inline const std::string good_dir = RELATE_TEST_GOOD_PLUGIN_DIR;
inline const std::string broken_dir = RELATE_TEST_BROKEN_PLUGIN_DIR;

class temp_folder {
 public:
  temp_folder();
  ~temp_folder();
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class scoped_env {
 public:
  scoped_env(std::string name, const std::string& value);
  ~scoped_env();
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace relate::testing
