// SPDX-License-Identifier: MIT
// N+1 detection: which query loaded each object, and the warning (or, in
// strict mode, the error) when one relationship lazy-loads too often for the
// objects of one query.  Nothing here runs unless session_options::n_plus_one
// has a threshold.
#include "orm/n_plus_one.hpp"

#include "orm/column_access.hpp"
#include "orm/session_impl.hpp"

#include <spdlog/logger.h>

#include <string>

namespace relate::orm::detail {

std::size_t load_record::count(const relationship_info* rel) {
  for (auto& [r, n] : lazy_loads)
    if (r == rel) return ++n;
  lazy_loads.emplace_back(rel, 1);
  return 1;
}

void session_impl::remember_load(const std::shared_ptr<sql::select_stmt>& statement,
                                 const std::vector<state_ptr>& objects,
                                 std::shared_ptr<load_record>& record) {
  // Fewer objects than the threshold cannot lazy-load one relationship more
  // often than it allows; they forget an earlier query all the same, since
  // this is now where they came from.
  if (objects.size() <= options_.n_plus_one.threshold) {
    for (const auto& o : objects) o->loaded_by_.reset();
    return;
  }
  if (!record) record = std::make_shared<load_record>(statement);
  for (const auto& o : objects) o->loaded_by_ = record;
}

bool session_impl::lazy_load_runs_select(const instance_state& owner, const relationship_info& rel) const {
  // What selectin_load answers without SQL: a NULL key, or a many-to-one
  // target the identity map has.
  const auto& key = owner.get_mapper().columns()[rel.local_column];
  if (key.ops->read(member_of(owner, key)).is_null()) return false;
  const state_ptr known = peek_reference(owner, rel);
  return !known || known->marked_for_delete_;
}

void session_impl::count_lazy_load(const instance_state& owner, const relationship_info& rel) {
  load_record& record = *owner.loaded_by_;
  const auto n = record.count(&rel);
  const auto threshold = options_.n_plus_one.threshold;
  if (n <= threshold || (n > threshold + 1 && !options_.n_plus_one.strict)) return;
  const mapper& m = *rel.owner;
  const std::string message =
      "relate: N+1 queries: the relationship " + rel.name + " was lazy-loaded " + std::to_string(n) +
      " times (threshold " + std::to_string(threshold) +
      ") for objects loaded by one query: " + engine_.dialect().compile(*record.statement).sql +
      "; load it with that query instead: .options(relate::" + "selectinload(&" + m.type_name() +
      "::<the relationship>)) or joinedload(...)";
  if (options_.n_plus_one.strict) throw n_plus_one_error(message);
  engine_.logger()->warn("{}", message);
}

}  // namespace relate::orm::detail
