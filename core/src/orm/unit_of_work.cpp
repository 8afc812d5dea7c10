// The unit of work: flush() turns the session's pending, changed and deleted
// objects, and the changes to their relationships, into INSERT, UPDATE and
// DELETE statements.
//
// Order: the mappers involved are grouped into the strongly connected
// components of the foreign-key graph (dependency_order.cpp), parents first.
// Per component: foreign-key values are copied from parents to children
// (cascade.cpp planned them), new rows are inserted (batched per table and
// column set; in a cyclic component, such as a self-referential table, in
// waves so every row follows the rows it references), then changed rows are
// updated.  Then association rows are deleted and inserted, post_update keys
// written, and DELETEs run components in reverse, children before parents
// (row by row inside a cyclic component).  Everything runs inside a
// savepoint; a failure rolls the savepoint back and undoes the in-memory
// effects recorded in the flush log.
#include "orm/flush_plan.hpp"
#include "orm/object_graph.hpp"
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"
#include "orm/sql_nodes.hpp"

#include <relate/sql/ast.hpp>

#include <algorithm>
#include <bit>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>

namespace relate::orm::detail {

namespace {

void* member_of(const instance_state& s, const column_entry& c) {
  return static_cast<char*>(s.object()) + c.offset;
}

constexpr std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << i; }

std::string describe(const instance_state& s) { return "an object of " + s.get_mapper().type_name(); }

}  // namespace

struct session_impl::flush_log {
  struct update {
    state_ptr state;
    std::uint64_t changed;
    std::vector<value> before;  // the snapshot's values of the changed columns, in column order
  };
  std::vector<update> updated;
  std::vector<state_ptr> deleted;
  std::vector<std::tuple<state_ptr, std::size_t, value>> synced;  // member value before a key was copied in
};

void session_impl::apply_sync(const key_sync& s, flush_log& log) {
  instance_state& child = *s.child;
  if (child.session_ != this || child.marked_for_delete_) return;
  const auto& col = child.get_mapper().columns()[s.column];
  void* member = member_of(child, col);
  value v;
  if (s.parent) {
    const instance_state& parent = *s.parent;
    if (parent.session_ != this)
      throw usage_error("relate::session::flush: " + describe(child) + " refers to " + describe(parent) +
                        " that is not in this session (add it, or keep the save-update cascade)");
    if (parent.status_ == object_status::pending)
      throw usage_error("relate::session::flush: " + describe(child) + " refers to " + describe(parent) +
                        " that is not written yet: the rows reference each other in a cycle; mark one of the "
                        "relationships post_update");
    const auto& pc = parent.get_mapper().columns()[s.parent_column];
    v = pc.ops->read(member_of(parent, pc));
  }
  if (col.ops->equals(member, v)) return;
  log.synced.emplace_back(s.child, s.column, col.ops->read(member));
  if (!col.ops->assign(member, v))
    throw usage_error("relate::session::flush: cannot set column \"" + col.def.name + "\" of " +
                      child.get_mapper().type_name() +
                      (v.is_null()
                           ? " to NULL: the member is not a std::optional (the object lost its parent; "
                             "give the relationship a delete or delete-orphan cascade, or make the "
                             "column optional)"
                           : " from its parent: the types differ"));
}

