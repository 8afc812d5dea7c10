// SPDX-License-Identifier: MIT
// The shape key walk and the LRU cache of compiled statements.
#include "sql/statement_cache.hpp"

#include <algorithm>

namespace relate::sql::detail {

// ---- shape_collector ---------------------------------------------------------
//
// Every field of every node that a compiler may read goes into the key, with
// lengths before strings and counts before lists, so that two different
// trees can never produce the same key.  Bound values contribute only their
// kind (a dialect may spell a NULL or a blob parameter differently).

void shape_collector::grow(std::size_t n) { key_.resize(std::max(key_.size() * 2, length_ + n)); }

void shape_collector::size(std::size_t n) {
  // Fixed width: no statement has 4 G items or identifiers that long.
  const auto n32 = static_cast<std::uint32_t>(n);
  raw(&n32, sizeof n32);
}

void shape_collector::str(std::string_view s) {
  size(s.size());
  raw(s.data(), s.size());
}

void shape_collector::type(const sql_type& t) {
  // The enumeration by address: enum_type objects live as long as the process
  // (conversions' statics, intern_enum_type), so an address is one type.
  char packed[2 + sizeof t.length + sizeof t.precision + sizeof t.scale + sizeof t.enumeration];
  char* at = packed;
  *at++ = static_cast<char>(t.kind);
  *at++ = static_cast<char>(t.element);
  std::memcpy(at, &t.length, sizeof t.length);
  at += sizeof t.length;
  std::memcpy(at, &t.precision, sizeof t.precision);
  at += sizeof t.precision;
  std::memcpy(at, &t.scale, sizeof t.scale);
  at += sizeof t.scale;
  std::memcpy(at, &t.enumeration, sizeof t.enumeration);
  raw(packed, sizeof packed);
}

void shape_collector::child(const node_ptr& n) {
  if (n) {
    n->accept(*this);
  } else {
    tag('0');
  }
}

void shape_collector::children(const std::vector<node_ptr>& list) {
  size(list.size());
  for (const auto& n : list) child(n);
}

void shape_collector::order(const std::vector<order_item>& items) {
  size(items.size());
  for (const auto& item : items) {
    child(item.expr);
    flag(item.descending);
    byte(static_cast<std::uint8_t>(item.nulls));
  }
}

void shape_collector::count(const std::optional<std::int64_t>& c) {
  flag(c.has_value());
  if (c) source(&c, value_source{nullptr, nullptr, *c});
}

void shape_collector::source(const void* address, value_source s) {
  s.address = address;
  sources_.push_back(s);
}

std::optional<std::unordered_map<const void*, std::size_t>> shape_collector::index() const {
  std::unordered_map<const void*, std::size_t> index;
  index.reserve(sources_.size());
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (!index.emplace(sources_[i].address, i).second) return std::nullopt;
  }
  return index;
}

void shape_collector::visit(const table_ref& n) {
  tag('T');
  str(n.name);
  str(n.schema);
  str(n.alias);
}

void shape_collector::visit(const derived_table& n) {
  tag('D');
  child(n.query);
  str(n.alias);
}

void shape_collector::visit(const column_ref& n) {
  tag('C');
  if (n.table) {
    visit(*n.table);
  } else {
    tag('0');
  }
  str(n.name);
  type(n.type);
}

void shape_collector::visit(const bind_param& n) {
  tag('B');
  byte(static_cast<std::uint8_t>(n.value.kind()));
  flag(n.type.has_value());
  if (n.type) type(*n.type);
  source(&n.value, value_source{nullptr, &n.value, 0});
}

void shape_collector::visit(const null_literal&) { tag('N'); }

void shape_collector::visit(const star& n) {
  tag('*');
  if (n.table) {
    visit(*n.table);
  } else {
    tag('0');
  }
}

void shape_collector::visit(const unary_op& n) {
  tag('U');
  byte(static_cast<std::uint8_t>(n.op));
  child(n.operand);
}

void shape_collector::visit(const binary_op& n) {
  tag('O');
  byte(static_cast<std::uint8_t>(n.op));
  if (is_chain_operator(n.op)) {
    // Flattened as the compiler flattens it (the same SQL, parameters in the
    // same order), without recursing down a long chain.
    std::vector<node_ptr> operands;
    for_each_chained(n, [&operands](const node_ptr& operand) { operands.push_back(operand); });
    children(operands);
    return;
  }
  child(n.left);
  child(n.right);
}

void shape_collector::visit(const like_op& n) {
  tag('L');
  child(n.subject);
  child(n.pattern);
  flag(n.negated);
  flag(n.case_insensitive);
  flag(n.escape.has_value());
  if (n.escape) put(*n.escape);
}

void shape_collector::visit(const in_list& n) {
  tag('I');
  child(n.subject);
  children(n.items);
  flag(n.negated);
}

void shape_collector::visit(const in_select& n) {
  tag('J');
  child(n.subject);
  child(n.query);
  flag(n.negated);
}

void shape_collector::visit(const between_op& n) {
  tag('W');
  child(n.subject);
  child(n.low);
  child(n.high);
  flag(n.negated);
}

