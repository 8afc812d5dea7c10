// The unit of work: flush() turns the session's pending, changed and deleted
// objects into INSERT, UPDATE and DELETE statements.
//
// Order: mappers are sorted by foreign-key dependency (a table after the
// tables it references); INSERTs and UPDATEs run table by table in that
// order, each table's new rows in the order they were added; DELETEs run
// afterwards in the reverse order, so children go before their parents.
// Everything runs inside a savepoint; a failure rolls the savepoint back and
// undoes the in-memory effects recorded in the flush log.
#include "orm/session_impl.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace relate::orm::detail {

namespace {

void* member_of(const instance_state& s, const column_entry& c) {
  return static_cast<char*>(s.object()) + c.offset;
}

constexpr std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << i; }

}  // namespace

struct session_impl::flush_log {
  std::vector<std::pair<state_ptr, std::vector<value>>> updated;  // state, snapshot before
  std::vector<state_ptr> deleted;
};

std::vector<const mapper*> session_impl::dependency_order(const std::vector<const mapper*>& involved) {
  std::map<const mapper*, std::vector<const mapper*>> parents;
  for (const mapper* m : involved) {
    auto& p = parents[m];
    for (const mapper* d : m->dependencies())
      if (std::find(involved.begin(), involved.end(), d) != involved.end()) p.push_back(d);
  }
  std::vector<const mapper*> out;
  std::vector<const mapper*> rest = involved;
  while (!rest.empty()) {
    auto ready = std::find_if(rest.begin(), rest.end(), [&](const mapper* m) {
      const auto& p = parents[m];
      return std::all_of(p.begin(), p.end(),
                         [&](const mapper* x) { return std::find(out.begin(), out.end(), x) != out.end(); });
    });
    // A cycle between tables: keep the order objects were added in.
    if (ready == rest.end()) ready = rest.begin();
    out.push_back(*ready);
    rest.erase(ready);
  }
  return out;
}

void session_impl::flush() {
  if (flushing_)
    throw usage_error("relate::session::flush: already flushing (flush called from inside a flush)");
  struct dirty_entry {
    state_ptr state;
    std::uint64_t changed;
  };
  std::vector<dirty_entry> dirty;
  map_.for_each([&](const state_ptr& s) {
    if (s->status_ != object_status::persistent || s->expired_ || s->marked_for_delete_) return;
    if (auto changed = changed_columns(*s)) dirty.push_back({s, changed});
  });
  if (new_.empty() && deleted_.empty() && dirty.empty()) return;

  std::vector<const mapper*> involved;
  auto note = [&](const mapper& m) {
    if (std::find(involved.begin(), involved.end(), &m) == involved.end()) involved.push_back(&m);
  };
  for (auto& s : new_) note(s->get_mapper());
  for (auto& d : dirty) note(d.state->get_mapper());
  for (auto& s : deleted_) note(s->get_mapper());
  const auto order = dependency_order(involved);

  auto& c = conn();
  flushing_ = true;
  flush_log log;
  std::optional<transaction> savepoint;
  try {
    if (engine_.dialect().capabilities().savepoints) savepoint.emplace(c.begin_nested());
    for (const mapper* m : order) {
      insert_all(*m);
      for (auto& d : dirty)
        if (&d.state->get_mapper() == m) update_row(d.state, d.changed, log);
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      for (auto& s : deleted_)
        if (&s->get_mapper() == *it) delete_row(s, log);
    if (savepoint) savepoint->commit();
  } catch (...) {
    flushing_ = false;
    try {
      if (savepoint)
        savepoint->rollback();
      else
        c.rollback();
    } catch (...) {
      // The original error is the one worth reporting.
    }
    undo(log);
    throw;
  }
  flushing_ = false;
  tx_inserted_.insert(tx_inserted_.end(), new_.begin(), new_.end());
  new_.clear();
  tx_deleted_.insert(tx_deleted_.end(), deleted_.begin(), deleted_.end());
  deleted_.clear();
}

std::uint64_t session_impl::prepare_insert(instance_state& s) {
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  std::uint64_t included = 0;  // sent in the INSERT; the rest comes back through RETURNING
  s.generated_mask_ = 0;       // columns this flush writes into the object (undone on failure)
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const auto& col = cols[i];
    void* member = member_of(s, col);
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
  take_snapshot(*owner);
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

  // How returned rows are matched to objects, when several rows go in one
  // statement (neither database documents the order of RETURNING rows):
  // by the primary key when the objects carry it, else by the autoincrement
  // key, which the database assigns in increasing order as it inserts the
  // VALUES rows one after the other.
  bool key_included = true;
  for (auto i : m.primary_key()) key_included = key_included && (included & bit(i));
  const bool by_autoincrement =
      !key_included && m.primary_key().size() == 1 && m.primary_key()[0] == m.autoincrement_column();
  std::size_t ncols = 0;
  for (std::size_t i = 0; i < cols.size(); ++i) ncols += (included & bit(i)) ? 1 : 0;
  std::size_t chunk = 1;
  if (caps.multi_row_insert && ncols > 0 && (!returning || key_included || by_autoincrement))
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
        std::vector<std::size_t> order(rows);
        for (std::size_t k = 0; k < rows; ++k) order[k] = k;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return *returned[a][0].get_if<std::int64_t>() < *returned[b][0].get_if<std::int64_t>();
        });
        for (std::size_t j = 0; j < rows; ++j) target[order[j]] = j;
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
    for (const auto& s : batch) finish_insert(s);
  }
}