void session_impl::flush(bool every_object) {
  if (flushing_)
    throw usage_error("relate::session::flush: already flushing (flush called from inside a flush)");
  // Column changes found before relationships add theirs.
  std::vector<state_ptr> dirty;
  auto check = [&](const state_ptr& s) {
    if (s->session_ != this || s->status_ != object_status::persistent || s->expired_ ||
        s->marked_for_delete_)
      return;
    if (changed_columns(*s)) dirty.push_back(s);
  };
  if (every_object)
    map_.for_each(check);
  else
    for (const auto& s : touched_) check(s);
  if (new_.empty() && deleted_.empty() && dirty.empty() && relationship_owners_.empty()) {
    forget_touched();
    return;
  }

  flushing_ = true;
  flush_plan plan;
  flush_log log;
  std::optional<transaction> savepoint;
  try {
    plan_relationships(plan);
    const std::unordered_set<const instance_state*> expunged = [&] {
      std::unordered_set<const instance_state*> out;
      for (const auto& x : plan.expunged) out.insert(x.get());
      return out;
    }();

    std::vector<const mapper*> involved;
    auto note = [&](const mapper& m) {
      if (std::find(involved.begin(), involved.end(), &m) == involved.end()) involved.push_back(&m);
    };
    for (auto& s : new_) note(s->get_mapper());
    for (auto& s : dirty) note(s->get_mapper());
    for (auto& s : deleted_) note(s->get_mapper());
    for (auto& s : plan.syncs) note(s.child->get_mapper());
    const auto order = order_mappers(involved);

    // The key syncs each child waits for (grouped by child: a range of
    // `by_child` per child, no allocation per child), and the persistent
    // children they change.
    std::vector<const key_sync*> by_child;
    by_child.reserve(plan.syncs.size());
    for (const auto& s : plan.syncs)
      if (!s.post_update) by_child.push_back(&s);
    std::stable_sort(by_child.begin(), by_child.end(),
                     [](const key_sync* a, const key_sync* b) { return a->child.get() < b->child.get(); });
    std::unordered_map<const instance_state*, std::pair<std::size_t, std::size_t>> syncs_of;
    syncs_of.reserve(by_child.size());
    std::map<const mapper*, std::vector<state_ptr>> touched;  // persistent objects to check for an UPDATE
    for (std::size_t i = 0; i < by_child.size();) {
      std::size_t j = i;
      while (j < by_child.size() && by_child[j]->child == by_child[i]->child) ++j;
      const auto& child = by_child[i]->child;
      syncs_of.emplace(child.get(), std::make_pair(i, j));
      if (child->status_ == object_status::persistent) touched[&child->get_mapper()].push_back(child);
      i = j;
    }
    for (auto& s : dirty) touched[&s->get_mapper()].push_back(s);
    auto syncs_for = [&](const instance_state& x) {
      auto it = syncs_of.find(&x);
      if (it == syncs_of.end()) return std::span<const key_sync* const>();
      return std::span<const key_sync* const>(by_child.data() + it->second.first,
                                              it->second.second - it->second.first);
    };
    auto apply_syncs_of = [&](const instance_state& x) {
      for (const key_sync* k : syncs_for(x)) apply_sync(*k, log);
    };

    auto& c = conn();
    if (engine_.dialect().capabilities().savepoints) savepoint.emplace(c.begin_nested());
    for (const auto& comp : order.components) {
      auto in_component = [&](const mapper& m) {
        return std::find(comp.mappers.begin(), comp.mappers.end(), &m) != comp.mappers.end();
      };
      // UPDATEs of existing rows first, as SQLAlchemy does: a row giving up a
      // unique key (a replaced one-to-one) must do so before its successor
      // is inserted.  A row re-parented to a new row of this component waits.
      auto written = [&](const instance_state& x) {
        for (const key_sync* k : syncs_for(x))
          if (k->parent && k->parent->status_ == object_status::pending && k->parent->session_ == this &&
              !expunged.count(k->parent.get()))
            return false;
        return true;
      };
      std::vector<state_ptr> deferred;
      std::vector<pending_update> updates;
      auto update_component = [&](bool waiting_allowed) {
        for (const mapper* m : comp.mappers) {
          auto it = touched.find(m);
          if (it == touched.end()) continue;
          std::unordered_set<const instance_state*> seen;
          for (auto& x : it->second) {
            if (!seen.insert(x.get()).second || x->marked_for_delete_ ||
                x->status_ != object_status::persistent)
              continue;
            if (waiting_allowed && !written(*x)) {
              deferred.push_back(x);
              continue;
            }
            apply_syncs_of(*x);
            if (auto changed = changed_columns(*x)) updates.push_back({x, changed});
          }
        }
        update_rows(updates, log);
      };
      update_component(true);

      std::vector<state_ptr> rest;
      for (auto& s : new_)
        if (in_component(s->get_mapper()) && !expunged.count(s.get())) rest.push_back(s);
      // In a cyclic component a row waits for the new rows it references.
      while (!rest.empty()) {
        std::vector<state_ptr> wave, later;
        for (auto& x : rest) (!comp.cyclic || written(*x) ? wave : later).push_back(x);
        if (wave.empty())
          throw usage_error("relate::session::flush: the new rows of " +
                            later.front()->get_mapper().type_name() +
                            " reference each other in a cycle; mark one of the relationships post_update");
        for (auto& x : wave) apply_syncs_of(*x);
        for (const mapper* m : comp.mappers) {
          std::vector<state_ptr> rows;
          for (auto& x : wave)
            if (&x->get_mapper() == m) rows.push_back(x);
          if (!rows.empty()) insert_objects(*m, rows);
        }
        rest = std::move(later);
      }
      for (auto& x : deferred) {
        apply_syncs_of(*x);
        if (auto changed = changed_columns(*x)) updates.push_back({x, changed});
      }
      update_rows(updates, log);
    }

    write_associations(plan);

    // post_update keys: written once every row exists, cleared before rows go.
    std::vector<state_ptr> late;
    std::vector<pending_update> updates;
    for (const auto& s : plan.syncs) {
      if (!s.post_update || s.child->status_ != object_status::persistent) continue;
      apply_sync(s, log);
      late.push_back(s.child);
    }
    for (auto& s : deleted_) {
      if (!s->get_mapper().has_relationships()) continue;
      for (const auto& info : s->get_mapper().relationships()) {
        if (!info.post_update || !info.owner_holds_key()) continue;
        const auto& col = s->get_mapper().columns()[info.local_column];
        void* member = member_of(*s, col);
        if (col.ops->read(member).is_null()) continue;
        log.synced.emplace_back(s, info.local_column, col.ops->read(member));
        col.ops->assign(member, value());
        late.push_back(s);
      }
    }
    std::unordered_set<const instance_state*> late_seen;
    for (auto& x : late) {
      if (!late_seen.insert(x.get()).second) continue;
      if (auto changed = changed_columns(*x)) updates.push_back({x, changed});
    }
    update_rows(updates, log);

    for (auto it = order.components.rbegin(); it != order.components.rend(); ++it) delete_component(*it, log);
    if (savepoint) savepoint->commit();
  } catch (...) {
    flushing_ = false;
    try {
      if (savepoint && savepoint->is_active())
        savepoint->rollback();
      else if (!savepoint && conn_)
        conn_->rollback();
    } catch (...) {
      // The original error is the one worth reporting.
    }
    undo(log);
    for (auto& x : plan.cascade_deleted) {
      x->marked_for_delete_ = false;
      std::erase(deleted_, x);
    }
    throw;
  }
  flushing_ = false;
  forget_touched();
  forget_relationship_owners();
  for (auto& [member, collection] : plan.members) relationship_access::mark_flushed(*member, collection);
  for (auto& x : plan.expunged) {
    std::erase(new_, x);
    make_transient(*x);
  }
  for (auto& s : log.deleted) forget_in_relationships(*s);
  tx_inserted_.insert(tx_inserted_.end(), new_.begin(), new_.end());
  new_.clear();
  tx_deleted_.insert(tx_deleted_.end(), deleted_.begin(), deleted_.end());
  deleted_.clear();
}

