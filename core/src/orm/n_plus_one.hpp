// SPDX-License-Identifier: MIT
// N+1 detection (session_options::n_plus_one): the record a query's objects
// share, counting the lazy loads each relationship makes for them.
#pragma once

#include <relate/sql/ast.hpp>

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace relate::orm::detail {

class relationship_info;

/// One query's load, as its objects remember it (instance_state::loaded_by_).
/// The statement is kept, not its text: it is compiled only if a warning
/// names it.
struct load_record {
  explicit load_record(std::shared_ptr<const sql::select_stmt> s) : statement(std::move(s)) {}
  std::shared_ptr<const sql::select_stmt> statement;
  /// Lazy loads per relationship so far (a model has few relationships).
  std::vector<std::pair<const relationship_info*, std::size_t>> lazy_loads;

  /// Counts one lazy load of rel; returns the count so far.
  std::size_t count(const relationship_info* rel);
};

}  // namespace relate::orm::detail
