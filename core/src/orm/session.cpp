// SPDX-License-Identifier: MIT
// The session: object states, the identity map, loading rows into objects,
// commit/rollback/close, and finding what a flush writes (the unit of work,
// unit_of_work.hpp, writes it).
#include "orm/session_impl.hpp"

#include "orm/column_access.hpp"
#include "orm/loader.hpp"
#include "orm/object_graph.hpp"
#include "orm/relationship_access.hpp"
#include "orm/unit_of_work.hpp"

#include <algorithm>
#include <unordered_set>

namespace relate::orm {

namespace detail {

namespace {

/// What an invalid_value message adds about the column's type.
std::string invalid_value_hint(const sql::sql_type& type) {
  if (type.kind != sql::type_kind::enumeration || !type.enumeration) return {};
  std::string labels;
  for (const auto& l : type.enumeration->labels) labels += (labels.empty() ? "" : ", ") + l;
  return " (not a label of enum " + type.enumeration->name + ": " + labels + ")";
}

}  // namespace

session_impl::~session_impl() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; the connection's own guard rolls back.
  }
}

connection& session_impl::conn() {
  if (!conn_) {
    const auto& kind = options_.transaction ? *options_.transaction : engine_.options().transaction;
    // A session that cannot write reads from a replica, if the engine has
    // any; one that may write, or already did, stays on the primary.
    if (kind.read_only && engine_.replica_count() > 0)
      conn_.emplace(engine_.connect_for_read(options_.read_after));
    else
      conn_.emplace(engine_.connect());
    if (options_.transaction) conn_->set_transaction_options(*options_.transaction);
  }
  return *conn_;
}

// ---- keys and the identity map ----------------------------------------------

bool session_impl::key_from_object(const instance_state& s, std::int64_t& int_key, std::vector<value>& key) {
  const mapper& m = s.get_mapper();
  const auto& cols = m.columns();
  if (m.single_integer_key()) {
    value v = cols[m.primary_key()[0]].ops->read(member_of(s, cols[m.primary_key()[0]]));
    auto p = v.get_if<std::int64_t>();
    if (!p) return false;
    int_key = *p;
    return true;
  }
  key.clear();
  for (auto i : m.primary_key()) {
    key.push_back(cols[i].ops->read(member_of(s, cols[i])));
    if (key.back().is_null()) return false;
  }
  return true;
}

void session_impl::set_key_and_register(const state_ptr& s) {
  const mapper& m = s->get_mapper();
  if (!key_from_object(*s, s->int_key_, s->key_))
    throw usage_error("relate::session: " + describe(*s) + " has a NULL primary key column");
  state_ptr existing = m.single_integer_key() ? map_.insert(m, s->int_key_, s) : map_.insert(m, s->key_, s);
  if (existing && existing != s) {
    // The row is already represented by another object of this session.
    throw usage_error("relate::session: another object of " + m.type_name() +
                      " with the same primary key is already in this session");
  }
  s->has_key_ = true;
}

void session_impl::register_under_snapshot_key(const state_ptr& s) {
  unregister(*s);
  const mapper& m = s->get_mapper();
  s->has_key_ = true;
  if (m.single_integer_key()) {
    s->int_key_ = s->snapshot_.at(m.primary_key()[0]).scalar;
    map_.insert(m, s->int_key_, s);
  } else {
    s->key_.clear();
    for (auto i : m.primary_key()) s->key_.push_back(s->snapshot_.get(i));
    map_.insert(m, s->key_, s);
  }
}

void session_impl::unregister(instance_state& s) {
  if (!s.has_key_) return;
  const mapper& m = s.get_mapper();
  const state_ptr* found = m.single_integer_key() ? map_.find(m, s.int_key_) : map_.find(m, s.key_);
  if (found && found->get() == &s) {
    if (m.single_integer_key())
      map_.erase(m, s.int_key_);
    else
      map_.erase(m, s.key_);
  }
  s.has_key_ = false;
}

