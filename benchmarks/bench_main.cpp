// SPDX-License-Identifier: MIT
// relate-bench: issue 6's workloads through relate and through the raw C API
// (sqlite3 / libpq), side by side in the same run.
//
//   relate-bench --backend sqlite|postgresql [--scale 1] [--repetitions 5]
//                [--warmup 1] [--workloads W2_scan,W4_get] [--json] [--keep]
//
// PostgreSQL: the server named by RELATE_BENCH_POSTGRES_URL (see
// scripts/with-postgres.sh); the benchmark works in a schema of its own and
// drops it at the end.  --json prints the JSON array on stdout and the table
// on stderr.  The exit status is 1 if a side failed or the two sides of a
// workload did not do the same work (their checksums differ).
#include "catalog.hpp"
#include "fixture.hpp"
#include "report.hpp"
#include "runner.hpp"

#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace relate_bench;

struct arguments {
  backend kind = backend::sqlite;
  double scale = 1;
  run_options run;
  std::set<std::string, std::less<>> only;
  bool json = false;
  bool keep = false;
  std::string profile;  // WORKLOAD:relate|raw -- one run, in this process
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr
      << "relate-bench: " << problem << "\n"
      << "usage: relate-bench [--backend sqlite|postgresql] [--scale S] [--repetitions N] [--warmup N]\n"
      << "                    [--workloads NAME,NAME...] [--json] [--keep] [--quiet]\n"
      << "workloads:";
  for (const auto& w : all_workloads()) std::cerr << ' ' << w.name;
  std::cerr << '\n';
  std::exit(2);
}

arguments parse(int argc, char** argv) {
  arguments a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--backend") {
        const auto v = next();
        if (v == "sqlite")
          a.kind = backend::sqlite;
        else if (v == "postgresql" || v == "postgres")
          a.kind = backend::postgresql;
        else
          usage("unknown backend " + v);
      } else if (arg == "--scale") {
        a.scale = std::stod(next());
        if (!(a.scale > 0)) usage("--scale must be positive");
      } else if (arg == "--repetitions") {
        a.run.repetitions = std::stoi(next());
        if (a.run.repetitions < 1) usage("--repetitions must be at least 1");
      } else if (arg == "--warmup") {
        a.run.warmup = std::stoi(next());
        if (a.run.warmup < 0) usage("--warmup must not be negative");
      } else if (arg == "--workloads") {
        std::stringstream list(next());
        for (std::string name; std::getline(list, name, ',');) a.only.insert(name);
      } else if (arg == "--json") {
        a.json = true;
      } else if (arg == "--profile") {
        a.profile = next();
      } else if (arg == "--keep") {
        a.keep = true;
      } else if (arg == "--quiet") {
        a.run.progress = false;
      } else if (arg == "--help" || arg == "-h") {
        usage("the ORM against the raw C APIs");
      } else {
        usage("unknown argument " + arg);
      }
    } catch (const std::logic_error&) {
      usage("bad value for " + arg);
    }
  }
  for (const auto& name : a.only) {
    bool known = false;
    for (const auto& w : all_workloads()) known = known || w.name == name;
    if (!known) usage("unknown workload " + name);
  }
  return a;
}

/// --profile: set up, restore and run one side once, in this process.
int profile(const arguments& args, const sizes& n, const char* pg_url) {
  const auto colon = args.profile.find(':');
  const std::string name = args.profile.substr(0, colon);
  const std::string side = colon == std::string::npos ? "relate" : args.profile.substr(colon + 1);
  const workload* w = nullptr;
  for (const auto& candidate : all_workloads())
    if (candidate.name == name) w = &candidate;
  if (!w) usage("unknown workload " + name);
  const side_fn fn = side == "raw"      ? (args.kind == backend::sqlite ? w->raw_sqlite : w->raw_postgresql)
                     : side == "relate" ? w->relate
                                        : nullptr;
  if (!fn) usage("--profile " + args.profile + ": no such side in this build");
  auto f = fixture::make(args.kind, n, pg_url ? pg_url : "", args.keep);
  f->set_up();
  measurement m;
  try {
    f->restore(w->starts_from);
    fn(f->context(), m);
  } catch (...) {
    f->tear_down();
    throw;
  }
  f->tear_down();
  std::cout << w->name << ' ' << side << ": " << m.seconds << " s, " << m.statements << " statements, peak "
            << m.peak_rss_kb << " kB, checksum " << m.checksum << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const arguments args = parse(argc, argv);
  const char* pg_url = std::getenv("RELATE_BENCH_POSTGRES_URL");
  report_header header;
  header.kind = args.kind;
  header.scale = args.scale;
  header.n = sizes::at_scale(args.scale);
  header.repetitions = args.run.repetitions;
  header.machine = describe_machine();

  if (!args.profile.empty()) {
    try {
      return profile(args, header.n, pg_url);
    } catch (const std::exception& e) {
      std::cerr << "relate-bench: " << e.what() << '\n';
      return 1;
    }
  }

  std::vector<workload_result> results;
  bool ok = true;
  try {
    auto f = fixture::make(args.kind, header.n, pg_url ? pg_url : "", args.keep);
    run_in_child([&] { f->set_up(); });
    try {
      runner r(*f, args.run);
      for (const auto& w : all_workloads()) {
        if (!args.only.empty() && !args.only.contains(w.name)) continue;
        // A workload without a raw side on this backend has nothing to compare with (W1_insert_copy on
        // SQLite).
        if (!(args.kind == backend::sqlite ? w.raw_sqlite : w.raw_postgresql)) continue;
        if (args.run.progress) std::cerr << w.name << '\n';
        results.push_back(r.run(w));
        const auto& last = results.back();
        ok = ok && last.problems.empty() && last.relate.error.empty() && last.raw.error.empty();
      }
    } catch (...) {
      run_in_child([&] { f->tear_down(); });
      throw;
    }
    run_in_child([&] { f->tear_down(); });
  } catch (const std::exception& e) {
    std::cerr << "relate-bench: " << e.what() << '\n';
    return 1;
  }

  if (args.json) {
    print_table(std::cerr, header, results);
    print_json(std::cout, header, results);
  } else {
    print_table(std::cout, header, results);
  }
  return ok ? 0 : 1;
}
