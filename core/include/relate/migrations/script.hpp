// SPDX-License-Identifier: MIT
// Migration scripts: one text file per migration in a folder (the user's
// migrations/ directory, under version control), read at run time.
//
// The format is small, declarative and the same for every database, so that
// one script runs on SQLite and PostgreSQL, can be read and edited by hand,
// and needs no rebuild of the program to run:
//
//   # relate migration
//   id: 20261203_101500
//   parent: 20261203_100000
//   message: posts get a creation time
//
//   upgrade:
//     add_column posts created_at timestamp not_null default_sql 'CURRENT_TIMESTAMP'
//     create_index posts ix_posts_title (title)
//   downgrade:
//     drop_index posts ix_posts_title
//     drop_column posts created_at
//
// Names are bare words or "double-quoted" (any characters, "" for a quote);
// text is 'single-quoted' ('' for a quote).  Types: boolean, small_integer,
// integer, big_integer, real, numeric(p, s), text, text(n), blob, timestamp,
// timestamp_tz, date, time, interval, uuid, json (enum and array columns are
// not expressible yet: format_script refuses them; use an `sql` step).
// Operations, one per line (create_table spans a block):
//
//   create_table T {
//     column C TYPE [not_null] [autoincrement] [unique] [default LITERAL | default_sql 'SQL']
//     primary_key (C, ...)
//     unique [NAME] (C, ...)
//     foreign_key [NAME] (C, ...) references T (C, ...) [on_delete ACTION] [on_update ACTION]
//     index NAME (C, ...) [unique]
//     check [NAME] 'SQL'
//   }
//   drop_table T                          rename_table T to NEW
//   add_column T C TYPE [options as above]
//   drop_column T C
//   alter_column T C [type TYPE] [nullable | not_null] [default LITERAL | default_sql 'SQL' | no_default]
//                    [rename_to NEW]
//   create_index T NAME (C, ...) [unique] drop_index T NAME
//   add_unique T [NAME] (C, ...)          drop_unique T [NAME] (C, ...)
//   add_foreign_key T [NAME] (C, ...) references T2 (C, ...) [on_delete ACTION] [on_update ACTION]
//   drop_foreign_key T [NAME] (C, ...) references T2 (C, ...)
//   add_check T NAME 'SQL'                drop_check T NAME
//   sql [sqlite | postgresql] 'SQL'       call NAME   (a C++ step, see register_step)
//
// LITERAL: 'text', a number, true, false or null.  ACTION: no_action,
// restrict, cascade, set_null, set_default.  '#' starts a comment.
#pragma once

#include <relate/export.hpp>
#include <relate/migrations/operations.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace relate::migrations {

/// Parses one script; usage_error naming the file and line on a mistake.
RELATE_API migration parse_script(std::string_view text, const std::string& source = "<script>");
/// Writes a migration in the script format (parse_script reads it back).
/// `notes` become comment lines at the top.
RELATE_API std::string format_script(const migration& m, const std::vector<std::string>& notes = {});
/// One operation as a script line (or block).
RELATE_API std::string format_operation(const operation& o);

/// Every *.migration file of a folder, parsed.
RELATE_API std::vector<migration> load_scripts(const std::filesystem::path& folder);

}  // namespace relate::migrations
