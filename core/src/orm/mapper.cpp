// SPDX-License-Identifier: MIT
// Building and checking a mapper, resolving its foreign keys, and the
// persistence statements, compiled once per dialect through its statement cache.
#include <relate/orm/mapper.hpp>

#include "orm/relationship_info.hpp"

#include <relate/sql/nodes.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace relate::orm {

namespace {

std::atomic<std::size_t> next_mapper_id{0};

// Every mapper built so far, by table name, so "table.column" foreign keys
// can find the model behind a table.  Mappers live until the program ends
// (function-local statics), so the raw pointers stay valid.
struct registry {
  std::mutex mutex;
  std::map<std::string, const mapper*, std::less<>> by_table;
};
registry& the_registry() {
  static registry r;
  return r;
}

std::shared_ptr<sql::column_ref> make_column_ref(const sql::table_ptr& table, const sql::column_def& def) {
  auto c = std::make_shared<sql::column_ref>();
  c->table = table;
  c->name = def.name;
  c->type = def.type;
  return c;
}

/// A placeholder typed as the column, for statements whose values the caller binds.
sql::node_ptr make_bind(const sql::column_def& def) { return sql::bind_for(value(), def); }

sql::node_ptr and_all(std::vector<sql::node_ptr> terms) {
  sql::node_ptr result;
  for (auto& t : terms) result = sql::conjoin(std::move(result), std::move(t));
  return result;
}

}  // namespace

foreign_key_t foreign_key(std::string_view table_dot_column, sql::referential_action on_delete_action,
                          sql::referential_action on_update_action) {
  auto dot = table_dot_column.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == table_dot_column.size())
    throw usage_error("relate::orm::foreign_key(\"" + std::string(table_dot_column) +
                      "\"): expected \"table.column\"");
  foreign_key_t fk;
  fk.target.table = std::string(table_dot_column.substr(0, dot));
  fk.target.column = std::string(table_dot_column.substr(dot + 1));
  fk.on_delete = on_delete_action;
  fk.on_update = on_update_action;
  return fk;
}

namespace {

/// Every column has a name of its own and a member of its own.
void check_members(const std::string& where, const std::vector<detail::column_entry>& columns,
                   const std::vector<detail::relationship_entry>& relationships) {
  std::set<std::string, std::less<>> names;
  std::set<std::size_t> offsets;
  for (auto& c : columns) {
    if (c.def.name.empty()) throw usage_error(where + "a column has an empty name");
    if (!names.insert(c.def.name).second)
      throw usage_error(where + "duplicate column name \"" + c.def.name + "\"");
    if (!offsets.insert(c.offset).second)
      throw usage_error(where + "column \"" + c.def.name +
                        "\" maps a member that another column already maps");
  }
  for (const auto& r : relationships)
    if (!offsets.insert(r.offset).second)
      throw usage_error(where +
                        "a relationship is declared twice for one member, or on a member mapped as a column");
}

/// The autoincrement column: explicit, or implied for a single integer
/// primary key (marked in its definition); npos if none.
std::size_t choose_autoincrement(const std::string& where, std::vector<detail::column_entry>& columns,
                                 std::size_t key_size) {
  std::size_t chosen = mapper::npos;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    auto& c = columns[i];
    bool wanted = false;
    if (c.explicit_autoincrement) {
      wanted = *c.explicit_autoincrement;
      if (wanted && !c.integer)
        throw usage_error(where + "autoincrement column \"" + c.def.name + "\" is not an integer");
      if (wanted && !c.def.primary_key)
        throw usage_error(where + "autoincrement column \"" + c.def.name +
                          "\" is not part of the primary key");
    } else {
      wanted = c.def.primary_key && key_size == 1 && c.integer;
    }
    if (!wanted) continue;
    if (chosen != mapper::npos)
      throw usage_error(where + "two autoincrement columns (\"" + columns[chosen].def.name + "\" and \"" +
                        c.def.name + "\")");
    chosen = i;
    c.def.autoincrement = true;
  }
  return chosen;
}

