// SPDX-License-Identifier: MIT
// The arguments of query.with_for_update() and session.refresh(object, ...):
// SQLAlchemy's with_for_update(read=, key_share=, nowait=, skip_locked=, of=),
// turned into the SQL layer's row_lock.
#pragma once

#include <relate/error.hpp>
#include <relate/sql/ast.hpp>

#include <vector>

namespace relate::orm {

/// Which row lock a query takes, as SQLAlchemy spells it:
///
///   | read  | key_share | PostgreSQL           |
///   |-------|-----------|----------------------|
///   | false | false     | FOR UPDATE           |
///   | false | true      | FOR NO KEY UPDATE    |
///   | true  | false     | FOR SHARE            |
///   | true  | true      | FOR KEY SHARE        |
///
/// nowait fails at once on a row another transaction locked (an
/// operational_error, SQLSTATE 55P03); skip_locked leaves such rows out, so
/// the consumers of a queue table take different rows.  `of` limits the locks
/// to some tables of a join (mapper_of<T>().table()).  SQLite, which locks
/// the whole database for a writer, ignores all of it, as SQLAlchemy does.
struct for_update_options {
  bool read = false;
  bool key_share = false;
  bool nowait = false;
  bool skip_locked = false;
  std::vector<sql::table_ptr> of{};

  sql::row_lock lock() const {
    if (nowait && skip_locked)
      throw usage_error("relate::with_for_update: nowait and skip_locked exclude each other");
    sql::row_lock l;
    l.strength = read ? (key_share ? sql::lock_strength::key_share : sql::lock_strength::share)
                      : (key_share ? sql::lock_strength::no_key_update : sql::lock_strength::update);
    l.wait = nowait        ? sql::lock_wait::nowait
             : skip_locked ? sql::lock_wait::skip_locked
                           : sql::lock_wait::wait;
    l.of = of;
    return l;
  }
};

}  // namespace relate::orm
