// SPDX-License-Identifier: MIT
// Autogenerate (Alembic's revision --autogenerate): the operations that bring
// a database to the model, from the drift between them, and the ones that
// undo them.  The result is a first draft for a person to read: a renamed
// column or table looks exactly like a dropped one plus an added one, and a
// drop loses data.
#pragma once

#include <relate/export.hpp>
#include <relate/migrations/drift.hpp>
#include <relate/migrations/operations.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace relate::migrations {

struct generated_operations {
  std::vector<operation> upgrade;
  std::vector<operation> downgrade;
  /// What the reader must check (renames, lost data, changes not generated).
  std::vector<std::string> notes;
};

RELATE_API generated_operations autogenerate(const std::vector<difference>& differences);

/// Writes a new script \<id\>_\<message as a word\>.migration into folder, after
/// parent (empty: the first script), and returns its path.  The id is the
/// current UTC time, YYYYMMDD_HHMMSS (made unique within the folder).
RELATE_API std::filesystem::path write_revision(const std::filesystem::path& folder,
                                                const std::string& parent, const std::string& message,
                                                const generated_operations& ops);

}  // namespace relate::migrations
