// SPDX-License-Identifier: MIT
// Running migrations (Alembic's command module): a chain of scripts from a
// folder, applied to a database whose current version is kept in a table of
// its own (relate_version, one row).
//
//   relate::migrations::runner r(engine, {.folder = "migrations"});
//   r.upgrade();            // to the newest script ("head")
//   r.downgrade("base");    // undo them all
//
// Each migration runs in one transaction, with the version update, so one
// that fails leaves schema, data and version as they were (both SQLite and
// PostgreSQL have transactional DDL).  A second runner started at the same
// time waits for the first at the start of each migration's transaction
// (PostgreSQL: an advisory lock; SQLite: the database's write lock, under
// busy_timeout), then reads the version again and finds nothing left to do.
// On SQLite, a migration that rebuilds tables runs with foreign_keys off and
// is refused at COMMIT if PRAGMA foreign_key_check finds a broken reference.
#pragma once

#include <relate/engine.hpp>
#include <relate/export.hpp>
#include <relate/migrations/operations.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relate::migrations {

/// A data step written in C++ (a script's `call NAME`), run on the
/// migration's connection inside its transaction.
using step_function = std::function<void(connection&)>;

struct runner_options {
  std::filesystem::path folder = "migrations";
  std::string version_table = "relate_version";
  /// The C++ steps scripts may call, by name.
  std::map<std::string, step_function> steps{};
};

class RELATE_API runner {
 public:
  /// Reads and checks the scripts of options.folder: one chain from a first
  /// script (no parent) to the head, no two scripts with the same parent.
  runner(engine e, runner_options options = {});

  /// The scripts, first to head.
  const std::vector<migration>& scripts() const noexcept { return chain_; }
  /// The newest script's id; empty when the folder has none.
  std::string head() const;
  /// The database's version; empty when it has none (never migrated, or at base).
  std::string current() const;

  /// Applies the scripts after the current version up to target ("head",
  /// an id or a unique prefix of one).  Returns the ids applied.
  std::vector<std::string> upgrade(std::string_view target = "head");
  /// Undoes scripts down to target ("base", an id, or "-N" for N steps back).
  /// Returns the ids undone.
  std::vector<std::string> downgrade(std::string_view target);
  /// Sets the version without running anything (a database made by create_all
  /// that is known to match a script).
  void stamp(std::string_view target);

  /// Offline mode: the SQL an upgrade/downgrade would run, statement by
  /// statement, read from the current version and schema, executing nothing.
  std::vector<std::string> upgrade_sql(std::string_view target = "head");
  std::vector<std::string> downgrade_sql(std::string_view target);

 private:
  std::size_t position(std::string_view id) const;  // index in chain_ + 1; 0 for base
  std::size_t resolve(std::string_view target, bool downgrade) const;
  void ensure_version_table() const;
  std::string read_version(connection& conn) const;
  /// Moves the database one script towards target (a chain position);
  /// false when it is there already.
  bool step(std::size_t target, std::string* moved);
  std::vector<std::string> run(std::size_t target);
  std::vector<std::string> offline_sql(std::size_t target);

  engine engine_;
  runner_options options_;
  std::vector<migration> chain_;
};

}  // namespace relate::migrations