const session_impl::state_ptr* session_impl::find(const mapper& m, std::span<const value> key) const {
  if (key.size() != m.primary_key().size())
    throw usage_error("relate::session::get<" + m.type_name() + ">: the primary key has " +
                      std::to_string(m.primary_key().size()) + " column(s), " + std::to_string(key.size()) +
                      " value(s) given");
  if (m.single_integer_key()) {
    auto p = key[0].get_if<std::int64_t>();
    if (!p)
      throw usage_error("relate::session::get<" + m.type_name() + ">: the primary key is an integer, a " +
                        std::string(to_string(key[0].kind())) + " was given");
    return map_.find(m, *p);
  }
  return map_.find(m, std::vector<value>(key.begin(), key.end()));
}

// ---- loading ------------------------------------------------------------------

namespace {

[[noreturn]] void throw_unloadable(const instance_state& s, std::size_t i, load_status status,
                                   const native_cursor& cursor, std::size_t at) {
  const mapper& m = s.get_mapper();
  const auto& c = m.columns()[i];
  if (status == load_status::null_into_value)
    throw usage_error("relate: column \"" + c.def.name + "\" of table \"" + m.table_name() +
                      "\" is NULL, but the member of " + m.type_name() + " it maps is not a std::optional");
  if (status == load_status::invalid_value) {
    error_info info;
    info.native_message = "relate: column \"" + c.def.name + "\" of table \"" + m.table_name() + "\" holds " +
                          to_log_string(c.ops->cell(cursor, at)) + ", which the member of " + m.type_name() +
                          " it maps does not accept" + invalid_value_hint(c.def.type);
    throw data_error(std::move(info));
  }
  throw usage_error("relate: column \"" + c.def.name + "\" of table \"" + m.table_name() + "\" holds " +
                    std::to_string(cursor.get_int64(at)) + ", which the member of " + m.type_name() +
                    " it maps cannot hold (widen the member's type)");
}

/// Column i's member <- the cell at `at`.
inline void load_cell(instance_state& s, std::size_t i, const native_cursor& cursor, std::size_t at) {
  const auto& c = s.get_mapper().columns()[i];
  const auto status = c.ops->load(member_of(s, c), cursor, at);
  if (status != load_status::ok) throw_unloadable(s, i, status, cursor, at);
}

}  // namespace

void session_impl::populate(instance_state& s, const native_cursor& cursor, std::size_t first, bool snapshot,
                            std::uint64_t deferred) {
  const auto& cols = s.get_mapper().columns();
  if (!deferred) {
    for (std::size_t i = 0; i < cols.size(); ++i) load_cell(s, i, cursor, first + i);
  } else {
    // A column the row leaves out goes back to its value-initialised state,
    // which the snapshot then holds too: unchanged until the program assigns it.
    std::size_t at = first;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (deferred & column_bit(i))
        cols[i].ops->reset(member_of(s, cols[i]));
      else
        load_cell(s, i, cursor, at++);
    }
  }
  s.unloaded_ = deferred;
  if (snapshot) take_snapshot(s);
}

void session_impl::fill_unloaded(instance_state& s, const native_cursor& cursor, std::size_t first,
                                 std::uint64_t deferred) {
  const auto& cols = s.get_mapper().columns();
  const std::uint64_t filled = s.unloaded_ & ~deferred;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!(filled & column_bit(i))) continue;
    const auto at = first + row_position(deferred, i);
    value cell = cols[i].ops->cell(cursor, at);
    // A member the program assigned meanwhile keeps its value: the snapshot
    // learns what the database holds, so the flush writes the assignment.
    if (cols[i].ops->same(member_of(s, cols[i]), s.snapshot_.at(i))) load_cell(s, i, cursor, at);
    s.snapshot_.set(i, cell);
  }
  s.unloaded_ &= ~filled;
}

