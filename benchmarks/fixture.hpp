// SPDX-License-Identifier: MIT
// The benchmark's database and how it is put back into a known state before
// every run (outside the timed region).
//
// SQLite: a temporary folder holding two template files made once (the empty
// schema, and the seeded data set); restoring copies a template over the
// work file.  PostgreSQL: a schema of its own (relate_bench_<pid>) on the
// server RELATE_BENCH_POSTGRES_URL names, used through search_path;
// restoring truncates the tables (restarting the identity sequences), COPYs
// the data set in, and runs VACUUM ANALYZE so that hint bits and statistics
// are settled before either side reads.  The schema is created by relate's
// own metadata.create_all, so both sides run on the tables relate declares.
#pragma once

#include "catalog.hpp"
#include "workload.hpp"

#include <memory>
#include <string>

namespace relate_bench {

class fixture {
 public:
  virtual ~fixture();
  /// Creates the database (and templates); called once.
  virtual void set_up() = 0;
  /// Puts the work database in `state`.
  virtual void restore(db_state state) = 0;
  /// Removes everything set_up made (unless asked to keep it).
  virtual void tear_down() = 0;
  const bench_context& context() const { return ctx_; }

  /// For --backend; postgres_url: RELATE_BENCH_POSTGRES_URL (required for PostgreSQL).
  static std::unique_ptr<fixture> make(backend kind, const sizes& n, const std::string& postgres_url,
                                       bool keep);

 protected:
  bench_context ctx_;
  bool keep_ = false;
};

}  // namespace relate_bench
