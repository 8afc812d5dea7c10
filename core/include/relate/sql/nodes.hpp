// SPDX-License-Identifier: MIT
// Expression trees built node by node, for code that composes untyped nodes
// (the ORM's joins, key conditions and association rows) instead of the
// typed expr<T> builders of relate/sql/expression.hpp.  They are the same
// factories expr<T> uses, so a tree built either way compiles the same.
#pragma once

#include <relate/export.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/schema.hpp>
#include <relate/value.hpp>

#include <cstddef>
#include <string>

namespace relate::sql {

/// table.column, typed as def (table may be an alias).
RELATE_API node_ptr column_of(table_ptr table, const column_def& def);
/// A parameter holding v, typed as the column it is compared with or stored in.
RELATE_API node_ptr bind_for(relate::value v, const column_def& def);
/// a = b.
RELATE_API node_ptr equal(node_ptr a, node_ptr b);
/// a AND b: sql::conjoin, in relate/sql/expression.hpp.
/// EXISTS (query).
RELATE_API node_ptr exists_of(node_ptr query);

/// The smallest identifier limit of the databases relate speaks
/// (PostgreSQL's 63 bytes): enough for names that never reach the schema,
/// such as aliases, which need not follow one dialect.
inline constexpr std::size_t portable_identifier_length = 63;

/// A name relate makes up itself (an alias, an index or constraint name):
/// `name` unchanged when it has at most `limit` bytes (or limit is 0); else
/// its head, cut at a UTF-8 character boundary, then "_" and eight hex digits
/// of a hash of the whole name, `limit` bytes at most, so two long names that
/// share their head stay two names.  (A user-given name that is too long is
/// refused instead: see dialect::quote_identifier.)
RELATE_API std::string generated_name(std::string name, std::size_t limit);

}  // namespace relate::sql
