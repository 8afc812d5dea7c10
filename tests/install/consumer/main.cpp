// SPDX-License-Identifier: MIT
// Uses the installed relate through the URL given (default: an in-memory
// SQLite database), then reports which plugin files and which librelate the
// process really mapped, so the test can prove they came from the install
// folder and not from the build tree, and which relate release it was built
// with and loaded.
#include <relate/engine.hpp>
#include <relate/version.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

// The paths of the mapped files whose name contains `name`, each once.
std::vector<std::string> mapped_files(const std::string& name) {
  std::vector<std::string> paths;
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.find('/');
    if (slash == std::string::npos || line.find(name, slash) == std::string::npos) continue;
    auto path = line.substr(slash);
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(std::move(path));
  }
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << "relate loaded: " << relate::version().text << ", headers: " << RELATE_VERSION_STRING << '\n';
  try {
    auto engine = relate::create_engine(argc > 1 ? argv[1] : "sqlite://");
    auto conn = engine.connect();
    // A temporary table with an explicit key: the same statements on every
    // backend, and nothing left behind in a shared database.
    conn.execute("CREATE TEMPORARY TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    const auto& dialect = engine.dialect();
    conn.execute("INSERT INTO notes (id, body) VALUES (" + dialect.placeholder(1) + ", " +
                     dialect.placeholder(2) + ")",
                 {1, "installed"});
    std::int64_t rows = 0;
    for (const auto& row :
         conn.execute("SELECT id, body FROM notes WHERE id > " + dialect.placeholder(1), {0})) {
      std::cout << "row " << row.get<std::int64_t>(0) << ' ' << row.get<std::string>("body") << '\n';
      ++rows;
    }
    conn.commit();
    for (const auto& path : mapped_files("librelate_driver_")) std::cout << "plugin: " << path << '\n';
    for (const auto& path : mapped_files("librelate.so")) std::cout << "core: " << path << '\n';
    return rows == 1 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << '\n';
    return 1;
  }
}