void session_impl::forget_in_relationships(const instance_state& gone) {
  const mapper& m = gone.get_mapper();
  if (!m.has_relationships()) return;
  for (const auto& info : m.relationships()) {
    if (!info.back) continue;
    relationship_access::for_each_reachable(gone, info, [&](const state_ptr& other) {
      relationship_access::forget(*info.back->member(*other), info.back->collection(), gone);
    });
  }
}

void session_impl::write_associations(const flush_plan& plan) {
  const auto& dialect = engine_.dialect();
  const auto& caps = dialect.capabilities();
  auto key_of = [](const instance_state& s, std::size_t column) {
    const auto& col = s.get_mapper().columns()[column];
    return col.ops->read(member_of(s, col));
  };
  // Deleted owners: every association row of theirs.
  for (const auto& [rel, owner] : plan.owner_deletes) {
    const mapper& sec = *rel->secondary;
    auto stmt = std::make_shared<sql::delete_stmt>();
    stmt->table = sec.table();
    stmt->where =
        equals(sec.column_nodes()[rel->secondary_to_owner],
               bind_of(key_of(*owner, rel->local_column), sec.columns()[rel->secondary_to_owner].def));
    const auto compiled = dialect.compile(*stmt);
    conn().execute(compiled.sql, std::span<const value>(compiled.params), fetch_mode::buffered);
  }
  for (const auto& row : plan.deletes) {
    const relationship_info& rel = *row.rel;
    const mapper& sec = *rel.secondary;
    auto stmt = std::make_shared<sql::delete_stmt>();
    stmt->table = sec.table();
    stmt->where = both(
        equals(sec.column_nodes()[rel.secondary_to_owner],
               bind_of(key_of(*row.owner, rel.local_column), sec.columns()[rel.secondary_to_owner].def)),
        equals(sec.column_nodes()[rel.secondary_to_target],
               bind_of(key_of(*row.target, rel.remote_column), sec.columns()[rel.secondary_to_target].def)));
    const auto compiled = dialect.compile(*stmt);
    conn().execute(compiled.sql, std::span<const value>(compiled.params), fetch_mode::buffered);
  }
  // New rows, batched per secondary table and side.
  std::map<const relationship_info*, std::vector<const association_row*>> by_rel;
  for (const auto& row : plan.inserts) {
    if (row.owner->marked_for_delete_ || row.target->marked_for_delete_) continue;
    by_rel[row.rel].push_back(&row);
  }
  for (const auto& [rel, rows] : by_rel) {
    const mapper& sec = *rel->secondary;
    const std::size_t chunk =
        caps.multi_row_insert
            ? std::max<std::size_t>(1, std::min(max_rows_per_insert, caps.max_parameters / 2))
            : 1;
    for (std::size_t first = 0; first < rows.size(); first += chunk) {
      auto stmt = std::make_shared<sql::insert_stmt>();
      stmt->table = sec.table();
      stmt->columns = {sec.columns()[rel->secondary_to_owner].def.name,
                       sec.columns()[rel->secondary_to_target].def.name};
      for (std::size_t i = first; i < std::min(rows.size(), first + chunk); ++i) {
        stmt->rows.push_back(
            {bind_of(key_of(*rows[i]->owner, rel->local_column), sec.columns()[rel->secondary_to_owner].def),
             bind_of(key_of(*rows[i]->target, rel->remote_column),
                     sec.columns()[rel->secondary_to_target].def)});
      }
      const auto compiled = dialect.compile(*stmt);
      conn().execute(compiled.sql, std::span<const value>(compiled.params), fetch_mode::buffered);
    }
  }
}

