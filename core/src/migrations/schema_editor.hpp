// SPDX-License-Identifier: MIT
// Turns migration operations into SQL for one database, keeping a model of
// the tables as they will be after each statement.  Where the database's
// ALTER TABLE cannot do an operation in place (schema_support::alter()), the
// table is rebuilt: SQLite's recipe (https://sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"), Alembic's batch mode: create
// the new table under a temporary name, copy the rows, drop the old table,
// rename the new one, then re-create its indexes and triggers.
#pragma once

#include <relate/migrations/inspection.hpp>
#include <relate/migrations/operations.hpp>
#include <relate/sql/dialect.hpp>

#include <map>
#include <string>
#include <vector>

namespace relate::migrations::detail {

class schema_editor {
 public:
  schema_editor(const sql::dialect& d, const database_schema& current);

  /// The statements for one operation (none for call, which the runner runs);
  /// the model is updated as if they ran.
  std::vector<std::string> apply(const operation& o);
  /// Forget the model and take the database's description again (after SQL
  /// or C++ steps the model cannot follow).
  void refresh(const database_schema& current);
  /// Whether an operation so far rebuilt a table.
  bool rebuilt() const noexcept { return rebuilt_; }
  /// Whether an operation may rebuild a table on this database (decided
  /// before the migration's transaction, to switch foreign keys off around it).
  static bool may_rebuild(const sql::schema_support& tools, const operation& o);

 private:
  sql::reflected_table& table(const std::string& name);
  std::string quoted(const sql::table_def& t) const;
  /// The statements that rebuild `before` as `after`; sources maps each
  /// column of `after` to the column of `before` its values come from.
  std::vector<std::string> rebuild(const sql::reflected_table& before, const sql::table_def& after,
                                   const std::map<std::string, std::string>& sources);
  std::vector<std::string> rebuild(sql::reflected_table& t, sql::table_def after);

  const sql::dialect& d_;
  const sql::schema_support& tools_;
  std::map<std::string, sql::reflected_table> tables_;
  bool rebuilt_ = false;
};

}  // namespace relate::migrations::detail
