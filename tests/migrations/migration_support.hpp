// SPDX-License-Identifier: MIT
// Helpers of the migration tests: a temporary migrations folder, scripts
// written into it, and snapshots of table contents to compare.
#pragma once

#include <relate/engine.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace migration_test {

class scripts_folder {
 public:
  scripts_folder() {
    std::random_device r;
    path_ = std::filesystem::temp_directory_path() / ("relate-migrations-" + std::to_string(r()));
    std::filesystem::create_directories(path_);
  }
  ~scripts_folder() { std::filesystem::remove_all(path_); }
  scripts_folder(const scripts_folder&) = delete;
  scripts_folder& operator=(const scripts_folder&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Writes <id>.migration with the given upgrade and downgrade sections.
  void write(const std::string& id, const std::string& parent, const std::string& upgrade,
             const std::string& downgrade) const {
    std::ofstream out(path_ / (id + ".migration"));
    out << "id: " << id << "\nparent: " << (parent.empty() ? "none" : parent) << "\nmessage: step " << id
        << "\n\nupgrade:\n"
        << upgrade << "\ndowngrade:\n"
        << downgrade << "\n";
  }

 private:
  std::filesystem::path path_;
};

/// Every row of a query, each as one line of text: what "the data is intact" compares.
inline std::vector<std::string> rows_of(relate::engine& e, const std::string& sql) {
  auto conn = e.connect();
  std::vector<std::string> out;
  for (const auto& row : conn.execute(sql).all()) {
    std::string line;
    for (const auto& v : row) line += relate::to_log_string(v) + "|";
    out.push_back(line);
  }
  return out;
}

}  // namespace migration_test