std::uint64_t session_impl::prepare_insert(instance_state& s) {
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  std::uint64_t included = 0;  // sent in the INSERT; the rest comes back through RETURNING
  s.generated_mask_ = 0;       // columns this flush writes into the object (undone on failure)
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const auto& col = cols[i];
    void* member = member_of(s, col);
    if (i == m.version_column() && col.ops->is_unset(member)) {
      col.ops->assign(member, value(std::int64_t{1}));
      s.generated_mask_ |= bit(i);
    }
    if (col.ops->is_unset(member)) {
      if (col.default_fn || col.default_value) {
        value v = col.default_fn ? col.default_fn() : *col.default_value;
        if (!col.ops->assign(member, v))
          throw usage_error("relate: the client default of column \"" + col.def.name + "\" of " +
                            m.type_name() + " (a " + std::string(to_string(v.kind())) +
                            ") does not fit the member");
        s.generated_mask_ |= bit(i);
      } else if (i == m.autoincrement_column() || col.def.server_default || col.def.server_default_sql) {
        continue;  // generated by the database
      }
    }
    included |= bit(i);
  }
  return included;
}

void session_impl::finish_insert(const state_ptr& owner) {
  owner->status_ = object_status::persistent;
  set_key_and_register(owner);
}

void session_impl::insert_rows(const mapper& m, std::span<const state_ptr> states, std::uint64_t included) {
  const auto& cols = m.columns();
  const auto& dialect = engine_.dialect();
  const auto& caps = dialect.capabilities();
  const std::uint64_t all = cols.size() == 64 ? ~std::uint64_t{0} : bit(cols.size()) - 1;
  const bool returning = included != all;
  if (returning && !caps.returning)
    throw usage_error("relate: inserting " + m.type_name() +
                      " needs the database to return generated columns, but the " +
                      std::string(dialect.name()) + " dialect has no RETURNING");

  // How returned rows are matched to objects when several rows go in one
  // statement (neither database documents the order of RETURNING rows): by
  // the primary key the objects carry (sent by the program, or reserved by
  // insert_objects).  Rows without one go one per statement.
  bool key_included = true;
  for (auto i : m.primary_key()) key_included = key_included && (included & bit(i));
  std::size_t ncols = 0;
  for (std::size_t i = 0; i < cols.size(); ++i) ncols += (included & bit(i)) ? 1 : 0;
  std::size_t chunk = 1;
  if (caps.multi_row_insert && ncols > 0 && (!returning || key_included))
    chunk = std::max<std::size_t>(1, std::min<std::size_t>(max_rows_per_insert, caps.max_parameters / ncols));

  std::vector<std::size_t> generated_columns;  // returned after the key columns
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (!(included & bit(i))) generated_columns.push_back(i);
  const std::size_t key_count = m.primary_key().size();

  std::vector<std::vector<value>> returned;
  for (std::size_t first = 0; first < states.size(); first += chunk) {
    const auto rows = std::min(chunk, states.size() - first);
    auto batch = states.subspan(first, rows);
    params_.clear();
    for (const auto& s : batch)
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (included & bit(i)) params_.push_back(cols[i].ops->read(member_of(*s, cols[i])));
    auto r = conn().execute(m.insert_sql(dialect, included, returning, rows), std::span<const value>(params_),
                            fetch_mode::buffered);
    if (returning) {
      // Read every returned row: [primary key columns][generated columns].
      returned.clear();
      auto& cursor = r.cursor();
      while (cursor.next()) {
        std::vector<value> row;
        row.reserve(key_count + generated_columns.size());
        for (std::size_t k = 0; k < key_count; ++k)
          row.push_back(cols[m.primary_key()[k]].ops->cell(cursor, k));
        for (std::size_t g = 0; g < generated_columns.size(); ++g)
          row.push_back(cols[generated_columns[g]].ops->cell(cursor, key_count + g));
        returned.push_back(std::move(row));
      }
      if (returned.size() != rows)
        throw stale_data_error("relate: INSERT INTO \"" + m.table_name() + "\" returned " +
                               std::to_string(returned.size()) + " rows for " + std::to_string(rows) +
                               " objects");
      std::vector<std::size_t> target(rows);  // returned row -> object in batch
      if (rows == 1) {
        target[0] = 0;
      } else if (key_included) {
        std::unordered_map<std::vector<value>, std::size_t, value_vector_hash> by_key;
        for (std::size_t j = 0; j < rows; ++j) {
          std::vector<value> key;
          for (auto i : m.primary_key()) key.push_back(cols[i].ops->read(member_of(*batch[j], cols[i])));
          by_key.emplace(std::move(key), j);
        }
        for (std::size_t k = 0; k < rows; ++k) {
          auto it = by_key.find(std::vector<value>(returned[k].begin(), returned[k].begin() + key_count));
          if (it == by_key.end())
            throw stale_data_error("relate: INSERT INTO \"" + m.table_name() +
                                   "\" returned a key it was not given");
          target[k] = it->second;
        }
      } else {
        throw usage_error("relate: internal error: several rows without their keys in one INSERT");
      }
      for (std::size_t k = 0; k < rows; ++k) {
        instance_state& s = *batch[target[k]];
        for (std::size_t g = 0; g < generated_columns.size(); ++g) {
          const auto& col = cols[generated_columns[g]];
          if (!col.ops->assign(member_of(s, col), returned[k][key_count + g]))
            throw usage_error("relate: the database returned NULL or a value of another type for column \"" +
                              col.def.name + "\" of " + m.type_name());
          s.generated_mask_ |= bit(generated_columns[g]);
        }
      }
    }
    // The snapshot takes the values just sent (moved, not copied again) and
    // reads back only the generated columns.
    std::size_t at = 0;
    for (const auto& s : batch) {
      auto& snap = s->snapshot_;
      snap.clear();
      snap.reserve(cols.size());
      for (std::size_t i = 0; i < cols.size(); ++i)
        snap.push_back((included & bit(i)) ? std::move(params_[at++])
                                           : cols[i].ops->read(member_of(*s, cols[i])));
      finish_insert(s);
    }
  }
}