void session_impl::take_snapshot(instance_state& s) {
  const auto& cols = s.get_mapper().columns();
  // Views of the members (and of the values kept for the types that cannot
  // be viewed), copied into the snapshot's one allocation.
  snapshot_cells_.resize(cols.size());
  if (snapshot_keep_.capacity() < cols.size()) snapshot_keep_.reserve(cols.size());
  for (std::size_t i = 0; i < cols.size(); ++i)
    snapshot_cells_[i] = cols[i].ops->snap(member_of(s, cols[i]), snapshot_keep_);
  s.snapshot_.assign(snapshot_cells_);
  snapshot_keep_.clear();
}

std::uint64_t session_impl::changed_columns(const instance_state& s) {
  const auto& cols = s.get_mapper().columns();
  if (s.snapshot_.size() != cols.size()) return 0;
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (!cols[i].ops->same(member_of(s, cols[i]), s.snapshot_.at(i))) mask |= std::uint64_t{1} << i;
  return mask;
}

session_impl::state_ptr session_impl::load(const mapper& m, const native_cursor& cursor, std::size_t first,
                                           bool attach, const row_load& how) {
  if (!attach) {
    auto s = m.make_instance();
    populate(*s, cursor, first, false, how.deferred);
    relationship_access::reset_unloaded(*s);
    s->status_ = object_status::detached;
    return s;
  }
  const auto& cols = m.columns();
  const state_ptr* existing = nullptr;
  std::int64_t int_key = 0;
  std::vector<value> key;
  if (m.single_integer_key()) {
    auto i = first + row_position(how.deferred, m.primary_key()[0]);
    if (cursor.is_null(i))
      throw usage_error("relate: a row of \"" + m.table_name() + "\" has a NULL primary key");
    int_key = cursor.get_int64(i);
    existing = map_.find(m, int_key);
  } else {
    for (auto i : m.primary_key())
      key.push_back(cols[i].ops->cell(cursor, first + row_position(how.deferred, i)));
    existing = map_.find(m, key);
  }
  if (existing) {
    // The identity map wins: an object already loaded keeps its (possibly
    // changed) members, unless it was expired and needs the row anyway, or
    // the query overwrites what the session holds (populate_existing, which
    // unloads its relationships as an expiry does).  Columns a deferred load
    // left out are taken from a row that has them.
    instance_state& e = **existing;
    if (e.expired_ || (how.populate_existing && first_overwrite(e))) {
      populate(e, cursor, first, true, how.deferred);
      if (!e.expired_) relationship_access::reset_unloaded(e);
      e.expired_ = false;
      fire(object_event::refresh, e);
    } else if (e.unloaded_ & ~how.deferred) {
      fill_unloaded(e, cursor, first, how.deferred);
    }
    return *existing;
  }
  auto s = m.make_instance();
  populate(*s, cursor, first, true, how.deferred);
  relationship_access::reset_unloaded(*s);
  s->status_ = object_status::persistent;
  s->session_ = this;
  s->has_key_ = true;
  if (m.single_integer_key()) {
    s->int_key_ = int_key;
    map_.insert(m, int_key, s);
  } else {
    s->key_ = key;
    map_.insert(m, std::move(key), s);
  }
  fire(object_event::load, *s);
  return s;
}

result session_impl::read_own_row(instance_state& s, const sql::row_lock& lock, std::uint64_t deferred,
                                  const char* why) {
  const mapper& m = s.get_mapper();
  std::vector<value> key;
  if (m.single_integer_key())
    key.emplace_back(s.int_key_);
  else
    key = s.key_;
  auto r = conn().execute(*m.select_by_key_sql(engine_.dialect(), lock, deferred),
                          std::span<const value>(key), load_mode());
  if (!r.cursor().next()) {
    // The row is gone (SQLAlchemy's ObjectDeletedError): the object cannot stand for it any more.
    unregister(s);
    detach(s);
    throw stale_data_error("relate::session: " + describe(s) + " " + why + " and its row in \"" +
                           m.table_name() + "\" no longer exists");
  }
  return r;
}

void session_impl::reload(instance_state& s, const sql::row_lock& lock, std::uint64_t deferred) {
  auto r = read_own_row(s, lock, deferred, s.expired_ ? "was expired" : "was refreshed");
  populate(s, r.cursor(), 0, true, deferred);
  s.expired_ = false;
  fire(object_event::refresh, s);
}

