// SPDX-License-Identifier: MIT
// The statement-shape cache behind dialect::compile().
//
// shape_collector walks a tree once, cheaply: it writes an exact, unambiguous
// key of everything that can change the SQL text (node kinds, operators,
// identifiers, flags, list lengths, the kinds of bound values) and records
// where every bound value lives.  statement_cache maps keys to the compiled
// SQL plus, for each placeholder, which recorded value it takes, so a cache
// hit rebuilds the parameters without running the SQL compiler.
#pragma once

#include <relate/sql/ast.hpp>
#include <relate/sql/dialect.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace relate::sql::detail {

/// Marks an origin that is a constant of the compiled statement, not a value of the tree.
inline constexpr std::size_t constant_origin = std::size_t{1} << (sizeof(std::size_t) * 8 - 1);

/// One bound value found in the tree: a value, or a LIMIT/OFFSET count.
struct value_source {
  const void* address = nullptr;  // where it lives in the tree
  const relate::value* value = nullptr;
  std::int64_t count = 0;
  relate::value get() const { return value ? *value : relate::value(count); }
};

class shape_collector final : public node_visitor {
 public:
  shape_collector() {
    key_.resize(256);
    sources_.reserve(16);
  }
  /// The key, once the walk is done (call finish() first).
  const std::string& key() const noexcept { return key_; }
  void finish() { key_.resize(length_); }
  const std::vector<value_source>& sources() const noexcept { return sources_; }
  /// Address of each bound value -> its index in sources(): only needed to
  /// compile a new shape, so not built on the (hot) cache-hit path.  Null when
  /// one value object occurs twice (a shared subtree): the placeholder-to-
  /// source mapping of such a tree is ambiguous, so it is never stored
  /// (looking it up is still correct).
  std::optional<std::unordered_map<const void*, std::size_t>> index() const;

  void visit(const table_ref&) override;
  void visit(const derived_table&) override;
  void visit(const column_ref&) override;
  void visit(const bind_param&) override;
  void visit(const null_literal&) override;
  void visit(const star&) override;
  void visit(const unary_op&) override;
  void visit(const binary_op&) override;
  void visit(const like_op&) override;
  void visit(const in_list&) override;
  void visit(const in_select&) override;
  void visit(const between_op&) override;
  void visit(const function_call&) override;
  void visit(const known_function_call&) override;
  void visit(const case_expr&) override;
  void visit(const cast_expr&) override;
  void visit(const json_path&) override;
  void visit(const labeled&) override;
  void visit(const scalar_subquery&) override;
  void visit(const text_clause&) override;
  void visit(const select_stmt&) override;
  void visit(const compound_select&) override;
  void visit(const insert_stmt&) override;
  void visit(const update_stmt&) override;
  void visit(const delete_stmt&) override;

 private:
  // The key is written through a cursor into a pre-sized string: this walk
  // is the whole cost of a cache hit, and push_back per byte dominated it.
  void put(char c) {
    if (length_ == key_.size()) grow(1);
    key_[length_++] = c;
  }
  void raw(const void* data, std::size_t n) {
    if (n == 0) return;  // data may be null then (an empty string_view), which memcpy forbids
    if (key_.size() - length_ < n) grow(n);
    std::memcpy(key_.data() + length_, data, n);
    length_ += n;
  }
  void grow(std::size_t n);
  void tag(char t) { put(t); }
  void byte(std::uint8_t b) { put(static_cast<char>(b)); }
  void flag(bool b) { put(b ? '1' : '0'); }
  void size(std::size_t n);
  void str(std::string_view s);
  void type(const sql_type& t);
  void child(const node_ptr& n);
  void children(const std::vector<node_ptr>& list);
  void order(const std::vector<order_item>& items);
  void count(const std::optional<std::int64_t>& c);
  void source(const void* address, value_source s);

  std::string key_;
  std::size_t length_ = 0;
  std::vector<value_source> sources_;
};

/// Thread-safe LRU map from shape keys to compiled SQL.
class statement_cache {
 public:
  struct entry {  // immutable once cached
    std::string sql;
    std::vector<std::size_t> origins;  // per placeholder: index into the shape's sources, or
                                       // constant_origin | index into constants
    std::vector<relate::value> constants;
  };

  /// The cached entry for key.
  std::shared_ptr<const entry> find(const std::string& key);
  /// Caches e under key; returns the entry kept for key (an equal one another
  /// thread inserted first, or e itself, cached or not).
  std::shared_ptr<const entry> insert(const std::string& key, entry e);
  void count_miss();
  statement_cache_stats stats() const;
  void clear();
  void set_capacity(std::size_t capacity);

 private:
  using lru_list = std::list<std::pair<std::string, std::shared_ptr<const entry>>>;
  mutable std::mutex mutex_;
  lru_list lru_;  // most recently used first
  std::unordered_map<std::string_view, lru_list::iterator> map_;
  std::size_t capacity_ = 512;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
};

}  // namespace relate::sql::detail
