// SPDX-License-Identifier: MIT
// The mapper: what relate knows about one mapped type, built once from its
// relate_mapping(model<T>) and shared by every session.
//
// A mapper is table-driven: a list of columns, each with the member's offset
// in the object and plain function pointers for that member type (read,
// load from a cursor, compare with a snapshot).  The session's per-row loops
// walk that list; no virtual call or std::function runs per column per row.
// The SQL of the hot statements (insert, update by primary key for a set of
// changed columns, delete and select by primary key) is compiled once per
// dialect and kept here.
#pragma once

#include <relate/export.hpp>

#include <relate/orm/instance.hpp>
#include <relate/orm/mapping.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/dialect.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relate::orm {

namespace detail {

/// Mapping data with the type erased, as the mapper consumes it.
struct mapping_data {
  std::string type_name;
  std::string table_name;
  std::vector<column_entry> columns;
  std::vector<constraint_data> constraints;
  std::vector<check_t> checks;
  std::vector<relationship_entry> relationships;
  std::shared_ptr<instance_state> (*make_instance)() = nullptr;
};

class relationship_info;
struct relationship_table;

/// "User" from the compiler's spelling of a function signature, for messages.
template <class T>
std::string type_name() {
  std::string_view s = __PRETTY_FUNCTION__;  // "... type_name() [with T = User; ...]" or "[T = User]"
  auto start = s.find("T = ");
  if (start == std::string_view::npos) return std::string(s);
  start += 4;
  auto end = s.find_first_of(";]", start);
  return std::string(s.substr(start, end - start));
}

template <class T>
std::shared_ptr<instance_state> make_instance() {
  return std::make_shared<instance<T>>();
}

}  // namespace detail

class RELATE_API mapper {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  /// A mapped table has at most this many columns (change masks are 64-bit).
  static constexpr std::size_t max_columns = 64;

  /// Validates the mapping; throws usage_error naming the type on a mistake.
  explicit mapper(detail::mapping_data data);
  ~mapper();
  mapper(const mapper&) = delete;
  mapper& operator=(const mapper&) = delete;

  /// A small number unique to this mapper in the process (for per-mapper tables).
  std::size_t id() const noexcept { return id_; }
  const std::string& type_name() const noexcept { return type_name_; }
  const std::string& table_name() const noexcept { return table_def_.name; }
  /// The table as an expression-tree FROM item.
  const sql::table_ptr& table() const noexcept { return table_; }
  const std::vector<detail::column_entry>& columns() const noexcept { return columns_; }
  /// column_ref nodes of every column, in column order (a SELECT of the object).
  const std::vector<sql::node_ptr>& column_nodes() const noexcept { return column_nodes_; }
  /// Indexes of the primary key columns, in key order.
  const std::vector<std::size_t>& primary_key() const noexcept { return primary_key_; }
  /// The autoincrement column, or npos.
  std::size_t autoincrement_column() const noexcept { return autoincrement_; }
  /// The version_id column (optimistic locking), or npos.
  std::size_t version_column() const noexcept { return version_; }
  /// True when the key is one integer column (the identity map's fast path).
  bool single_integer_key() const noexcept { return single_integer_key_; }
  /// The columns the mapping marks deferred (bit i: column i), left out of
  /// the SELECTs that load objects unless a query undefers them.
  std::uint64_t deferred_columns() const noexcept { return deferred_; }
  /// Every column, as a mask.
  std::uint64_t all_columns() const noexcept {
    return columns_.size() == max_columns ? ~std::uint64_t{0} : (std::uint64_t{1} << columns_.size()) - 1;
  }

  /// The column mapped to the member at offset, or npos.
  std::size_t find_column_at_offset(std::size_t offset) const noexcept;
  /// The same, throwing usage_error naming the type when the member is not mapped.
  std::size_t column_at_offset(std::size_t offset) const;
  std::size_t find_column(std::string_view name) const noexcept;

  /// The table definition for DDL, with foreign keys resolved to table and
  /// column names.  Throws usage_error when a target is not mapped.
  sql::table_def table_definition() const;
  /// The mappers this one's foreign keys point to (that exist so far), without itself.
  std::vector<const mapper*> dependencies() const;
  /// The table names this one's foreign keys point to.
  std::vector<std::string> referenced_tables() const;

  std::shared_ptr<instance_state> make_instance() const { return make_instance_(); }