/// The unique constraints and named indexes of the mapping's table options.
void add_table_constraints(const std::string& where, const mapper& m,
                           const std::vector<detail::constraint_data>& constraints, sql::table_def& def) {
  for (const auto& k : constraints) {
    if (k.what == detail::constraint_data::kind::primary_key) continue;
    std::vector<std::string> cols;
    for (auto off : k.offsets) {
      auto i = m.find_column_at_offset(off);
      if (i == mapper::npos)
        throw usage_error(where + "a table constraint names a member that is not mapped");
      cols.push_back(m.columns()[i].def.name);
    }
    if (cols.empty()) throw usage_error(where + "a table constraint names no columns");
    if (k.what == detail::constraint_data::kind::unique) {
      def.uniques.push_back({k.name, std::move(cols)});
    } else {
      if (k.name.empty()) throw usage_error(where + "index_on needs a name");
      def.indexes.push_back({k.name, std::move(cols), false});
    }
  }
}

}  // namespace

mapper::mapper(detail::mapping_data data)
    : id_(next_mapper_id++),
      type_name_(std::move(data.type_name)),
      columns_(std::move(data.columns)),
      make_instance_(data.make_instance),
      relationship_entries_(std::move(data.relationships)),
      relationships_(std::make_unique<detail::relationship_table>()) {
  const std::string where = "relate: mapping of " + type_name_ + " (table \"" + data.table_name + "\"): ";
  if (data.table_name.empty()) throw usage_error(where + "the table name is empty");
  if (columns_.empty()) throw usage_error(where + "no columns are mapped");
  if (columns_.size() > max_columns)
    throw usage_error(where + "more than " + std::to_string(max_columns) + " columns are not supported");

  table_def_.name = data.table_name;
  auto table = std::make_shared<sql::table_ref>();
  table->name = data.table_name;
  table_ = table;

  check_members(where, columns_, relationship_entries_);

  // Table-level primary key: marks its columns.
  for (const auto& k : data.constraints) {
    if (k.what != detail::constraint_data::kind::primary_key) continue;
    for (auto off : k.offsets) {
      auto i = find_column_at_offset(off);
      if (i == npos) throw usage_error(where + "primary_key_constraint names a member that is not mapped");
      columns_[i].def.primary_key = true;
    }
    for (auto off : k.offsets) primary_key_.push_back(find_column_at_offset(off));
  }
  if (primary_key_.empty()) {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i].def.primary_key) primary_key_.push_back(i);
  }
  if (primary_key_.empty())
    throw usage_error(where +
                      "no primary key; mark a column with primary_key (or use primary_key_constraint)");

  autoincrement_ = choose_autoincrement(where, columns_, primary_key_.size());
  single_integer_key_ = primary_key_.size() == 1 && columns_[primary_key_[0]].integer;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (!columns_[i].version) continue;
    if (version_ != npos) throw usage_error(where + "two version_id columns");
    if (columns_[i].def.primary_key)
      throw usage_error(where + "the version_id column cannot be part of the primary key");
    version_ = i;
  }

  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const auto& c = columns_[i];
    if (!c.deferred) continue;
    // The columns every load needs: the identity, the version a flush
    // checks, and the keys relationships follow (the ones relationships
    // join on by other columns are checked when they resolve).
    if (c.def.primary_key || c.version || c.foreign_key)
      throw usage_error(where + "column \"" + c.def.name + "\" cannot be deferred: it is " +
                        (c.def.primary_key ? "part of the primary key"
                         : c.version       ? "the version_id column"
                                           : "a foreign key") +
                        ", which every load reads");
    deferred_ |= std::uint64_t{1} << i;
  }

  for (auto& c : columns_) {
    if (c.def.primary_key) {
      if (c.explicit_nullable && *c.explicit_nullable)
        throw usage_error(where + "primary key column \"" + c.def.name + "\" cannot be nullable");
      c.def.nullable = false;
    } else {
      c.def.nullable = c.explicit_nullable.value_or(c.member_is_optional);
    }
    if (c.def.server_default && c.def.server_default_sql)
      throw usage_error(where + "column \"" + c.def.name +
                        "\" has both server_default and server_default_sql");
    if (c.default_value && c.default_fn)
      throw usage_error(where + "column \"" + c.def.name + "\" has both default_value and default_fn");
    table_def_.columns.push_back(c.def);
    for (auto& k : c.checks) table_def_.checks.push_back({k.name, k.expression});
    // Unnamed: the DDL compiler names it ix_<table>_<column>, within the
    // dialect's identifier limit.
    if (c.index) table_def_.indexes.push_back({{}, {c.def.name}, false});
    column_nodes_.push_back(make_column_ref(table_, c.def));
  }
  for (auto i : primary_key_) table_def_.primary_key.push_back(columns_[i].def.name);

  add_table_constraints(where, *this, data.constraints, table_def_);
  for (auto& k : data.checks) table_def_.checks.push_back({k.name, k.expression});

  auto& reg = the_registry();
  std::lock_guard lock(reg.mutex);
  // Two models may map the same table name (e.g. in separate test files);
  // the first one answers "table.column" lookups, the metadata is exact.
  reg.by_table.emplace(table_def_.name, this);
}