std::vector<std::int64_t> session_impl::reserve_keys(const mapper& m, std::size_t count) {
  const auto& column = m.columns()[m.autoincrement_column()];
  auto reservation = engine_.dialect().reserve_keys(m.table_name(), column.def.name, count);
  if (!reservation) return {};
  std::vector<std::int64_t> keys;
  keys.reserve(count);
  auto r =
      conn().execute(reservation->sql, std::span<const value>(reservation->params), fetch_mode::buffered);
  auto& cursor = r.cursor();
  if (reservation->from_base) {
    if (!cursor.next() || cursor.is_null(0)) return {};
    const auto base = cursor.get_int64(0);
    for (std::size_t i = 1; i <= count; ++i) keys.push_back(base + static_cast<std::int64_t>(i));
    return keys;
  }
  while (cursor.next()) {
    if (cursor.is_null(0)) return {};  // e.g. no sequence behind the column
    keys.push_back(cursor.get_int64(0));
  }
  if (keys.size() != count) return {};
  return keys;
}

void session_impl::insert_objects(const mapper& m, const std::vector<state_ptr>& objects) {
  std::vector<std::uint64_t> masks;
  masks.reserve(objects.size());
  for (auto& s : objects) masks.push_back(prepare_insert(*s));
  // Rows that leave their generated key to the database: when several go at
  // once, reserve their keys first and send them, so each row is known to be
  // its object's by its key (RETURNING's row order is not documented).
  const auto ai = m.autoincrement_column();
  if (ai != mapper::npos && m.primary_key().size() == 1) {
    std::size_t wanting = 0;
    for (auto mask : masks) wanting += (mask & bit(ai)) ? 0 : 1;
    if (wanting > 1) {
      const auto keys = reserve_keys(m, wanting);
      if (!keys.empty()) {
        const auto& col = m.columns()[ai];
        std::size_t next = 0;
        for (std::size_t i = 0; i < objects.size(); ++i) {
          if (masks[i] & bit(ai)) continue;
          col.ops->assign(member_of(*objects[i], col), value(keys[next++]));
          objects[i]->generated_mask_ |= bit(ai);
          masks[i] |= bit(ai);
        }
      }
    }
  }
  // Consecutive objects with the same column set share statements.
  std::vector<state_ptr> run;
  std::uint64_t run_mask = 0;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const auto& s = objects[i];
    const auto mask = masks[i];
    if (!run.empty() && mask != run_mask) {
      insert_rows(m, run, run_mask);
      run.clear();
    }
    run_mask = mask;
    run.push_back(s);
  }
  if (!run.empty()) insert_rows(m, run, run_mask);
}

