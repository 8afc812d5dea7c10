// SPDX-License-Identifier: MIT
// Which columns a query leaves out: the mapping's deferred columns, then the
// query's defer / undefer / load_only options (relate/orm/loading.hpp), never
// the columns every load needs.
#include <relate/orm/loading.hpp>

#include "orm/column_access.hpp"
#include "orm/relationship_info.hpp"

namespace relate::orm::detail {

namespace {

/// The identity, the version a flush checks, and the keys relationships
/// follow from the object's members.
std::uint64_t always_loaded(const mapper& m) {
  std::uint64_t mask = 0;
  for (auto i : m.primary_key()) mask |= column_bit(i);
  if (m.version_column() != mapper::npos) mask |= column_bit(m.version_column());
  const auto& cols = m.columns();
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (cols[i].foreign_key) mask |= column_bit(i);
  if (m.has_relationships())
    for (const auto& r : m.relationships()) mask |= column_bit(r.local_column);
  return mask;
}

std::string why_needed(const mapper& m, std::size_t i) {
  const auto& c = m.columns()[i];
  if (c.def.primary_key) return "part of the primary key";
  if (c.version) return "the version_id column";
  if (c.foreign_key) return "a foreign key";
  return "a column a relationship of " + m.type_name() + " joins on";
}

}  // namespace

std::uint64_t deferred_columns(const mapper& m, const std::vector<column_step>& steps) {
  std::uint64_t deferred = m.deferred_columns();
  const std::uint64_t needed = always_loaded(m);
  for (const auto& step : steps) {
    std::uint64_t named = 0;
    for (auto offset : step.offsets) {
      const auto i = m.column_at_offset(offset);
      if (step.what == column_step::kind::defer && (needed & column_bit(i)))
        throw usage_error("relate::defer: column \"" + m.columns()[i].def.name + "\" of " + m.type_name() +
                          " cannot be deferred: it is " + why_needed(m, i) + ", which every load reads");
      named |= column_bit(i);
    }
    switch (step.what) {
      case column_step::kind::defer:
        deferred |= named;
        break;
      case column_step::kind::undefer:
        deferred &= ~named;
        break;
      case column_step::kind::load_only:
        deferred = m.all_columns() & ~named & ~needed;
        break;
    }
  }
  return deferred;
}

}  // namespace relate::orm::detail
