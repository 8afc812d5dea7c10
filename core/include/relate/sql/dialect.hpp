// SPDX-License-Identifier: MIT
// A dialect: how one database spells SQL.  Each driver provides one; core's
// compilers read its capabilities (data, never `if (name == "sqlite")`) and
// its small set of spelling hooks, and a driver subclasses the compilers only
// where its SQL differs from the generic one.
#pragma once

#include <relate/export.hpp>

#include <relate/sql/ast.hpp>
#include <relate/sql/schema.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relate::sql {

/// What a database can do.  Read by the compilers, the session (batching,
/// RETURNING) and the test suite (tests ask for a capability, not a backend).
struct dialect_capabilities {
  bool returning = false;        // INSERT/UPDATE/DELETE ... RETURNING
  bool multi_row_insert = true;  // INSERT ... VALUES (...), (...)
  bool upsert = false;           // INSERT ... ON CONFLICT
  bool savepoints = true;
  bool native_ilike = false;    // ILIKE operator
  bool nulls_ordering = true;   // ORDER BY x NULLS FIRST/LAST
  bool for_update = false;      // SELECT ... FOR UPDATE
  bool native_boolean = false;  // a real BOOLEAN type
  bool transactional_ddl = true;
  bool if_not_exists = true;              // CREATE TABLE IF NOT EXISTS
  bool alter_foreign_keys = false;        // ALTER TABLE ADD/DROP CONSTRAINT of a foreign key; without it,
                                          // a foreign key may name a table created later (SQLite)
  std::size_t max_parameters = 999;       // bound parameters per statement
  std::size_t array_in_lists_over = 0;    // an IN list of more bound values than this goes as one
                                          // array parameter (x = ANY($1)); 0: never
  std::size_t max_identifier_length = 0;  // bytes in a name; 0: no limit the ORM must enforce
  bool in_process = false;                // the database engine runs inside this process (an embedded
                                          // library), so rows read as the cursor moves cost no round
                                          // trips; the ORM streams its loads then (session_impl.hpp)
  bool arrays = false;                    // array column types (type_kind::array); without them such
                                          // a column is refused, never stored as text
  bool native_enums = false;              // CREATE TYPE ... AS ENUM; without it an enumeration is a
                                          // VARCHAR with a CHECK of its labels
};

/// The output of compiling a statement: SQL text and its parameters in
/// placeholder order.
struct compiled_statement {
  std::string sql;
  std::vector<relate::value> params;
};

class sql_compiler;
class ddl_compiler;
class schema_support;

/// A statement that reserves new values of a table's generated key before an
/// INSERT, so the ORM can send the keys itself and know which object each row
/// belongs to (no database documents the order of a multi-row INSERT's
/// RETURNING rows).  Its result is either one row per reserved key, or, with
/// from_base, one row holding the current greatest key (the keys are the
/// next ones up: safe where one writer at a time holds the table, as in SQLite).
struct key_reservation {
  std::string sql;
  std::vector<relate::value> params;
  bool from_base = false;
};

namespace detail {
class statement_cache;
}

/// Counters of the statement-shape cache (see dialect::compile).
struct statement_cache_stats {
  std::size_t hits = 0;     // compiles answered from the cache
  std::size_t misses = 0;   // compiles that ran the SQL compiler
  std::size_t entries = 0;  // shapes currently cached
};

class RELATE_API dialect {
 public:
  dialect();
  /// A copy starts with an empty statement cache of its own.
  dialect(const dialect& other);
  dialect& operator=(const dialect& other);
  virtual ~dialect();

  virtual std::string_view name() const = 0;
  virtual const dialect_capabilities& capabilities() const = 0;

  /// "quoted" identifier: every table, column, alias and constraint name goes
  /// through here, whatever characters it holds.  A name longer than
  /// capabilities().max_identifier_length is refused (usage_error) rather
  /// than left to a database that would silently truncate it, which makes
  /// two long names that share their first bytes the same table.
  virtual std::string quote_identifier(std::string_view identifier) const;
  /// The placeholder for the index-th parameter (1-based); "?" here (ODBC,
  /// SQLite), "$n" on PostgreSQL.
  virtual std::string placeholder(std::size_t index) const;
  /// A literal for DDL defaults only (DDL takes no parameters).
  virtual std::string render_literal(const relate::value& v) const;
  /// The column type name in DDL: SQL standard names here (BOOLEAN, INTEGER,
  /// DOUBLE PRECISION, NUMERIC(p, s), VARCHAR(n) or TEXT, BLOB, TIMESTAMP
  /// [WITH TIME ZONE], DATE, TIME, INTERVAL, UUID, JSON; an enumeration by its
  /// name where capabilities().native_enums, else VARCHAR(longest label); an
  /// array as its element's name and "[]", or a usage_error without
  /// capabilities().arrays); a dialect overrides the kinds it spells
  /// otherwise and hands the rest back here.
  virtual std::string type_name(const sql_type& type) const;
  /// The CHECK a column's type needs where the database cannot hold the type
  /// itself (an enumeration's labels without native_enums here; SQLite adds
  /// json_valid() for JSON), or nothing.  create_all names it ck_\<table\>_\<column\>.
  virtual std::optional<std::string> type_check(const column_def& column) const;
  /// The named CHECK constraints type_check gives the columns of a table.
  std::vector<check_def> type_checks(const table_def& table) const;

