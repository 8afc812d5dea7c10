// SPDX-License-Identifier: MIT
// The workloads of relate-bench, in the order they run and print.
#pragma once

#include "workload.hpp"

#include <string_view>
#include <vector>

namespace relate_bench {

/// The database a workload starts from, restored before every repetition.
enum class db_state {
  empty,   // the blog tables with no rows, keys starting at 1
  seeded,  // users 1..n.users, each with n.posts_per_user posts (sizes in workload.hpp)
};

struct workload {
  std::string_view name;   // the JSON "workload" key, e.g. W3_selectin
  std::string_view label;  // the table's first column
  db_state starts_from;
  bool changes_data;  // the database must be restored after each run
  side_fn relate;     // null: no relate side in this build (see note)
  side_fn raw_sqlite;
  side_fn raw_postgresql;
  /// Said in the table and the JSON ("note") when the relate side is not the
  /// one issue 6 asks for yet.
  std::string_view note;
};

const std::vector<workload>& all_workloads();

/// Issue 6's target for relate's median / raw's median on that backend; 0:
/// no target.
double target_ratio(std::string_view workload, backend kind);

}  // namespace relate_bench
