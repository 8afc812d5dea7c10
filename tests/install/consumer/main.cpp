// Uses the installed relate through SQLite (or the URL given as argument),
// then reports which plugin file the process really mapped, so the test can
// prove it came from the install folder and not from the build tree, and
// which relate release it was built with and loaded.
#include <relate/engine.hpp>
#include <relate/version.hpp>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>

namespace {

// The path of the first mapped file whose name contains `name`.
std::string mapped_file(const std::string& name) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.find('/');
    if (slash != std::string::npos && line.find(name, slash) != std::string::npos) return line.substr(slash);
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << "relate loaded: " << relate::version().text << ", headers: " << RELATE_VERSION_STRING << '\n';
  try {
    auto engine = relate::create_engine(argc > 1 ? argv[1] : "sqlite://");
    auto conn = engine.connect();
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    conn.execute("INSERT INTO notes (body) VALUES (?)", {"installed"});
    std::int64_t rows = 0;
    for (const auto& row : conn.execute("SELECT id, body FROM notes WHERE id > ?", {0})) {
      std::cout << "row " << row.get<std::int64_t>(0) << ' ' << row.get<std::string>("body") << '\n';
      ++rows;
    }
    conn.commit();
    std::cout << "plugin: " << mapped_file("librelate_driver_sqlite") << '\n';
    std::cout << "core: " << mapped_file("librelate.so") << '\n';
    std::cout << "expected plugin folder: " << RELATE_EXPECTED_PLUGIN_DIR << '\n';
    return rows == 1 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << '\n';
    return 1;
  }
}
