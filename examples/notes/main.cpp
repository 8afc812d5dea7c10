// SPDX-License-Identifier: MIT
// relate-notes [URL]: the smallest complete relate program.  It opens the
// database the URL names (default sqlite:///notes.db), creates a table, adds
// a few notes with bound parameters, commits, and prints them back.
#include <relate/engine.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:///notes.db";
  try {
    auto engine = relate::create_engine(url, {.echo = true});
    auto conn = engine.connect();
    conn.execute("DROP TABLE IF EXISTS notes");
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, stars INTEGER)");
    const auto& dialect = engine.dialect();
    const auto insert = "INSERT INTO notes (body, stars) VALUES (" + dialect.placeholder(1) + ", " +
                        dialect.placeholder(2) + ")";
    conn.execute(insert, {"it's bound, not pasted", 3});
    conn.execute(insert, {"Robert'); DROP TABLE notes;--", relate::null});
    conn.execute(insert, {"a third note", 5});
    conn.commit();

    std::cout << "notes with at least one star:\n";
    for (const auto& row : conn.execute(
             "SELECT id, body, stars FROM notes WHERE stars > " + dialect.placeholder(1) + " ORDER BY id",
             {0})) {
      std::cout << "  #" << row.get<std::int64_t>(0) << ' ' << row.get<std::string>("body") << " ("
                << row.get<std::int64_t>("stars") << " stars)\n";
    }
    auto count = conn.execute("SELECT COUNT(*) FROM notes").scalar<std::int64_t>();
    std::cout << "total: " << count.value_or(0) << " notes\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relate-notes: " << e.what() << '\n';
    return 1;
  }
}