mapper::~mapper() {
  auto& reg = the_registry();
  std::lock_guard lock(reg.mutex);
  auto it = reg.by_table.find(table_def_.name);
  if (it != reg.by_table.end() && it->second == this) reg.by_table.erase(it);
}

const std::vector<detail::relationship_info>& mapper::relationships() const {
  if (!relationships_->resolved.load(std::memory_order_acquire))
    detail::resolve_relationships(*this, *relationships_);
  return relationships_->infos;
}

const detail::relationship_info* mapper::find_relationship(std::size_t offset) const {
  for (const auto& r : relationships())
    if (r.offset == offset) return &r;
  return nullptr;
}

const detail::relationship_info& mapper::relationship_at_offset(std::size_t offset) const {
  if (const auto* r = find_relationship(offset)) return *r;
  throw usage_error("relate: the member of " + type_name_ + " at offset " + std::to_string(offset) +
                    " is not declared as a relationship in its mapping (relationship(&" + type_name_ +
                    "::member, ...))");
}

const mapper* mapper::find_by_table(std::string_view table_name) {
  auto& reg = the_registry();
  std::lock_guard lock(reg.mutex);
  auto it = reg.by_table.find(table_name);
  return it == reg.by_table.end() ? nullptr : it->second;
}

std::size_t mapper::find_column_at_offset(std::size_t offset) const noexcept {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].offset == offset) return i;
  return npos;
}

std::size_t mapper::column_at_offset(std::size_t offset) const {
  auto i = find_column_at_offset(offset);
  if (i == npos)
    throw usage_error("relate: the member of " + type_name_ + " at offset " + std::to_string(offset) +
                      " is not mapped to a column of table \"" + table_def_.name + "\"");
  return i;
}

std::size_t mapper::find_column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].def.name == name) return i;
  return npos;
}

sql::table_def mapper::table_definition() const {
  sql::table_def def = table_def_;
  for (const auto& c : columns_) {
    if (!c.foreign_key) continue;
    const auto& fk = *c.foreign_key;
    sql::foreign_key_def f;
    f.columns = {c.def.name};
    f.on_delete = fk.on_delete;
    f.on_update = fk.on_update;
    if (fk.target.target_mapper) {
      const mapper& target = fk.target.target_mapper();
      auto i = target.find_column_at_offset(fk.target.target_offset);
      if (i == npos)
        throw usage_error("relate: mapping of " + type_name_ + ": column \"" + c.def.name +
                          "\" has a foreign key to a member of " + target.type_name() +
                          " that is not mapped");
      f.ref_table = target.table_name();
      f.ref_columns = {target.columns()[i].def.name};
    } else {
      f.ref_table = fk.target.table;
      f.ref_columns = {fk.target.column};
    }
    def.foreign_keys.push_back(std::move(f));
  }
  return def;
}

std::vector<std::string> mapper::referenced_tables() const {
  std::vector<std::string> out;
  for (const auto& c : columns_) {
    if (!c.foreign_key) continue;
    const auto& t = c.foreign_key->target;
    out.push_back(t.target_mapper ? t.target_mapper().table_name() : t.table);
  }
  return out;
}

