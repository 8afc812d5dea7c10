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

#include <relate/engine.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/sql/schema.hpp>

#include <vector>

namespace relate::orm {

class metadata {
 public:
  /// Registers the models' tables (building their mappers).  Adding a model
  /// twice is a no-op; two models on one table name throw usage_error.
  template <class... T>
  metadata& add() {
    (add(mapper_of<T>()), ...);
    return *this;
  }
  metadata& add(const mapper& m);

  /// The registered mappers, in registration order.
  const std::vector<const mapper*>& mappers() const noexcept { return mappers_; }
  /// The registered mappers, every table after the tables it references.
  /// Throws usage_error for a foreign key to an unregistered table or
  /// column, or a cycle of foreign keys between tables.
  std::vector<const mapper*> sorted_mappers() const;
  /// The table definitions (foreign keys resolved) in creation order.
  std::vector<sql::table_def> tables() const;

  /// Creates every table with its indexes, parents first, in one transaction
  /// where the database has transactional DDL.  checkfirst: skip existing
  /// tables (CREATE ... IF NOT EXISTS), so running it again is harmless.
  void create_all(const engine& e, bool checkfirst = true) const;
  /// Drops every table, children first.  checkfirst: DROP ... IF EXISTS.
  void drop_all(const engine& e, bool checkfirst = true) const;

 private:
  std::vector<const mapper*> mappers_;
};

}  // namespace relate::orm