void session_impl::update_params(const state_ptr& owner, std::uint64_t& changed, flush_log& log,
                                 std::vector<value>& params) {
  instance_state& s = *owner;
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  const auto v = m.version_column();
  if (v != mapper::npos) {
    // The next version; the member goes back to the old one if the flush fails.
    const auto old = s.snapshot_[v];
    log.synced.emplace_back(owner, v, cols[v].ops->read(member_of(s, cols[v])));
    cols[v].ops->assign(member_of(s, cols[v]), value(*old.get_if<std::int64_t>() + 1));
    changed |= bit(v);
  }
  params.clear();
  params.reserve(static_cast<std::size_t>(std::popcount(changed)) + m.primary_key().size() + 1);
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (changed & bit(i)) params.push_back(cols[i].ops->read(member_of(s, cols[i])));
  for (auto i : m.primary_key()) params.push_back(s.snapshot_[i]);  // the row as the database knows it
  if (v != mapper::npos) params.push_back(s.snapshot_[v]);
}

void session_impl::finish_update(const state_ptr& owner, std::uint64_t changed, std::int64_t rows_affected,
                                 flush_log& log) {
  instance_state& s = *owner;
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  const auto v = m.version_column();
  if (rows_affected != 1)
    throw stale_data_error("relate: UPDATE of " + m.type_name() + " in \"" + m.table_name() + "\" matched " +
                           std::to_string(rows_affected) + " rows instead of 1" +
                           (v != mapper::npos
                                ? ": another transaction changed or deleted the row since this version (" +
                                      to_log_string(s.snapshot_[v]) + ") was read"
                                : " (deleted or changed concurrently?)"));
  // The snapshot takes the written values; the log keeps the old ones.
  flush_log::update entry{owner, changed, {}};
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!(changed & bit(i))) continue;
    entry.before.push_back(std::move(s.snapshot_[i]));
    s.snapshot_[i] = cols[i].ops->read(member_of(s, cols[i]));
  }
  log.updated.push_back(std::move(entry));
  bool key_changed = false;
  for (auto i : m.primary_key()) key_changed = key_changed || (changed & bit(i));
  if (key_changed) {
    unregister(s);
    set_key_and_register(owner);
  }
}

void session_impl::update_rows(std::vector<pending_update>& updates, flush_log& log) {
  auto& param_sets = update_params_;  // kept between flushes: the vectors keep their capacity
  for (std::size_t first = 0; first < updates.size();) {
    const mapper& m = updates[first].owner->get_mapper();
    const auto changed = updates[first].changed;
    std::size_t last = first + 1;
    while (last < updates.size() && &updates[last].owner->get_mapper() == &m &&
           updates[last].changed == changed)
      ++last;
    // The version column joins every row's changed columns alike.
    const std::size_t n = last - first;
    if (param_sets.size() < n) param_sets.resize(n);
    std::uint64_t written = changed;
    for (std::size_t i = first; i < last; ++i) {
      written = updates[i].changed;
      update_params(updates[i].owner, written, log, param_sets[i - first]);
    }
    const auto counts = conn().execute_many(m.update_sql(engine_.dialect(), written),
                                            std::span<const std::vector<value>>(param_sets.data(), n));
    for (std::size_t i = first; i < last; ++i)
      finish_update(updates[i].owner, written, counts[i - first], log);
    first = last;
  }
  updates.clear();
}

