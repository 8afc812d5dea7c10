// SPDX-License-Identifier: MIT
#include "pg_statement_cache.hpp"

#include <algorithm>

namespace relate::postgresql {

statement_cache::statement_cache(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}

const std::string* statement_cache::find(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return &it->second->name;
}

std::string statement_cache::next_name() { return "relate_" + std::to_string(++counter_); }

std::optional<std::string> statement_cache::insert(std::string key, std::string name) {
  std::optional<std::string> evicted;
  if (entries_.size() >= capacity_) {
    evicted = std::move(entries_.back().name);
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
  entries_.push_front(entry{key, std::move(name)});
  index_.emplace(std::move(key), entries_.begin());
  return evicted;
}

void statement_cache::erase(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  entries_.erase(it->second);
  index_.erase(it);
}

}  // namespace relate::postgresql
