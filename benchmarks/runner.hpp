// SPDX-License-Identifier: MIT
// The runner: every measured run in a process of its own, relate and raw
// alternating, several repetitions, medians.
//
// Why a forked child per run: peak RSS is a per-process number, and a
// workload's peak must not include what an earlier one allocated (malloc
// rarely gives memory back).  The child also starts with no connection, no
// loaded plugin and no warm statement cache, the same for both sides; the
// parent itself never opens a database.  Order: repetition r runs relate
// then raw when r is even, raw then relate when it is odd, so a drift of the
// machine (the other builds on this box) hits both sides alike.  A workload
// that changes data gets the database restored before every run.
#pragma once

#include "catalog.hpp"
#include "fixture.hpp"

#include <functional>
#include <string>
#include <vector>

namespace relate_bench {

struct side_runs {
  std::vector<measurement> runs;
  std::string error;  // set: the side failed (the message of its exception or signal)

  bool ran() const { return error.empty() && !runs.empty(); }
  double median_seconds() const;
  long peak_rss_kb() const;          // the highest of the runs
  std::uint64_t statements() const;  // of the first run (the runner checks they agree)
};

struct workload_result {
  const workload* w = nullptr;
  backend kind = backend::sqlite;
  side_runs relate;  // no runs when the workload has no relate side in this build
  side_runs raw;
  std::vector<std::string> problems;  // checksums or statement counts that disagree

  bool has_ratio() const { return relate.ran() && raw.ran(); }
  double ratio() const { return relate.median_seconds() / raw.median_seconds(); }
};

struct run_options {
  int repetitions = 5;
  int warmup = 1;        // unmeasured rounds (both sides) before the repetitions
  bool progress = true;  // a line per run on stderr
};

/// Runs fn in a forked child and waits for it; throws std::runtime_error
/// with the child's exception message (or signal) if it failed.
void run_in_child(const std::function<void()>& fn);

class runner {
 public:
  runner(fixture& f, run_options options) : fixture_(f), options_(options) {}
  workload_result run(const workload& w);

 private:
  measurement run_side(side_fn side, const workload& w);
  void prepare(const workload& w);

  fixture& fixture_;
  run_options options_;
  bool have_state_ = false;
  db_state state_ = db_state::empty;
  bool dirty_ = true;
};

}  // namespace relate_bench
