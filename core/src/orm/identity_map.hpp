// SPDX-License-Identifier: MIT
// The identity map: (mapper, primary key) -> the session's object for that row.
//
// Keyed without building strings: a mapper's single integer key goes into a
// hash map of int64, any other key into a hash map of small value vectors.
// Per-mapper tables are indexed by mapper::id(), so finding a mapper's table
// is an array access.  Their nodes come from a pool the map owns: a tracked
// load inserts a node per row, which malloc made a measurable share of
// query().all() (issue 20), and the pool frees them in blocks.
#pragma once

#include <relate/orm/instance.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/value.hpp>

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <unordered_map>
#include <vector>

namespace relate::orm::detail {

struct value_hash {
  std::size_t operator()(const value& v) const noexcept;
};
struct value_vector_hash {
  std::size_t operator()(const std::vector<value>& key) const noexcept;
};

class identity_map {
 public:
  using state_ptr = std::shared_ptr<instance_state>;

  const state_ptr* find(const mapper& m, std::int64_t key) const {
    if (m.id() >= tables_.size()) return nullptr;
    const auto& t = tables_[m.id()].by_int;
    auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
  }
  const state_ptr* find(const mapper& m, const std::vector<value>& key) const {
    if (m.id() >= tables_.size()) return nullptr;
    const auto& t = tables_[m.id()].by_key;
    auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
  }
  /// Inserts under an integer or a general key; returns the state already
  /// there if the key is taken (and inserts nothing).
  state_ptr insert(const mapper& m, std::int64_t key, state_ptr s) {
    auto [it, inserted] = table(m).by_int.emplace(key, std::move(s));
    return inserted ? nullptr : it->second;
  }
  state_ptr insert(const mapper& m, std::vector<value> key, state_ptr s) {
    auto [it, inserted] = table(m).by_key.emplace(std::move(key), std::move(s));
    return inserted ? nullptr : it->second;
  }
  void erase(const mapper& m, std::int64_t key) {
    if (m.id() < tables_.size()) tables_[m.id()].by_int.erase(key);
  }
  void erase(const mapper& m, const std::vector<value>& key) {
    if (m.id() < tables_.size()) tables_[m.id()].by_key.erase(key);
  }

  template <class F>
  void for_each(F&& f) const {
    for (const auto& t : tables_) {
      for (const auto& [k, s] : t.by_int) f(s);
      for (const auto& [k, s] : t.by_key) f(s);
    }
  }
  template <class F>
  void for_each(const mapper& m, F&& f) const {
    if (m.id() >= tables_.size()) return;
    const auto& t = tables_[m.id()];
    for (const auto& [k, s] : t.by_int) f(s);
    for (const auto& [k, s] : t.by_key) f(s);
  }
  std::size_t size() const noexcept {
    std::size_t n = 0;
    for (const auto& t : tables_) n += t.by_int.size() + t.by_key.size();
    return n;
  }
  /// Moves every object out into `out` and forgets them (no reference
  /// count is touched on the way).
  void drain_into(std::vector<state_ptr>& out) {
    for (auto& t : tables_) {
      for (auto& [k, s] : t.by_int) out.push_back(std::move(s));
      for (auto& [k, s] : t.by_key) out.push_back(std::move(s));
    }
    clear();
  }
  /// Forgets every object; the tables keep their buckets for the next ones.
  void clear() {
    for (auto& t : tables_) {
      t.by_int.clear();
      t.by_key.clear();
    }
  }

 private:
  struct per_mapper {
    explicit per_mapper(std::pmr::memory_resource* pool) : by_int(pool), by_key(pool) {}
    std::pmr::unordered_map<std::int64_t, state_ptr> by_int;
    std::pmr::unordered_map<std::vector<value>, state_ptr, value_vector_hash> by_key;
  };
  per_mapper& table(const mapper& m) {
    while (m.id() >= tables_.size()) tables_.emplace_back(&pool_);
    return tables_[m.id()];
  }
  // Declared first: destroyed after the tables that allocate from it.
  std::pmr::unsynchronized_pool_resource pool_;
  std::vector<per_mapper> tables_;
};

}  // namespace relate::orm::detail