void session_impl::load_deferred(instance_state& s) {
  if (s.session_ != this || s.status_ != object_status::persistent)
    throw usage_error("relate::session::load_deferred: " + describe(s) +
                      " is not persistent in this session");
  if (s.expired_) {
    // Everything is read again anyway: read it all.
    reload(s, {}, 0);
    return;
  }
  if (!s.unloaded_) return;
  const std::uint64_t deferred =
      s.get_mapper().all_columns() & ~s.unloaded_;  // the row: only what is missing
  auto r = read_own_row(s, {}, deferred, "was loading its deferred columns");
  fill_unloaded(s, r.cursor(), 0, deferred);
  fire(object_event::refresh, s);
}

void session_impl::expire(instance_state& s) {
  s.expired_ = true;
  relationship_access::reset_unloaded(s);
  s.loaded_by_.reset();  // its reload is a load of its own, not part of the query's
}

void session_impl::expire_all_of(const mapper& m) {
  map_.for_each(m, [](const state_ptr& s) {
    if (s->status_ == object_status::persistent) expire(*s);
  });
}

const session_impl::state_ptr* session_impl::find_row(const mapper& m, const std::vector<value>& key) const {
  if (!m.single_integer_key()) return map_.find(m, key);
  auto p = key[0].get_if<std::int64_t>();
  return p ? map_.find(m, *p) : nullptr;
}

void session_impl::expire_row(const mapper& m, const std::vector<value>& key) {
  if (const state_ptr* found = find_row(m, key); found && (*found)->status_ == object_status::persistent)
    expire(**found);
}

void session_impl::forget_deleted_row(const mapper& m, const std::vector<value>& key) {
  const state_ptr* found = find_row(m, key);
  if (!found) return;
  state_ptr s = *found;
  unregister(*s);
  std::erase(deleted_, s);
  unlist(*s);
  detach(*s);
  s->status_ = object_status::deleted;
}

// ---- object states ------------------------------------------------------------

void session_impl::detach(instance_state& s) {
  s.session_ = nullptr;
  s.marked_for_delete_ = false;
  // Another session that takes the object must list it afresh.
  s.touched_ = false;
  s.relationships_noted_ = false;
  s.status_ = s.status_ == object_status::pending ? object_status::transient : object_status::detached;
}

void session_impl::add(state_ptr s) {
  if (s->session_ == this) {
    if (s->marked_for_delete_) {
      // Adding back an object marked for deletion cancels the deletion.
      s->marked_for_delete_ = false;
      std::erase(deleted_, s);
    }
    return;
  }
  cascade_add(s);
}

void session_impl::add_one(const state_ptr& s) {
  if (s->session_)
    throw usage_error("relate::session::add: " + describe(*s) + " already belongs to another session");
  if (s->status_ == object_status::detached || s->status_ == object_status::deleted) {
    if (s->status_ == object_status::deleted)
      throw usage_error("relate::session::add: " + describe(*s) +
                        " was deleted; add a copy to insert it again");
    set_key_and_register(s);
    s->session_ = this;
    s->status_ = object_status::persistent;
    // Changes made while it was detached are the flush's to find.
    if (s->get_mapper().has_relationships()) note_relationship_change(*s);
    s->touch();
    return;
  }
  s->session_ = this;
  s->status_ = object_status::pending;
  s->add_order_ = add_counter_++;
  new_.push_back(s);
}

