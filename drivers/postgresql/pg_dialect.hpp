// How PostgreSQL spells SQL: "$n" placeholders, double-quoted identifiers,
// its type names, and its capabilities (RETURNING, ON CONFLICT, ILIKE,
// FOR UPDATE, native booleans, transactional DDL).  The generic compilers
// read those capabilities, so PostgreSQL needs no compiler subclass: the
// generic SQL is already the SQL PostgreSQL speaks (identity columns included).
#pragma once

#include <relate/sql/dialect.hpp>

namespace relate::postgresql {

class pg_dialect final : public sql::dialect {
 public:
  std::string_view name() const override { return "postgresql"; }
  const sql::dialect_capabilities& capabilities() const override;
  std::string placeholder(std::size_t index) const override;
  /// Blobs as '\x..'::bytea (X'..' is a bit string in PostgreSQL) and
  /// non-finite doubles as 'NaN'/'Infinity' float literals.
  std::string render_literal(const relate::value& v) const override;
  /// BOOLEAN, SMALLINT, INTEGER, BIGINT, DOUBLE PRECISION, NUMERIC(p,s),
  /// VARCHAR(n)/TEXT, BYTEA, TIMESTAMP WITH[OUT] TIME ZONE, DATE.
  std::string type_name(const sql::sql_type& type) const override;
};

}  // namespace relate::postgresql
