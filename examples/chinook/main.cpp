// SPDX-License-Identifier: MIT
// relate-chinook [URL] [--load SCRIPT.sql] [--echo]: a short report on the
// Chinook sample database, its relationships loaded eagerly so the number
// of SQL statements stays the same however much data there is.
//
//   relate-chinook sqlite:///chinook.db --load tests/data/chinook/Chinook_Sqlite.sql
//
// --load runs the SQL script first when the database has no Artist table
// (the SQLite driver runs a whole script in one execute()).  The report:
// the first artists by name with their albums and track counts (artists ->
// albums -> tracks, two levels of select-in), the employee hierarchy (a
// self-referential relationship, every level from one select-in), and every
// playlist with its number of tracks (many-to-many).  The last line counts
// the statements relate ran for the report.
#include "models.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string duration(std::int64_t milliseconds) {
  const auto seconds = milliseconds / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  return buffer;
}

void print_artists(relate::session& session, int how_many) {
  using namespace chinook;
  std::cout << "== Artists (the first " << how_many << " by name), their albums and tracks ==\n";
  auto artists = session.query<Artist>()
                     .filter(relate::any(&Artist::albums))
                     .order_by(&Artist::name)
                     .limit(how_many)
                     .options(relate::selectinload(&Artist::albums).selectinload(&Album::tracks))
                     .all();
  for (const auto& artist : artists) {
    std::cout << artist->name.value_or("(no name)") << '\n';
    for (auto& album : artist->albums) {
      std::int64_t total = 0;
      for (auto& track : album.tracks) total += track.milliseconds;
      std::cout << "  " << album.title << ": " << album.tracks.size() << " tracks, " << duration(total)
                << '\n';
    }
  }
}

void print_reports(const chinook::Employee& e, int depth) {
  std::cout << std::string(2 * static_cast<std::size_t>(depth), ' ') << e.first_name << ' ' << e.last_name
            << " (" << e.title.value_or("no title") << ")\n";
  for (const auto& report : e.reports) print_reports(report, depth + 1);
}

void print_employees(relate::session& session) {
  using namespace chinook;
  std::cout << "== Employees ==\n";
  // Every employee with their reports: the whole tree from two statements.
  auto everyone = session.query<Employee>().options(relate::selectinload(&Employee::reports)).all();
  for (const auto& e : everyone)
    if (!e->reports_to) print_reports(*e, 0);
}

void print_playlists(relate::session& session) {
  using namespace chinook;
  std::cout << "== Playlists ==\n";
  auto playlists = session.query<Playlist>()
                       .order_by(&Playlist::id)
                       .options(relate::selectinload(&Playlist::tracks))
                       .all();
  for (const auto& p : playlists) {
    std::cout << p->name.value_or("(no name)") << ": " << p->tracks.size() << " tracks";
    if (!p->tracks.empty()) std::cout << ", first " << p->tracks[0].name;
    std::cout << '\n';
  }
}

bool has_sample(const relate::engine& engine) {
  auto conn = engine.connect();
  try {
    conn.execute("SELECT count(*) FROM " + engine.dialect().quote_identifier("Artist"));
    return true;
  } catch (const relate::database_error&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string url = "sqlite:///chinook.db";
  std::string script;
  bool echo = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--load" && i + 1 < argc) {
      script = argv[++i];
    } else if (arg == "--echo") {
      echo = true;
    } else if (arg.rfind("--", 0) == 0) {
      std::cerr << "usage: relate-chinook [URL] [--load SCRIPT.sql] [--echo]\n";
      return 2;
    } else {
      url = arg;
    }
  }
  try {
    auto engine = relate::create_engine(url, {.echo = echo});
    if (!has_sample(engine)) {
      if (script.empty()) {
        std::cerr << "relate-chinook: " << url
                  << " has no Chinook tables; load them with --load Chinook_Sqlite.sql\n";
        return 1;
      }
      std::ifstream in(script, std::ios::binary);
      if (!in) throw relate::usage_error("cannot read " + script);
      std::stringstream sql;
      sql << in.rdbuf();
      auto conn = engine.connect();
      conn.execute(sql.str());
      conn.commit();
    }

    std::atomic<std::size_t> statements{0};
    engine.add_listener([&](std::string_view, std::span<const relate::value>) { ++statements; });
    relate::session session(engine);
    print_artists(session, 5);
    print_employees(session);
    print_playlists(session);
    std::cout << "SQL statements: " << statements.load() << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relate-chinook: " << e.what() << '\n';
    return 1;
  }
}