void session_impl::check_cascade_add(const state_ptr& first) const {
  // The walk of cascade_add below, reading only.
  std::vector<const instance_state*> work{first.get()};
  std::unordered_set<const instance_state*> seen{first.get()};
  for (std::size_t i = 0; i < work.size(); ++i) {
    const instance_state& s = *work[i];
    if (s.session_ == this) continue;
    if (s.session_)
      throw usage_error("relate::session::add: " + describe(s) + " already belongs to another session");
    if (s.status_ == object_status::deleted)
      throw usage_error("relate::session::add: " + describe(s) +
                        " was deleted; add a copy to insert it again");
    if (s.status_ == object_status::detached) {
      const mapper& m = s.get_mapper();
      std::int64_t int_key = 0;
      std::vector<value> key;
      if (!key_from_object(s, int_key, key))
        throw usage_error("relate::session: " + describe(s) + " has a NULL primary key column");
      const state_ptr* existing = m.single_integer_key() ? map_.find(m, int_key) : map_.find(m, key);
      if (existing && existing->get() != &s)
        throw usage_error("relate::session: another object of " + m.type_name() +
                          " with the same primary key is already in this session");
    }
    if (!s.get_mapper().has_relationships()) continue;
    for (const auto& info : s.get_mapper().relationships()) {
      if (!info.cascade.has(cascade::save_update)) continue;
      relationship_access::for_each_reachable(s, info, [&](const state_ptr& x) {
        if (x->session_ != this && seen.insert(x.get()).second) work.push_back(x.get());
      });
    }
  }
}

void session_impl::cascade_add(const state_ptr& first) {
  // Nothing is added unless everything can be: a refusal half-way would leave
  // some of the graph in this session.
  check_cascade_add(first);
  // Breadth first, in each collection's order (the order of the INSERTs), and
  // iterative: a long chain of related objects must not exhaust the stack.
  std::vector<state_ptr> work{first};
  for (std::size_t i = 0; i < work.size(); ++i) {
    state_ptr s = work[i];
    if (s->session_ == this) continue;
    relationship_access::link(s);
    add_one(s);
    const mapper& m = s->get_mapper();
    if (!m.has_relationships()) continue;
    for (const auto& info : m.relationships()) {
      if (!info.cascade.has(cascade::save_update)) continue;
      relationship_access::for_each_reachable(*s, info, [&](const state_ptr& x) {
        if (x->session_ != this) work.push_back(x);
      });
    }
  }
}

void session_impl::note_relationship_change(instance_state& owner) {
  if (owner.relationships_noted_ || owner.status_ == object_status::pending)
    return;  // new objects are all visited
  owner.relationships_noted_ = true;
  relationship_owners_.push_back(owner.shared_from_this());
}

void session_impl::note_touched(instance_state& s) {
  s.touched_ = true;
  touched_.push_back(s.shared_from_this());
}

// An entry may stand for an object that has left for another session since
// (detach reset its flag then): that session's flag is not ours to clear.
void session_impl::forget_touched() noexcept {
  for (auto& s : touched_)
    if (s->session_ == this) s->touched_ = false;
  touched_.clear();
}

void session_impl::forget_relationship_owners() noexcept {
  for (auto& s : relationship_owners_)
    if (s->session_ == this) s->relationships_noted_ = false;
  relationship_owners_.clear();
}

session_impl::state_ptr session_impl::peek_reference(const instance_state& owner,
                                                     const relationship_info& rel) const {
  if (!rel.owner_holds_key()) return nullptr;
  const mapper& target = *rel.target;
  if (!target.single_integer_key() || rel.remote_column != target.primary_key()[0]) return nullptr;
  const auto& col = owner.get_mapper().columns()[rel.local_column];
  value v = col.ops->read(member_of(owner, col));
  const auto* k = v.get_if<std::int64_t>();
  const state_ptr* found = k ? map_.find(target, *k) : nullptr;
  return found ? *found : nullptr;
}

session_impl::state_ptr session_impl::get(const mapper& m, std::span<const value> key) {
  if (const state_ptr* s = find(m, key); s && !(*s)->marked_for_delete_) return *s;
  autoflush();
  if (const state_ptr* s = find(m, key)) return (*s)->marked_for_delete_ ? nullptr : *s;
  state_ptr loaded;
  {
    const auto deferred = m.deferred_columns();
    auto r = conn().execute(*m.select_by_key_sql(engine_.dialect(), {}, deferred), key, load_mode());
    if (!r.cursor().next()) return nullptr;
    loaded = load(m, r.cursor(), 0, true, {.deferred = deferred});
  }
  if (has_eager_defaults(m)) populate(make_plan(m, {}), {loaded}, false);
  return loaded;
}