void shape_collector::visit(const function_call& n) {
  tag('F');
  str(n.name);
  children(n.args);
  flag(n.distinct);
}

void shape_collector::visit(const known_function_call& n) {
  tag('G');
  byte(static_cast<std::uint8_t>(n.function));
  byte(static_cast<std::uint8_t>(n.field));
  children(n.args);
}

void shape_collector::visit(const case_expr& n) {
  tag('K');
  size(n.whens.size());
  for (const auto& [condition, result] : n.whens) {
    child(condition);
    child(result);
  }
  child(n.otherwise);
}

void shape_collector::visit(const cast_expr& n) {
  tag('X');
  child(n.operand);
  type(n.type);
}

void shape_collector::visit(const json_path& n) {
  tag('J');
  child(n.operand);
  children(n.steps);
  flag(n.as_text);
}

void shape_collector::visit(const labeled& n) {
  tag('A');
  child(n.expr);
  str(n.label);
}

void shape_collector::visit(const scalar_subquery& n) {
  tag('Q');
  child(n.query);
}

void shape_collector::visit(const text_clause& n) {
  tag('R');
  str(n.sql);
  size(n.params.size());
  for (const auto& [name, v] : n.params) {
    str(name);
    byte(static_cast<std::uint8_t>(v.kind()));
    source(&v, value_source{nullptr, &v, 0});
  }
}

void shape_collector::visit(const select_stmt& n) {
  tag('S');
  flag(n.distinct);
  children(n.columns);
  children(n.from);
  size(n.joins.size());
  for (const auto& j : n.joins) {
    byte(static_cast<std::uint8_t>(j.kind));
    child(j.target);
    child(j.on);
  }
  child(n.where);
  children(n.group_by);
  child(n.having);
  order(n.order_by);
  count(n.limit);
  count(n.offset);
  byte(static_cast<std::uint8_t>(n.lock.strength));
  byte(static_cast<std::uint8_t>(n.lock.wait));
  size(n.lock.of.size());
  for (const auto& t : n.lock.of) {
    if (!t) {
      tag('0');  // a null table: the compiler refuses it
      continue;
    }
    tag('T');
    str(t->alias.empty() ? t->name : t->alias);
  }
}

void shape_collector::visit(const compound_select& n) {
  tag('Y');
  byte(static_cast<std::uint8_t>(n.kind));
  children(n.selects);
  order(n.order_by);
  count(n.limit);
  count(n.offset);
}

void shape_collector::visit(const insert_stmt& n) {
  tag('i');
  if (n.table) {
    visit(*n.table);
  } else {
    tag('0');
  }
  size(n.columns.size());
  for (const auto& c : n.columns) str(c);
  size(n.rows.size());
  for (const auto& row : n.rows) children(row);
  child(n.from_select);
  flag(n.upsert.has_value());
  if (n.upsert) {
    size(n.upsert->target_columns.size());
    for (const auto& c : n.upsert->target_columns) str(c);
    size(n.upsert->set.size());
    for (const auto& [column, v] : n.upsert->set) {
      str(column);
      child(v);
    }
  }
  children(n.returning);
}

void shape_collector::visit(const update_stmt& n) {
  tag('u');
  if (n.table) {
    visit(*n.table);
  } else {
    tag('0');
  }
  size(n.assignments.size());
  for (const auto& [column, v] : n.assignments) {
    str(column);
    child(v);
  }
  child(n.where);
  children(n.returning);
}

void shape_collector::visit(const delete_stmt& n) {
  tag('d');
  if (n.table) {
    visit(*n.table);
  } else {
    tag('0');
  }
  child(n.where);
  children(n.returning);
}

// ---- statement_cache ---------------------------------------------------------

std::shared_ptr<const statement_cache::entry> statement_cache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = map_.find(key);
  if (it == map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return it->second->second;
}

std::shared_ptr<const statement_cache::entry> statement_cache::insert(const std::string& key, entry e) {
  auto made = std::make_shared<const entry>(std::move(e));
  std::lock_guard lock(mutex_);
  if (capacity_ == 0) return made;
  if (auto it = map_.find(key); it != map_.end()) {
    // Another thread compiled the same shape meanwhile: keep one copy.
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }
  while (map_.size() >= capacity_) {
    map_.erase(std::string_view(lru_.back().first));
    lru_.pop_back();
  }
  lru_.emplace_front(key, std::move(made));
  map_.emplace(std::string_view(lru_.front().first), lru_.begin());
  return lru_.front().second;
}

void statement_cache::count_miss() {
  std::lock_guard lock(mutex_);
  ++misses_;
}

statement_cache_stats statement_cache::stats() const {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, map_.size()};
}

void statement_cache::clear() {
  std::lock_guard lock(mutex_);
  map_.clear();
  lru_.clear();
}

void statement_cache::set_capacity(std::size_t capacity) {
  std::lock_guard lock(mutex_);
  capacity_ = capacity;
  while (map_.size() > capacity_) {
    map_.erase(std::string_view(lru_.back().first));
    lru_.pop_back();
  }
}

}  // namespace relate::sql::detail