void session_impl::delete_params(const instance_state& s, std::vector<value>& params) const {
  const mapper& m = s.get_mapper();
  auto db_value = [&](std::size_t i) {
    // The row as the database knows it (the members of a never-loaded object otherwise).
    return s.snapshot_.empty() ? m.columns()[i].ops->read(member_of(s, m.columns()[i])) : s.snapshot_[i];
  };
  params.clear();
  for (auto i : m.primary_key()) params.push_back(db_value(i));
  if (const auto v = m.version_column(); v != mapper::npos) params.push_back(db_value(v));
}

void session_impl::finish_delete(const state_ptr& owner, std::int64_t rows_affected,
                                 const std::vector<value>& params, flush_log& log) {
  instance_state& s = *owner;
  const mapper& m = s.get_mapper();
  if (m.version_column() != mapper::npos && rows_affected != 1)
    throw stale_data_error("relate: DELETE of " + m.type_name() + " in \"" + m.table_name() +
                           "\" matched no row: another transaction changed or deleted it since version " +
                           to_log_string(params.back()) + " was read");
  log.deleted.push_back(owner);
  unregister(s);
  s.status_ = object_status::deleted;
  s.marked_for_delete_ = false;
}

void session_impl::delete_states(const mapper& m, const std::vector<state_ptr>& rows, flush_log& log) {
  if (rows.empty()) return;
  const auto& caps = engine_.dialect().capabilities();
  // One row per statement where each row's count is checked (a version column).
  if (m.primary_key().size() != 1 || rows.size() == 1 || m.version_column() != mapper::npos) {
    // One statement, many parameter sets (a pipeline on PostgreSQL).  The
    // rows are independent: none refers to another (delete_component's waves).
    auto& param_sets = update_params_;
    if (param_sets.size() < rows.size()) param_sets.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) delete_params(*rows[i], param_sets[i]);
    const auto counts = conn().execute_many(
        m.delete_sql(engine_.dialect()), std::span<const std::vector<value>>(param_sets.data(), rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) finish_delete(rows[i], counts[i], param_sets[i], log);
    return;
  }
  // A single-column key: DELETE ... WHERE key IN (...), chunked.
  const std::size_t chunk = std::max<std::size_t>(1, std::min(max_rows_per_insert, caps.max_parameters));
  const auto k = m.primary_key()[0];
  const auto& col = m.columns()[k];
  for (std::size_t first = 0; first < rows.size(); first += chunk) {
    const auto n = std::min(chunk, rows.size() - first);
    params_.clear();
    for (std::size_t j = first; j < first + n; ++j) {
      const auto& s = *rows[j];
      params_.push_back(s.snapshot_.empty() ? col.ops->read(member_of(s, col)) : s.snapshot_[k]);
    }
    conn().execute(m.delete_many_sql(engine_.dialect(), n), std::span<const value>(params_),
                   fetch_mode::buffered);
    for (std::size_t j = first; j < first + n; ++j) {
      log.deleted.push_back(rows[j]);
      unregister(*rows[j]);
      rows[j]->status_ = object_status::deleted;
      rows[j]->marked_for_delete_ = false;
    }
  }
}