void session_impl::remove(instance_state& s) {
  if (s.session_ != this)
    throw usage_error("relate::session::remove: " + describe(s) + " is not in this session");
  if (s.status_ == object_status::pending) {
    expunge(s);
    return;
  }
  if (s.marked_for_delete_ || s.status_ != object_status::persistent) return;
  s.marked_for_delete_ = true;
  const mapper& m = s.get_mapper();
  const state_ptr* found = m.single_integer_key() ? map_.find(m, s.int_key_) : map_.find(m, s.key_);
  if (found) deleted_.push_back(*found);
}

void session_impl::refresh(instance_state& s, const sql::row_lock& lock) {
  if (s.session_ != this || s.status_ != object_status::persistent)
    throw usage_error("relate::session::refresh: " + describe(s) + " is not persistent in this session");
  reload(s, lock, 0);  // every column, deferred ones too: the explicit way to read them
}

void session_impl::expunge(instance_state& s) {
  if (s.session_ != this)
    throw usage_error("relate::session::expunge: " + describe(s) + " is not in this session");
  unregister(s);
  std::erase_if(new_, [&](const state_ptr& p) { return p.get() == &s; });
  std::erase_if(deleted_, [&](const state_ptr& p) { return p.get() == &s; });
  std::erase_if(tx_inserted_, [&](const state_ptr& p) { return p.get() == &s; });
  if (s.status_ == object_status::pending) s.generated_mask_ = 0;
  unlist(s);
  detach(s);
}

void session_impl::unlist(const instance_state& s) {
  std::erase_if(touched_, [&](const state_ptr& p) { return p.get() == &s; });
  std::erase_if(relationship_owners_, [&](const state_ptr& p) { return p.get() == &s; });
}

void session_impl::expunge_all() {
  std::vector<state_ptr> released;
  released.reserve(new_.size() + map_.size() + tx_deleted_.size());
  for (auto& s : new_) released.push_back(s);
  map_.drain_into(released);
  for (auto& s : tx_deleted_) released.push_back(s);
  for (auto& s : released) detach(*s);
  new_.clear();
  deleted_.clear();
  tx_inserted_.clear();
  tx_deleted_.clear();
  forget_relationship_owners();
  forget_touched();
  release_cycles(std::move(released));
}

bool session_impl::has_changes() const {
  if (!new_.empty() || !deleted_.empty()) return true;
  for (const auto& s : relationship_owners_)
    if (s->session_ == this && s->status_ == object_status::persistent) return true;
  bool changed = false;
  map_.for_each([&](const state_ptr& s) {
    if (!changed && s->status_ == object_status::persistent && !s->expired_ && changed_columns(*s) != 0)
      changed = true;
  });
  return changed;
}

// ---- flush ----------------------------------------------------------------------

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
  auto find_dirty = [&] {
    dirty.clear();
    if (every_object)
      map_.for_each(check);
    else
      for (const auto& s : touched_) check(s);
  };
  find_dirty();
  if (new_.empty() && deleted_.empty() && dirty.empty() && relationship_owners_.empty()) {
    forget_touched();
    return;
  }
  // flushing_ from here: a query in a before_flush listener does not
  // autoflush (as in SQLAlchemy); writing_ while the unit of work runs.
  struct flag_guard {
    bool& flag;
    explicit flag_guard(bool& f) : flag(f) { flag = true; }
    ~flag_guard() { flag = false; }
    flag_guard(const flag_guard&) = delete;
    flag_guard& operator=(const flag_guard&) = delete;
  };
  flag_guard flushing(flushing_);
  if (listens(session_event::before_flush)) {
    // The listener may change, add or remove objects: look again.
    fire(session_event::before_flush);
    find_dirty();
  }
  unit_of_work work(*this, std::move(dirty));
  {
    flag_guard writing(writing_);
    work.execute();
  }
  forget_touched();
  forget_relationship_owners();
  work.finish();
  tx_inserted_.insert(tx_inserted_.end(), new_.begin(), new_.end());
  new_.clear();
  tx_deleted_.insert(tx_deleted_.end(), deleted_.begin(), deleted_.end());
  deleted_.clear();
  fire(session_event::after_flush);
}