void session_impl::insert_all(const mapper& m) {
  // Consecutive pending objects of m with the same column set share statements.
  std::vector<state_ptr> run;
  std::uint64_t run_mask = 0;
  for (auto& s : new_) {
    if (&s->get_mapper() != &m) continue;
    const auto mask = prepare_insert(*s);
    if (!run.empty() && mask != run_mask) {
      insert_rows(m, run, run_mask);
      run.clear();
    }
    run_mask = mask;
    run.push_back(s);
  }
  if (!run.empty()) insert_rows(m, run, run_mask);
}

void session_impl::update_row(const state_ptr& owner, std::uint64_t changed, flush_log& log) {
  instance_state& s = *owner;
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  params_.clear();
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (changed & bit(i)) params_.push_back(cols[i].ops->read(member_of(s, cols[i])));
  for (auto i : m.primary_key()) params_.push_back(s.snapshot_[i]);  // the row as the database knows it
  auto r = conn().execute(m.update_sql(engine_.dialect(), changed), std::span<const value>(params_),
                          fetch_mode::buffered);
  if (r.rows_affected() != 1)
    throw stale_data_error("relate: UPDATE of " + m.type_name() + " in \"" + m.table_name() + "\" matched " +
                           std::to_string(r.rows_affected()) +
                           " rows instead of 1 (deleted or changed concurrently?)");
  log.updated.emplace_back(owner, s.snapshot_);
  take_snapshot(s);
  bool key_changed = false;
  for (auto i : m.primary_key()) key_changed = key_changed || (changed & bit(i));
  if (key_changed) {
    unregister(s);
    set_key_and_register(owner);
  }
}

void session_impl::delete_row(const state_ptr& owner, flush_log& log) {
  instance_state& s = *owner;
  const mapper& m = s.get_mapper();
  params_.clear();
  for (auto i : m.primary_key())
    params_.push_back(s.snapshot_.empty() ? m.columns()[i].ops->read(member_of(s, m.columns()[i]))
                                          : s.snapshot_[i]);
  conn().execute(m.delete_sql(engine_.dialect()), std::span<const value>(params_), fetch_mode::buffered);
  log.deleted.push_back(owner);
  unregister(s);
  s.status_ = object_status::deleted;
  s.marked_for_delete_ = false;
}

void session_impl::undo(flush_log& log) {
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
  for (auto& [s, before] : log.updated) {
    if (!s) continue;
    const mapper& m = s->get_mapper();
    bool key_changed = false;
    for (auto i : m.primary_key()) key_changed = key_changed || !(s->snapshot_[i] == before[i]);
    s->snapshot_ = std::move(before);
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