  virtual std::unique_ptr<sql_compiler> make_compiler() const;
  virtual std::unique_ptr<ddl_compiler> make_ddl_compiler() const;

  /// Compiles a statement, reusing the SQL text of an earlier statement of
  /// the same shape (same tree with other bound values).  Thread-safe.
  ///
  /// The shape is the whole tree except the bound values themselves (their
  /// kinds are part of it), compared exactly, so a hash collision can never
  /// return another statement's SQL.  A compiler must therefore not let the
  /// SQL text depend on a bound value beyond its kind.  Statements whose
  /// compiler binds values that are not in the tree are compiled every time.
  compiled_statement compile(const node& statement) const;

  /// The SQL text of a statement the caller names by a key of its own, from
  /// the same cache as compile(): `build()` (returning a node_ptr) makes the
  /// tree only when the key is not cached, so a hot path skips building the
  /// tree and walking its shape.  For statements whose values are all
  /// placeholders bound by the caller; the key must determine the tree.
  /// The ORM's persistence statements use it (key: mapper, kind, columns).
  template <class Build>
  std::shared_ptr<const std::string> compile_keyed(std::string_view key, Build&& build) const {
    if (auto hit = find_keyed(key)) return hit;
    const node_ptr statement = std::forward<Build>(build)();
    return insert_keyed(key, *statement);
  }

  /// Hits, misses and size of the statement-shape cache.
  statement_cache_stats cache_stats() const;
  /// Forgets every cached statement shape.
  void clear_statement_cache() const;
  /// Most shapes kept (least recently used ones are evicted); default 512.
  void set_statement_cache_capacity(std::size_t capacity) const;

  /// CREATE TABLE / CREATE INDEX statements for a table, in order.
  std::vector<std::string> create_table(const table_def& table, bool if_not_exists) const;
  std::vector<std::string> drop_table(const table_def& table, bool if_exists) const;
  /// ALTER TABLE ... ADD CONSTRAINT name FOREIGN KEY ...: a foreign key that
  /// closes a cycle between tables, added once they all exist.  Needs
  /// capabilities().alter_foreign_keys and a named foreign key.
  std::string add_foreign_key(const table_def& table, const foreign_key_def& fk) const;
  /// ALTER TABLE [IF EXISTS] ... DROP CONSTRAINT [IF EXISTS] name.
  std::string drop_foreign_key(const table_def& table, const std::string& name, bool if_exists) const;
  /// A query whose single row and column is non-zero when `table` exists and
  /// has a constraint `name` (so create_all can run again without adding it
  /// twice); nullopt where the dialect cannot alter foreign keys.
  virtual std::optional<compiled_statement> foreign_key_exists(const table_def& table,
                                                               const std::string& name) const;
  /// CREATE TYPE name AS ENUM (...) and DROP TYPE [IF EXISTS] name, for
  /// capabilities().native_enums (create_all makes the enumerations its tables use).
  std::string create_enum_type(const enum_type& type) const;
  std::string drop_enum_type(const enum_type& type, bool if_exists) const;
  /// A query whose single row and column is non-zero when the enumeration
  /// type exists in the current schema; nullopt where there are no enum types.
  virtual std::optional<compiled_statement> enum_type_exists(const enum_type& type) const;
  /// A query whose single row and column counts the table columns that still
  /// use the enumeration type (drop_all leaves a type other tables use).
  virtual std::optional<compiled_statement> enum_type_users(const enum_type& type) const;
  /// A statement that delays foreign-key checks to the COMMIT of the current
  /// transaction (SQLite's PRAGMA defer_foreign_keys), for dropping tables
  /// whose keys form a cycle where they cannot be dropped first; nullopt
  /// (the default) where none is needed.
  virtual std::optional<std::string> defer_foreign_key_checks() const;

  /// How to reserve `count` new values of the generated key `column` of
  /// `table`; nullopt (the default) where the database cannot, in which case
  /// the ORM inserts such rows one per statement.
  virtual std::optional<key_reservation> reserve_keys(std::string_view table, std::string_view column,
                                                      std::size_t count) const;

  /// How to inspect this database's schema and migrate it
  /// (relate/sql/schema_support.hpp); null (the default) where the driver
  /// does not say, in which case inspection, drift and migrations are refused.
  virtual const schema_support* schema_tools() const;

 private:
  std::shared_ptr<const std::string> find_keyed(std::string_view key) const;
  std::shared_ptr<const std::string> insert_keyed(std::string_view key, const node& statement) const;

  std::unique_ptr<detail::statement_cache> cache_;
};

}  // namespace relate::sql