// ---- transactions -------------------------------------------------------------

void session_impl::commit() {
  flush();
  if (conn_) {
    conn_->commit();
    if (auto token = conn_->read_token(); !token.empty()) read_token_ = std::move(token);
  }
  for (auto& s : tx_deleted_) {
    s->session_ = nullptr;
    s->status_ = object_status::detached;
  }
  release_cycles(std::move(tx_deleted_));
  tx_deleted_.clear();
  for (auto& s : tx_inserted_) s->generated_mask_ = 0;
  tx_inserted_.clear();
  fire(session_event::after_commit);
}

void session_impl::reset_generated(instance_state& s) {
  const auto& cols = s.get_mapper().columns();
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (s.generated_mask_ & column_bit(i)) cols[i].ops->reset(member_of(s, cols[i]));
  s.generated_mask_ = 0;
}

void session_impl::make_transient(instance_state& s) {
  unregister(s);
  reset_generated(s);
  s.snapshot_.clear();
  s.session_ = nullptr;
  s.marked_for_delete_ = false;
  s.expired_ = false;
  s.status_ = object_status::transient;
}

void session_impl::rollback() {
  const bool had_transaction = conn_.has_value();
  if (conn_) {
    try {
      conn_->rollback();
    } catch (const operational_error&) {
      // The connection is gone (the server rolled back with it); the
      // session carries on with a new one.
      if (!conn_->closed() && conn_->native().is_open()) throw;
    }
    if (conn_->closed() || !conn_->native().is_open()) conn_.reset();
  }
  // Objects added since the last commit leave the session, as if never added.
  std::vector<state_ptr> released;
  for (auto& s : tx_inserted_) make_transient(*s);
  for (auto& s : new_) make_transient(*s);
  released.insert(released.end(), tx_inserted_.begin(), tx_inserted_.end());
  released.insert(released.end(), new_.begin(), new_.end());
  tx_inserted_.clear();
  new_.clear();
  forget_relationship_owners();
  forget_touched();
  // Deletions since the last commit are undone.
  for (auto& s : deleted_) s->marked_for_delete_ = false;
  deleted_.clear();
  for (auto& s : tx_deleted_) {
    s->status_ = object_status::persistent;
    s->session_ = this;
    const mapper& m = s->get_mapper();
    if (m.single_integer_key())
      map_.insert(m, s->int_key_, s);
    else
      map_.insert(m, s->key_, s);
    s->has_key_ = true;
  }
  tx_deleted_.clear();
  // Whatever the database holds now wins: reload on next access.
  map_.for_each([](const state_ptr& s) { expire(*s); });
  release_cycles(std::move(released));
  if (had_transaction) fire(session_event::after_rollback);
}

void session_impl::close() {
  // Rows inserted by the uncommitted transaction are rolled back with it:
  // their objects must not keep keys of rows that never existed.
  for (auto& s : tx_inserted_) make_transient(*s);
  tx_inserted_.clear();
  if (conn_) {
    try {
      conn_->rollback();
    } catch (...) {
      conn_.reset();
      expunge_all();
      throw;
    }
    conn_.reset();
  }
  expunge_all();
}

}  // namespace detail

// ---- instance_state -----------------------------------------------------------

void instance_state::note_touched() { session_->note_touched(*this); }

void instance_state::load_expired() {
  if (!session_)
    throw detached_instance_error(
        "relate: an object of " + mapper_->type_name() +
        " was expired (its transaction rolled back) and is detached from its session, "
        "so its columns cannot be reloaded; refresh it through a session (add it to one)");
  session_->reload(*this, {}, mapper_->deferred_columns());
}

// ---- session ------------------------------------------------------------------

