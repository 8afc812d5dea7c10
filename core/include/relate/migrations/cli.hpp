// SPDX-License-Identifier: MIT
// The migration command line, for a program of the user's own that links its
// models (they are compiled C++, so no separate tool can read them):
//
//   // migrate.cpp
//   #include "models.hpp"
//   #include <relate/migrations/cli.hpp>
//   int main(int argc, char** argv) {
//     relate::metadata meta;
//     meta.add<User, Post>();
//     return relate::migrations::main(argc, argv, meta);
//   }
//
//   migrate --url sqlite:///blog.db revision --autogenerate -m "posts get a creation time"
//   migrate --url sqlite:///blog.db upgrade          # or: upgrade --sql, to print the SQL instead
//   migrate --url sqlite:///blog.db check            # exit status 1 if the database differs from the models
//
// Commands: upgrade [TARGET] [--sql], downgrade TARGET [--sql], current,
// history, check, stamp TARGET, revision -m MESSAGE [--autogenerate].
// Options: --url URL (default: $RELATE_DATABASE_URL), --dir FOLDER (default
// migrations), --echo (log every statement).  Exit status: 0 done, 1 failed
// or (check) differences found, 2 a usage mistake.
#pragma once

#include <relate/export.hpp>
#include <relate/migrations/runner.hpp>
#include <relate/orm/metadata.hpp>

#include <iosfwd>

namespace relate::migrations {

/// Runs one command; `options.folder` and the steps come from the caller,
/// --dir overrides the folder.  Writes to out and err (standard output and standard error by default).
RELATE_API int main(int argc, char** argv, const orm::metadata& model, runner_options options = {});
RELATE_API int main(int argc, char** argv, const orm::metadata& model, runner_options options,
                    std::ostream& out, std::ostream& err);

}  // namespace relate::migrations
