// SPDX-License-Identifier: MIT
#include "sqlite_statement_cache.hpp"

#include "sqlite_errors.hpp"

#include <sqlite3.h>

#include <climits>
#include <utility>

namespace relate::sqlite {
namespace {

// What may follow the one statement of an execute() without making it a
// script: blanks, semicolons and comments.
bool is_blank_tail(std::string_view tail) noexcept {
  std::size_t i = 0;
  while (i < tail.size()) {
    const char c = tail[i];
    if (c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (tail.substr(i, 2) == "--") {
      const auto end = tail.find('\n', i);
      i = end == std::string_view::npos ? tail.size() : end + 1;
    } else if (tail.substr(i, 2) == "/*") {
      const auto end = tail.find("*/", i + 2);
      i = end == std::string_view::npos ? tail.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

// ---- statement_lease ----------------------------------------------------------

statement_lease::statement_lease(statement_lease&& other) noexcept
    : owner_(std::move(other.owner_)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      entry_(std::exchange(other.entry_, nullptr)),
      tail_(std::move(other.tail_)) {}

statement_lease& statement_lease::operator=(statement_lease&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    entry_ = std::exchange(other.entry_, nullptr);
    tail_ = std::move(other.tail_);
  }
  return *this;
}

statement_lease::~statement_lease() { release(); }

void statement_lease::release() noexcept {
  if (!stmt_) return;
  if (owner_) {
    owner_->give_back(stmt_, entry_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  entry_ = nullptr;
  owner_.reset();
}

std::shared_ptr<const result_columns> statement_lease::columns() const {
  if (!stmt_) return result_columns::none();
  if (!entry_) return result_columns::of(stmt_);
  // A schema change makes SQLite re-prepare the statement on its next step,
  // and the columns may have changed with it.
  const int reprepares = sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_REPREPARE, 0);
  if (!entry_->columns || entry_->reprepares != reprepares) {
    entry_->columns = result_columns::of(stmt_);
    entry_->reprepares = reprepares;
  }
  return entry_->columns;
}

// ---- statement_cache ----------------------------------------------------------

statement_cache::~statement_cache() {
  // Leases keep the cache alive, so by now no statement is leased.
  for (auto& e : entries_) sqlite3_finalize(e.stmt);
}

statement_lease statement_cache::acquire(std::string_view sql) {
  if (auto found = index_.find(sql); found != index_.end()) {
    auto it = found->second;
    if (!it->leased) {
      it->leased = true;
      entries_.splice(entries_.begin(), entries_, it);
      ++stats_.hits;
      return statement_lease(shared_from_this(), it->stmt, &*it, {});
    }
    ++stats_.bypassed;
  } else {
    ++stats_.misses;
  }

  if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
    throw_database_error(error_category::data, make_error_info(nullptr, SQLITE_TOOBIG, sql.substr(0, 200)));
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw_error(db_, sqlite3_extended_errcode(db_), sql);
  }
  const std::string_view rest =
      tail ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : std::string_view{};
  const bool cacheable = stmt != nullptr && is_blank_tail(rest) && !index_.contains(sql) && capacity_ > 0;
  if (!cacheable) {
    return statement_lease(shared_from_this(), stmt, nullptr,
                           is_blank_tail(rest) ? std::string{} : std::string(rest));
  }

  entries_.push_front(entry{std::string(sql), stmt, true, nullptr, 0});
  index_.emplace(entries_.front().sql, entries_.begin());
  evict_over_capacity();
  return statement_lease(shared_from_this(), stmt, &entries_.front(), {});
}

void statement_cache::give_back(sqlite3_stmt* stmt, entry* e) noexcept {
  if (!e) {
    sqlite3_finalize(stmt);
    return;
  }
  // Reset ends the statement's read transaction (if it was left mid-result);
  // cleared bindings make sure no old value leaks into the next execution.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  e->leased = false;
  evict_over_capacity();
}

void statement_cache::evict_over_capacity() noexcept {
  // Walk from the least recently used end; leased statements stay.
  auto it = entries_.end();
  while (entries_.size() > capacity_ && it != entries_.begin()) {
    --it;
    if (it->leased) continue;
    index_.erase(it->sql);
    sqlite3_finalize(it->stmt);
    it = entries_.erase(it);
  }
}

void statement_cache::clear() noexcept {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->leased) {
      ++it;
      continue;
    }
    index_.erase(it->sql);
    sqlite3_finalize(it->stmt);
    it = entries_.erase(it);
  }
}

statement_cache::stats statement_cache::statistics() const noexcept {
  stats s = stats_;
  s.size = entries_.size();
  return s;
}

}  // namespace relate::sqlite
