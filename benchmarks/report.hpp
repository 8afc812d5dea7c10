// SPDX-License-Identifier: MIT
// relate-bench's output: the table people read and the JSON machines read.
//
// JSON: an array with one object per workload and backend, with the keys of
// issue 6 -- workload, backend, relate_s, raw_s, ratio, statements (relate's),
// peak_rss_kb (relate's) -- and, besides them, raw_statements,
// raw_peak_rss_kb, target, repetitions, note and error.  A number that does
// not exist (no relate side in this build) is null.
#pragma once

#include "runner.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace relate_bench {

struct report_header {
  backend kind = backend::sqlite;
  double scale = 1;
  sizes n;
  int repetitions = 0;
  std::string machine;  // e.g. "Debian GNU/Linux 12, 2 CPUs (model), 7.8 GiB"
};

void print_table(std::ostream& out, const report_header& header, const std::vector<workload_result>& results);
void print_json(std::ostream& out, const report_header& header, const std::vector<workload_result>& results);

/// A one-line description of this machine (OS, CPUs, memory).
std::string describe_machine();

}  // namespace relate_bench