session::session(const engine& e, session_options options)
    : impl_(std::make_shared<detail::session_impl>(e, std::move(options))) {
  impl_->owner = this;
}
session::~session() = default;
session::session(session&& other) noexcept : impl_(std::move(other.impl_)) {
  if (impl_) impl_->owner = this;
}
session& session::operator=(session&& other) noexcept {
  impl_ = std::move(other.impl_);
  if (impl_) impl_->owner = this;
  return *this;
}

void session::add_state(std::shared_ptr<instance_state> state) {
  impl_->refuse_during_flush("add");
  impl_->add(std::move(state));
}
std::shared_ptr<instance_state> session::get_state(const mapper& m, std::span<const value> key) {
  return impl_->get(m, key);
}
void session::remove_state(instance_state& state) {
  impl_->refuse_during_flush("remove");
  impl_->remove(state);
}
std::shared_ptr<instance_state> session::merge_state(const mapper& m, const void* object,
                                                     const instance_state* state) {
  impl_->refuse_during_flush("merge");
  return impl_->merge(m, object, state);
}
void session::refresh_state(instance_state& state) { impl_->refresh(state, {}); }
void session::refresh_state(instance_state& state, const sql::row_lock& lock) { impl_->refresh(state, lock); }
void session::load_deferred_state(instance_state& state) { impl_->load_deferred(state); }
void session::expunge_state(instance_state& state) { impl_->expunge(state); }
bool session::contains_state(const instance_state& state) const { return impl_->contains(state); }
void session::expunge_all() { impl_->expunge_all(); }
void session::flush() { impl_->flush(); }
void session::commit() { impl_->commit(); }
void session::rollback() { impl_->rollback(); }
void session::close() { impl_->close(); }
connection& session::get_connection() { return impl_->conn(); }
read_token session::read_token() const { return impl_->read_token(); }
const engine& session::get_engine() const { return impl_->get_engine(); }
bool session::has_changes() const { return impl_->has_changes(); }
result session::execute(const sql::node& statement) {
  return detail::session_access::execute(*impl_, statement, fetch_mode::buffered);
}

std::size_t collect_detached() { return detail::collect_released(); }

namespace detail {

std::shared_ptr<session_impl> session_access::lock(const std::weak_ptr<session_impl>& s) {
  if (auto live = s.lock()) return live;
  // The query or stream outlived its session (or the session was moved from):
  // its objects and connection are gone, so nothing can be read for it.
  throw detached_instance_error(
      "relate: this query or stream belongs to a session that was destroyed or moved from; "
      "keep the session alive while its queries and streams are used");
}

const engine& session_access::get_engine(session_impl& s) { return s.get_engine(); }

result session_access::execute(session_impl& s, const sql::node& statement, fetch_mode mode) {
  s.autoflush();
  return s.conn().execute(statement, mode);
}

std::shared_ptr<instance_state> session_access::load(session_impl& s, const mapper& m,
                                                     const native_cursor& cursor, std::size_t first,
                                                     const row_load& how) {
  return s.load(m, cursor, first, !how.detached, how);
}

std::int64_t session_access::synchronize(session_impl& s, const mapper& m, result* returned_keys,
                                         bool deleted) {
  if (!returned_keys) {
    s.expire_all_of(m);
    return 0;
  }
  std::int64_t n = 0;
  const auto& cols = m.columns();
  std::vector<value> key;
  auto& cursor = returned_keys->cursor();
  while (cursor.next()) {
    ++n;
    key.clear();
    for (std::size_t k = 0; k < m.primary_key().size(); ++k)
      key.push_back(cols[m.primary_key()[k]].ops->cell(cursor, k));
    if (deleted)
      s.forget_deleted_row(m, key);
    else
      s.expire_row(m, key);
  }
  return n;
}

void session_access::autoflush(session_impl& s) { s.autoflush(); }

std::vector<std::shared_ptr<instance_state>> session_access::load_objects(
    session_impl& s, const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
    const std::vector<std::vector<load_step>>& options, row_load how) {
  return s.load_objects(m, std::move(stmt), make_plan(m, options, how));
}

}  // namespace detail

}  // namespace relate::orm
