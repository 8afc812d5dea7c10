// SPDX-License-Identifier: MIT
// The per-connection cache of prepared statements.
//
// Preparing is most of the cost of a small statement in SQLite, and the ORM
// repeats the same few statements with other values, so each connection keeps
// a bounded LRU of prepared statements keyed by their SQL text.  A statement is
// leased to one cursor at a time: executing the same SQL while an earlier
// cursor still reads from it prepares a second, uncached statement instead of
// resetting the first under the reader's feet.  Returning a lease resets the
// statement and clears its bindings, which also releases the read lock an
// unfinished SELECT holds.  Each cached statement also keeps the description
// of its result columns (sqlite_columns.hpp), so cursors need not rebuild it.
#pragma once

#include "sqlite_columns.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace relate::sqlite {

class statement_cache;

/// Exclusive use of one prepared statement; gives it back when destroyed.
class statement_lease {
 public:
  statement_lease() = default;
  statement_lease(statement_lease&& other) noexcept;
  statement_lease& operator=(statement_lease&& other) noexcept;
  statement_lease(const statement_lease&) = delete;
  statement_lease& operator=(const statement_lease&) = delete;
  ~statement_lease();

  sqlite3_stmt* get() const noexcept { return stmt_; }
  explicit operator bool() const noexcept { return stmt_ != nullptr; }
  /// True when the statement came from (and goes back to) the cache.
  bool cached() const noexcept { return entry_ != nullptr; }
  /// The description of the statement's result columns: the cache's copy
  /// for a cached statement (read again if SQLite re-prepared the statement
  /// since, after a schema change), else read now.
  std::shared_ptr<const result_columns> columns() const;
  /// The SQL after the first statement (for scripts); empty for one statement.
  std::string_view tail() const noexcept { return tail_; }
  /// Gives the statement back now (reset, bindings cleared, or finalized).
  void release() noexcept;

 private:
  friend class statement_cache;
  struct cache_entry;
  statement_lease(std::shared_ptr<statement_cache> owner, sqlite3_stmt* stmt, cache_entry* entry,
                  std::string tail) noexcept
      : owner_(std::move(owner)), stmt_(stmt), entry_(entry), tail_(std::move(tail)) {}
  // Shared ownership keeps the cache alive while a cursor outlives its
  // connection object (the database handle itself is closed with
  // sqlite3_close_v2, which waits for the last statement).
  std::shared_ptr<statement_cache> owner_;
  sqlite3_stmt* stmt_ = nullptr;
  cache_entry* entry_ = nullptr;  // the cache's entry (stable: a list node), null when not cached
  std::string tail_;
};

/// One statement the cache holds (list nodes do not move, so a lease can
/// point at its entry).
struct statement_lease::cache_entry {
  std::string sql;
  sqlite3_stmt* stmt = nullptr;
  bool leased = false;
  std::shared_ptr<const result_columns> columns;  // null until a cursor asks
  int reprepares = 0;                             // SQLITE_STMTSTATUS_REPREPARE when columns was read
};

class statement_cache : public std::enable_shared_from_this<statement_cache> {
 public:
  struct stats {
    std::uint64_t hits = 0;      // a cached statement was reused
    std::uint64_t misses = 0;    // the SQL was prepared
    std::uint64_t bypassed = 0;  // the cached statement was leased: prepared an extra one
    std::size_t size = 0;        // statements held now
  };

  statement_cache(sqlite3* db, std::size_t capacity) : db_(db), capacity_(capacity) {}
  ~statement_cache();
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;

  /// A prepared statement for sql (throws the translated error when SQLite
  /// cannot prepare it).  Statements followed by more SQL are never cached.
  statement_lease acquire(std::string_view sql);

  /// Finalizes every statement not leased right now.
  void clear() noexcept;

  stats statistics() const noexcept;
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  friend class statement_lease;
  using entry = statement_lease::cache_entry;
  using entry_list = std::list<entry>;  // most recently used first

  /// entry: the statement's cache entry, null for a statement not cached.
  void give_back(sqlite3_stmt* stmt, entry* e) noexcept;
  void evict_over_capacity() noexcept;

  sqlite3* db_;
  std::size_t capacity_;
  entry_list entries_;
  std::unordered_map<std::string_view, entry_list::iterator> index_;  // keys view entry::sql
  stats stats_;
};

}  // namespace relate::sqlite
