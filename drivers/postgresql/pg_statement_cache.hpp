// SPDX-License-Identifier: MIT
// The per-connection cache of prepared statements: a bounded LRU from a
// statement's key (its SQL text and parameter types) to the server-side name
// it was prepared under ("relate_<n>").  Pure bookkeeping: the connection
// sends PREPARE and DEALLOCATE, this class decides names and evictions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace relate::postgresql {

class statement_cache {
 public:
  explicit statement_cache(std::size_t capacity);

  /// The prepared name for key, marked most recently used; nullptr if absent.
  const std::string* find(const std::string& key);
  /// A fresh statement name, never handed out before on this connection.
  std::string next_name();
  /// Records key as prepared under name.  Returns the name of the least
  /// recently used statement when the cache was full: the caller deallocates it.
  std::optional<std::string> insert(std::string key, std::string name);
  /// Forgets key (after the server reported its prepared statement unusable).
  void erase(const std::string& key);

  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct entry {
    std::string key;
    std::string name;
  };
  std::size_t capacity_;
  std::uint64_t counter_ = 0;
  std::list<entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<entry>::iterator> index_;
};

}  // namespace relate::postgresql
