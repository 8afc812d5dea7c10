// SPDX-License-Identifier: MIT
// relate::migrations::main: argument parsing and one function per command.
#include <relate/migrations/cli.hpp>

#include <relate/migrations/autogenerate.hpp>
#include <relate/migrations/drift.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>

namespace relate::migrations {
namespace {

constexpr const char* usage =
    "usage: PROGRAM [--url URL] [--dir FOLDER] [--echo] COMMAND\n"
    "  upgrade [TARGET] [--sql]     apply scripts up to TARGET (default head); --sql prints the SQL instead\n"
    "  downgrade TARGET [--sql]     undo scripts down to TARGET (an id, -N, or base)\n"
    "  current                      the database's version\n"
    "  history                      the scripts, oldest first\n"
    "  check                        exit 1 if the database differs from the models\n"
    "  stamp TARGET                 set the version without running anything\n"
    "  revision -m MESSAGE [--autogenerate]   write a new script (from the differences, with "
    "--autogenerate)\n"
    "--url defaults to $RELATE_DATABASE_URL, --dir to migrations.\n";

struct arguments {
  std::string url;
  std::optional<std::string> folder;
  bool echo = false;
  bool sql = false;
  bool autogenerate = false;
  std::string message;
  std::string command;
  std::vector<std::string> positional;
};

// nullopt after printing a usage mistake.
std::optional<arguments> parse(int argc, char** argv, std::ostream& err) {
  arguments a;
  if (const char* env = std::getenv("RELATE_DATABASE_URL")) a.url = env;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        err << arg << " needs a value\n" << usage;
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (arg == "--url") {
      auto v = value();
      if (!v) return std::nullopt;
      a.url = *v;
    } else if (arg == "--dir") {
      auto v = value();
      if (!v) return std::nullopt;
      a.folder = *v;
    } else if (arg == "-m" || arg == "--message") {
      auto v = value();
      if (!v) return std::nullopt;
      a.message = *v;
    } else if (arg == "--echo") {
      a.echo = true;
    } else if (arg == "--sql") {
      a.sql = true;
    } else if (arg == "--autogenerate") {
      a.autogenerate = true;
    } else if (arg == "-h" || arg == "--help") {
      err << usage;
      return std::nullopt;
    } else if (!arg.empty() && arg[0] == '-' &&
               !(a.command == "downgrade" && arg.size() > 1 &&
                 std::isdigit(static_cast<unsigned char>(arg[1])))) {
      err << "unknown option " << arg << "\n" << usage;
      return std::nullopt;
    } else if (a.command.empty()) {
      a.command = arg;
    } else {
      a.positional.push_back(arg);
    }
  }
  if (a.command.empty()) {
    err << usage;
    return std::nullopt;
  }
  if (a.url.empty()) {
    err << "no database: give --url URL or set RELATE_DATABASE_URL\n";
    return std::nullopt;
  }
  return a;
}

void print_sql(std::ostream& out, const std::vector<std::string>& statements) {
  for (const auto& s : statements) out << s << (s.rfind("--", 0) == 0 ? "\n" : ";\n");
}

}  // namespace

int main(int argc, char** argv, const orm::metadata& model, runner_options options) {
  return main(argc, argv, model, std::move(options), std::cout, std::cerr);
}

int main(int argc, char** argv, const orm::metadata& model, runner_options options, std::ostream& out,
         std::ostream& err) {
  const auto args = parse(argc, argv, err);
  if (!args) return 2;
  if (args->folder) options.folder = *args->folder;
  const auto& cmd = args->command;
  auto target = [&](const char* fallback) -> std::optional<std::string> {
    if (!args->positional.empty()) return args->positional.front();
    if (fallback) return std::string(fallback);
    err << cmd << " needs a target\n";
    return std::nullopt;
  };
  try {
    auto engine = create_engine(args->url, {.echo = args->echo});
    if (cmd == "revision") {
      if (args->message.empty()) {
        err << "revision needs -m MESSAGE\n";
        return 2;
      }
      std::filesystem::create_directories(options.folder);
      runner r(engine, options);
      generated_operations ops;
      if (args->autogenerate) {
        if (r.current() != r.head()) {
          err << "the database is not at the newest script (" << (r.head().empty() ? "base" : r.head())
              << "): upgrade it first, so the new script starts from there\n";
          return 1;
        }
        auto conn = engine.connect();
        ops = autogenerate(compare(conn, model));
        if (ops.upgrade.empty()) out << "no differences: the script is empty\n";
      }
      out << "wrote " << write_revision(options.folder, r.head(), args->message, ops).string() << "\n";
      for (const auto& n : ops.notes) out << "note: " << n << "\n";
      return 0;
    }
    if (cmd == "check") {
      auto conn = engine.connect();
      const auto diffs = compare(conn, model);
      conn.close();
      for (const auto& d : diffs) out << d.describe() << "\n";
      if (std::filesystem::is_directory(options.folder)) {
        runner r(engine, options);
        if (r.current() != r.head())
          out << "the database is at " << (r.current().empty() ? "base" : r.current())
              << ", the newest script is " << r.head() << ": run upgrade\n";
      }
      if (!diffs.empty()) return 1;
      out << "the database matches the models\n";
      return 0;
    }
    runner r(engine, options);
    if (cmd == "upgrade") {
      const auto t = target("head");
      if (args->sql) {
        print_sql(out, r.upgrade_sql(*t));
        return 0;
      }
      const auto done = r.upgrade(*t);
      for (const auto& id : done) out << "upgraded to " << id << "\n";
      if (done.empty())
        out << "nothing to do: the database is at " << (r.current().empty() ? "base" : r.current()) << "\n";
      return 0;
    }
    if (cmd == "downgrade") {
      const auto t = target(nullptr);
      if (!t) return 2;
      if (args->sql) {
        print_sql(out, r.downgrade_sql(*t));
        return 0;
      }
      const auto done = r.downgrade(*t);
      for (const auto& id : done) out << "downgraded from " << id << "\n";
      if (done.empty()) out << "nothing to do\n";
      return 0;
    }
    if (cmd == "current") {
      const auto c = r.current();
      out << (c.empty() ? "base" : c) << (c == r.head() ? " (head)" : "") << "\n";
      return 0;
    }
    if (cmd == "history") {
      const auto c = r.current();
      for (const auto& m : r.scripts())
        out << (m.parent.empty() ? "base" : m.parent) << " -> " << m.id << ": " << m.message
            << (m.id == c ? "  (current)" : "") << "\n";
      return 0;
    }
    if (cmd == "stamp") {
      const auto t = target(nullptr);
      if (!t) return 2;
      r.stamp(*t);
      out << "stamped " << (r.current().empty() ? "base" : r.current()) << "\n";
      return 0;
    }
    err << "unknown command \"" << cmd << "\"\n" << usage;
    return 2;
  } catch (const std::exception& e) {
    err << cmd << " failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace relate::migrations