  /// The relationships as declared in the mapping.
  const std::vector<detail::relationship_entry>& relationship_entries() const noexcept {
    return relationship_entries_;
  }
  bool has_relationships() const noexcept { return !relationship_entries_.empty(); }
  /// The relationships resolved against their targets (the first call
  /// resolves them; throws usage_error on a mapping mistake).
  const std::vector<detail::relationship_info>& relationships() const;
  /// The relationship whose member is at offset, or null.
  const detail::relationship_info* find_relationship(std::size_t offset) const;
  /// The same, throwing usage_error naming the type when there is none.
  const detail::relationship_info& relationship_at_offset(std::size_t offset) const;
  /// Where the resolved relationships live (for the resolver).
  detail::relationship_table& relationship_storage() const noexcept { return *relationships_; }

  // The SQL of the session's hot paths, compiled once per dialect and kept
  // in the dialect's statement cache under a key naming the mapper, the
  // statement and its columns (dialect::compile_keyed).
  /// INSERT of the columns in `included`, `rows` rows of VALUES.  With
  /// `returning`: RETURNING the primary key columns, then the other columns
  /// not included (the generated ones), each once, so each returned row can
  /// be matched to its object.
  std::shared_ptr<const std::string> insert_sql(const sql::dialect& d, std::uint64_t included, bool returning,
                                                std::size_t rows = 1) const;
  /// UPDATE SET the columns in `changed` WHERE primary key = ? [AND version = ?].
  std::shared_ptr<const std::string> update_sql(const sql::dialect& d, std::uint64_t changed) const;
  /// DELETE WHERE primary key = ? [AND version = ?].
  std::shared_ptr<const std::string> delete_sql(const sql::dialect& d) const;
  /// DELETE WHERE key IN (n placeholders), for a single-column key.
  std::shared_ptr<const std::string> delete_many_sql(const sql::dialect& d, std::size_t n) const;
  /// SELECT every column but the `deferred` ones WHERE primary key = ?
  /// [FOR UPDATE ..., of this table only].
  std::shared_ptr<const std::string> select_by_key_sql(const sql::dialect& d, const sql::row_lock& lock = {},
                                                       std::uint64_t deferred = 0) const;
  /// The column_ref nodes of every column but the `deferred` ones, in column order.
  std::vector<sql::node_ptr> column_nodes_except(std::uint64_t deferred) const;

  /// The mapper registered for a table name, if one was built so far.
  static const mapper* find_by_table(std::string_view table_name);

 private:
  /// Whether the column at this index is part of the primary key.
  bool is_key_column(std::size_t column) const;
  /// The statement cache key of one of the statements above.
  std::string statement_key(char kind, std::uint64_t mask, std::size_t count) const;
  /// primary key = ? [AND version = ?]
  sql::node_ptr key_condition(bool with_version = false) const;

  std::size_t id_;
  std::string type_name_;
  sql::table_def table_def_;  // without foreign keys (resolved on demand)
  sql::table_ptr table_;
  std::vector<detail::column_entry> columns_;
  std::vector<sql::node_ptr> column_nodes_;
  std::vector<std::size_t> primary_key_;
  std::size_t autoincrement_ = npos;
  std::size_t version_ = npos;
  std::uint64_t deferred_ = 0;
  bool single_integer_key_ = false;
  std::shared_ptr<instance_state> (*make_instance_)();
  std::vector<detail::relationship_entry> relationship_entries_;
  std::unique_ptr<detail::relationship_table> relationships_;
};

/// The mapper of T, built on first use from relate_mapping(relate::model<T>{}).
template <class T>
const mapper& mapper_of() {
  static_assert(
      requires { relate_mapping(relate::model<T>{}); },
      "relate: no mapping for this type; declare `auto relate_mapping(relate::model<T>)` returning "
      "relate::orm::table<T>(...) in the namespace of T");
  static const mapper the_mapper = [] {
    table_mapping<T> m = relate_mapping(relate::model<T>{});
    detail::mapping_data data;
    data.type_name = detail::type_name<T>();
    data.table_name = std::move(m.name);
    data.columns = std::move(m.columns);
    data.constraints = std::move(m.constraints);
    data.checks = std::move(m.checks);
    data.relationships = std::move(m.relationships);
    data.make_instance = &detail::make_instance<T>;
    return mapper(std::move(data));
  }();
  return the_mapper;
}

/// Looks up the column a member pointer maps (usage_error if none).
template <class T, class M>
std::size_t column_index(M T::*member) {
  return mapper_of<T>().column_at_offset(detail::member_offset(member));
}

}  // namespace relate::orm