void session_impl::delete_component(const flush_order::component& comp, flush_log& log) {
  auto in_component = [&](const mapper& m) {
    return std::find(comp.mappers.begin(), comp.mappers.end(), &m) != comp.mappers.end();
  };
  std::vector<state_ptr> rows;
  for (auto& s : deleted_)
    if (s->marked_for_delete_ && in_component(s->get_mapper())) rows.push_back(s);
  if (rows.empty()) return;
  if (!comp.cyclic) {
    delete_states(*comp.mappers.front(), rows, log);
    return;
  }
  // Children first: a row waits while a row to delete references it (by the
  // foreign-key values the database holds).
  struct link {
    std::size_t column;  // in the child's mapper
    const mapper* parent;
    std::size_t parent_column;
  };
  std::map<const mapper*, std::vector<link>> links;
  for (const mapper* m : comp.mappers) {
    const auto& cols = m->columns();
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (!cols[i].foreign_key) continue;
      const auto& t = cols[i].foreign_key->target;
      const mapper* p = t.target_mapper ? &t.target_mapper() : mapper::find_by_table(t.table);
      if (!p || !in_component(*p)) continue;
      const auto pc = t.target_mapper ? p->find_column_at_offset(t.target_offset) : p->find_column(t.column);
      if (pc != mapper::npos) links[m].push_back({i, p, pc});
    }
  }
  auto db_value = [](const instance_state& s, std::size_t column) {
    if (!s.snapshot_.empty()) return s.snapshot_[column];
    const auto& col = s.get_mapper().columns()[column];
    return col.ops->read(member_of(s, col));
  };
  std::map<std::pair<const mapper*, std::size_t>,
           std::unordered_map<value, const instance_state*, value_hash>>
      by_value;
  for (const auto& [m, ls] : links)
    for (const auto& l : ls)
      for (auto& s : rows)
        if (&s->get_mapper() == l.parent)
          by_value[{l.parent, l.parent_column}].emplace(db_value(*s, l.parent_column), s.get());
  std::unordered_map<const instance_state*, std::size_t> children_left;
  std::unordered_map<const instance_state*, std::vector<const instance_state*>> parents;
  for (auto& s : rows) {
    auto it = links.find(&s->get_mapper());
    if (it == links.end()) continue;
    for (const auto& l : it->second) {
      value v = db_value(*s, l.column);
      if (v.is_null()) continue;
      auto& index = by_value[{l.parent, l.parent_column}];
      auto p = index.find(v);
      if (p == index.end() || p->second == s.get()) continue;
      ++children_left[p->second];
      parents[s.get()].push_back(p->second);
    }
  }
  while (!rows.empty()) {
    std::vector<state_ptr> wave, later;
    for (auto& s : rows) (children_left[s.get()] == 0 ? wave : later).push_back(s);
    if (wave.empty())
      throw usage_error(
          "relate::session::flush: the rows of " + later.front()->get_mapper().type_name() +
          " to delete reference each other in a cycle; mark one of the relationships post_update");
    for (auto& s : wave)
      for (const auto* p : parents[s.get()]) --children_left[p];
    for (const mapper* m : comp.mappers) {
      std::vector<state_ptr> of_m;
      for (auto& s : wave)
        if (&s->get_mapper() == m) of_m.push_back(s);
      delete_states(*m, of_m, log);
    }
    rows = std::move(later);
  }
}

void session_impl::undo(flush_log& log) {
  for (auto it = log.synced.rbegin(); it != log.synced.rend(); ++it) {
    auto& [s, column, before] = *it;
    const auto& col = s->get_mapper().columns()[column];
    col.ops->assign(member_of(*s, col), before);
  }
  const auto reset_generated = [](instance_state& s) {
    const auto& cols = s.get_mapper().columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (s.generated_mask_ & bit(i)) cols[i].ops->reset(member_of(s, cols[i]));
    s.generated_mask_ = 0;
  };
  for (auto& s : log.deleted) {
    s->status_ = object_status::persistent;
    s->marked_for_delete_ = true;
    set_key_and_register(s);
  }
  for (auto it = log.updated.rbegin(); it != log.updated.rend(); ++it) {
    auto& [s, changed, before] = *it;
    const mapper& m = s->get_mapper();
    bool key_changed = false;
    for (auto i : m.primary_key()) key_changed = key_changed || (changed & bit(i));
    std::size_t k = 0;
    for (std::size_t i = 0; i < m.columns().size(); ++i)
      if (changed & bit(i)) s->snapshot_[i] = std::move(before[k++]);
    if (key_changed) {
      unregister(*s);
      // Re-register under the old key, which the snapshot holds again.
      s->has_key_ = true;
      if (m.single_integer_key()) {
        s->int_key_ = *s->snapshot_[m.primary_key()[0]].get_if<std::int64_t>();
        map_.insert(m, s->int_key_, s);
      } else {
        s->key_.clear();
        for (auto i : m.primary_key()) s->key_.push_back(s->snapshot_[i]);
        map_.insert(m, s->key_, s);
      }
    }
  }
  // The pending objects of this flush: the one that failed (if it was an
  // INSERT, its log entry is still null) and the ones inserted before it.
  for (auto& s : new_) {
    if (s->status_ == object_status::persistent) unregister(*s);
    reset_generated(*s);
    s->snapshot_.clear();
    s->status_ = object_status::pending;
  }
}

}  // namespace relate::orm::detail
