// SPDX-License-Identifier: MIT
// relate::metadata: the set of mapped tables an application creates and drops
// together (SQLAlchemy's MetaData).
//
//   relate::metadata meta;
//   meta.add<User, Post>();
//   meta.create_all(engine);   // CREATE TABLE IF NOT EXISTS ..., parents before children
//
// Registration checks what the mapping alone cannot: every foreign key must
// point at a table registered in the same metadata, at a mapped column.
#pragma once

#include <relate/export.hpp>

#include <relate/engine.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/sql/schema.hpp>

#include <vector>

namespace relate::orm {

/// What create_all does when a table it finds already there differs from the
/// model (a member added since the table was made, a type changed ...).
enum class on_drift : std::uint8_t {
  warn,    // log one warning per difference on the engine's logger (the default)
  error,   // throw relate::migrations::schema_drift_error, creating nothing
  ignore,  // look no further than the table's name
};

struct create_options {
  bool checkfirst = true;  // CREATE ... IF NOT EXISTS
  orm::on_drift drift = on_drift::warn;
};

class RELATE_API metadata {
 public:
  /// Registers the models' tables (building their mappers).  Adding a model
  /// twice is a no-op.  Two models may map one table (e.g. with other
  /// relationships or cascades) when they declare it alike: the same columns
  /// (names, types, nullability, keys, defaults) and constraints; the table is
  /// created and dropped once.  Otherwise add() throws usage_error naming
  /// what differs.  They stay two classes: the identity map keeps an object
  /// of each for one row (as SQLAlchemy does), so a change made through one
  /// reaches the other after a flush and a reload (refresh, expiry), not
  /// before.
  template <class... T>
  metadata& add() {
    (add(mapper_of<T>()), ...);
    return *this;
  }
  metadata& add(const mapper& m);

  /// The registered mappers, in registration order.
  const std::vector<const mapper*>& mappers() const noexcept { return mappers_; }
  /// The registered mappers, every table after the tables it references,
  /// except along the foreign keys that close a cycle between tables (see
  /// cycle_keys()); mappers of one table together, in registration order.
  /// Throws usage_error for a foreign key to an unregistered table or column.
  std::vector<const mapper*> sorted_mappers() const;
  /// The table definitions (foreign keys resolved) in creation order, each
  /// table once (its first registered mapper's).
  std::vector<sql::table_def> tables() const;

  /// A foreign key the creation order cannot honour: tables()[table]'s
  /// foreign_keys[key], which points at a table created after it.
  struct cycle_key {
    std::size_t table;
    std::size_t key;
  };
  /// Foreign keys whose removal leaves no cycle between tables (a table
  /// referring to itself is no cycle): when the order is stuck, the keys of
  /// the first table, in registration order, that lies on a cycle, to the
  /// tables of that cycle.
  std::vector<cycle_key> cycle_keys() const;

  /// Creates every table with its indexes, parents first, in one transaction
  /// where the database has transactional DDL.  checkfirst: skip existing
  /// tables (CREATE ... IF NOT EXISTS), so running it again is harmless.
  ///
  /// Tables whose foreign keys form a cycle (SQLAlchemy's use_alter case: two
  /// tables pointing at each other, which relationship(post_update) serves)
  /// are created without the keys of cycle_keys(), which are then added by
  /// ALTER TABLE under the name given in the mapping, else
  /// `<table>_<columns>_fkey` (PostgreSQL's own convention).  A database that
  /// cannot alter foreign keys (SQLite) gets them inline: it lets a foreign
  /// key name a table that does not exist yet.
  ///
  /// Tables that exist already are compared with the model (see
  /// relate/migrations/drift.hpp): each difference is a warning, or with
  /// {.drift = on_drift::error} a schema_drift_error.  A migration
  /// (relate/migrations/cli.hpp) is how an existing table changes.
  void create_all(const engine& e, bool checkfirst = true) const;
  void create_all(const engine& e, const create_options& options) const;
  /// Drops every table, children first; the foreign keys of cycle_keys() are
  /// dropped before the tables (or, on SQLite, checked only at COMMIT).
  /// checkfirst: DROP ... IF EXISTS.
  void drop_all(const engine& e, bool checkfirst = true) const;

 private:
  struct plan {
    std::vector<const mapper*> order;
    std::vector<cycle_key> cycle_keys;
  };
  plan creation_plan() const;
  /// The first mapper registered for each table, in registration order.
  std::vector<const mapper*> table_owners() const;
  /// The table definitions of a plan, in its order.
  static std::vector<sql::table_def> definitions(const plan& p);

  std::vector<const mapper*> mappers_;
};

}  // namespace relate::orm