std::vector<const mapper*> mapper::dependencies() const {
  std::vector<const mapper*> out;
  for (const auto& c : columns_) {
    if (!c.foreign_key) continue;
    const auto& t = c.foreign_key->target;
    const mapper* m = t.target_mapper ? &t.target_mapper() : find_by_table(t.table);
    if (m && m != this && std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  return out;
}

sql::node_ptr mapper::key_condition(bool with_version) const {
  std::vector<sql::node_ptr> terms;
  auto term = [&](std::size_t i) {
    auto eq = std::make_shared<sql::binary_op>();
    eq->op = sql::binary_operator::eq;
    eq->left = column_nodes_[i];
    eq->right = make_bind(columns_[i].def);
    terms.push_back(std::move(eq));
  };
  for (auto i : primary_key_) term(i);
  if (with_version && version_ != npos) term(version_);
  return and_all(std::move(terms));
}

std::string mapper::statement_key(char kind, std::uint64_t mask, std::size_t count) const {
  // Binary, fixed-width: exact, and short enough to stay in the string's own buffer for the common cases.
  std::string key(1, kind);
  auto put = [&key](auto v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(static_cast<std::uint32_t>(id_));
  if (mask != 0 || count != 0) {
    put(mask);
    put(static_cast<std::uint32_t>(count));
  }
  return key;
}

bool mapper::is_key_column(std::size_t column) const {
  return std::find(primary_key_.begin(), primary_key_.end(), column) != primary_key_.end();
}

std::shared_ptr<const std::string> mapper::insert_sql(const sql::dialect& d, std::uint64_t included,
                                                      bool returning, std::size_t rows) const {
  return d.compile_keyed(statement_key(returning ? 'R' : 'I', included, rows), [&] {
    auto stmt = std::make_shared<sql::insert_stmt>();
    stmt->table = table_;
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (included & (std::uint64_t{1} << i)) stmt->columns.push_back(columns_[i].def.name);
    if (returning) {
      for (auto k : primary_key_) stmt->returning.push_back(column_nodes_[k]);
      for (std::size_t i = 0; i < columns_.size(); ++i)
        if (!(included & (std::uint64_t{1} << i)) && !is_key_column(i))
          stmt->returning.push_back(column_nodes_[i]);
    }
    if (!stmt->columns.empty()) {
      for (std::size_t r = 0; r < rows; ++r) {
        std::vector<sql::node_ptr> row;
        for (std::size_t i = 0; i < columns_.size(); ++i)
          if (included & (std::uint64_t{1} << i)) row.push_back(make_bind(columns_[i].def));
        stmt->rows.push_back(std::move(row));
      }
    }
    return stmt;
  });
}

std::shared_ptr<const std::string> mapper::update_sql(const sql::dialect& d, std::uint64_t changed) const {
  return d.compile_keyed(statement_key('U', changed, 0), [&] {
    auto stmt = std::make_shared<sql::update_stmt>();
    stmt->table = table_;
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (changed & (std::uint64_t{1} << i))
        stmt->assignments.emplace_back(columns_[i].def.name, make_bind(columns_[i].def));
    stmt->where = key_condition(true);
    return stmt;
  });
}

std::shared_ptr<const std::string> mapper::delete_sql(const sql::dialect& d) const {
  return d.compile_keyed(statement_key('D', 0, 0), [&] {
    auto stmt = std::make_shared<sql::delete_stmt>();
    stmt->table = table_;
    stmt->where = key_condition(true);
    return stmt;
  });
}

std::shared_ptr<const std::string> mapper::delete_many_sql(const sql::dialect& d, std::size_t n) const {
  return d.compile_keyed(statement_key('M', 0, n), [&] {
    const auto k = primary_key_.at(0);
    auto in = std::make_shared<sql::in_list>();
    in->subject = column_nodes_[k];
    for (std::size_t i = 0; i < n; ++i) in->items.push_back(make_bind(columns_[k].def));
    auto stmt = std::make_shared<sql::delete_stmt>();
    stmt->table = table_;
    stmt->where = in;
    return stmt;
  });
}

std::vector<sql::node_ptr> mapper::column_nodes_except(std::uint64_t deferred) const {
  std::vector<sql::node_ptr> out;
  out.reserve(column_nodes_.size());
  for (std::size_t i = 0; i < column_nodes_.size(); ++i)
    if (!(deferred & (std::uint64_t{1} << i))) out.push_back(column_nodes_[i]);
  return out;
}

std::shared_ptr<const std::string> mapper::select_by_key_sql(const sql::dialect& d, const sql::row_lock& lock,
                                                             std::uint64_t deferred) const {
  // The lock's strength and wait policy are the key's mask (0 without a lock); OF is never used here.
  // With deferred columns, those are the mask and the lock goes in the count.
  const auto lock_bits = static_cast<std::uint64_t>(lock.strength) | static_cast<std::uint64_t>(lock.wait)
                                                                         << 8;
  const auto key = deferred ? statement_key('P', deferred, static_cast<std::size_t>(lock_bits))
                            : statement_key('S', lock_bits, 0);
  return d.compile_keyed(key, [&] {
    auto stmt = std::make_shared<sql::select_stmt>();
    stmt->columns = column_nodes_except(deferred);
    stmt->from = {table_};
    stmt->where = key_condition();
    stmt->lock.strength = lock.strength;
    stmt->lock.wait = lock.wait;
    return stmt;
  });
}

}  // namespace relate::orm
