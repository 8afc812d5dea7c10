// SPDX-License-Identifier: MIT
// The session's state: its connection, identity map, pending and deleted
// objects, and what the current transaction flushed (so rollback can restore
// the objects).  A flush finds the changed objects and hands them to a
// unit_of_work (unit_of_work.hpp), which orders and writes them.
#pragma once

#include <relate/orm/session.hpp>

#include "orm/flush_plan.hpp"
#include "orm/identity_map.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace relate::orm::detail {

/// How error messages name an object: "an object of Post".
inline std::string describe(const instance_state& s) { return "an object of " + s.get_mapper().type_name(); }

struct plan_node;
struct load_record;

class session_impl {
 public:
  using state_ptr = std::shared_ptr<instance_state>;

  session_impl(const engine& e, session_options options)
      : engine_(e), options_(std::move(options)), read_token_(options_.read_after) {}
  ~session_impl();

  connection& conn();

  void add(state_ptr s);
  state_ptr get(const mapper& m, std::span<const value> key);
  void remove(instance_state& s);
  /// session::merge: `object` is m's type; state is its bookkeeping, or
  /// null for a plain value.
  state_ptr merge(const mapper& m, const void* object, const instance_state* state);
  void refresh(instance_state& s, const sql::row_lock& lock);
  void expunge(instance_state& s);
  void expunge_all();
  bool contains(const instance_state& s) const { return s.session_ == this; }

  /// every_object: compare every persistent object with its snapshot (else
  /// only those touched since the last flush).
  void flush(bool every_object = true);
  void commit();
  void rollback();
  void close();
  bool has_changes() const;
  /// flush() before a query or lazy load: compares only the objects reached
  /// through a handle since the last check (flush() and commit() compare
  /// every object, so a change made through a reference kept from earlier
  /// is never lost, only possibly not yet visible to a query).
  void autoflush() {
    if (options_.autoflush && !flushing_) flush(false);
  }

  /// The object for the cursor's row (see session_access::load).
  state_ptr load(const mapper& m, const native_cursor& cursor, std::size_t first, bool attach,
                 const row_load& how = {});
  /// Reads the object's row again but its `deferred` columns (with the row
  /// lock, if any), or detaches it when the row is gone (an expired object's
  /// reload, refresh()).
  void reload(instance_state& s, const sql::row_lock& lock, std::uint64_t deferred);
  /// Reads the columns a deferred load left out (session::load_deferred).
  void load_deferred(instance_state& s);
  void expire_all_of(const mapper& m);
  void expire_row(const mapper& m, const std::vector<value>& key);
  void forget_deleted_row(const mapper& m, const std::vector<value>& key);

  const engine& get_engine() const { return engine_; }
  const relate::read_token& read_token() const noexcept { return read_token_; }

  // Events (relate/orm/events.hpp): free when the session has no registry.
  /// The public handle, for listeners (kept up to date by its moves).
  session* owner = nullptr;
  bool listens(session_event e) const noexcept { return options_.events && options_.events->listens(e); }
  bool listens(object_event e) const noexcept { return options_.events && options_.events->listens(e); }
  void fire(session_event e);
  /// Calls the listeners of e for s's class, if any listens.
  void fire(object_event e, instance_state& s) {
    if (listens(e)) fire_listeners(e, s);
  }
  /// Throws usage_error when called from an object event listener inside a flush.
  void refuse_during_flush(const char* what) const;
  /// How loads read their rows, the ORM's choice from a fact about the
  /// database: streamed from an in-process one, where a buffered result is
  /// only a copy; buffered from a server, where it is one round trip instead
  /// of many.  A load runs no other statement while it reads, so either is safe.
  fetch_mode load_mode() const noexcept {
    return engine_.dialect().capabilities().in_process ? fetch_mode::streamed : fetch_mode::buffered;
  }

  // Relationships (loader.cpp, cascade.cpp)
  /// Called for every row a load reads (a plain function and its context: no
  /// std::function per row).
  struct row_callback {
    void (*call)(void* context, const state_ptr& object, const native_cursor& cursor) = nullptr;
    void* context = nullptr;
    explicit operator bool() const noexcept { return call != nullptr; }
    void operator()(const state_ptr& object, const native_cursor& cursor) const {
      call(context, object, cursor);
    }
    template <class F>
    static row_callback of(F& f) {
      return {[](void* c, const state_ptr& o, const native_cursor& cur) { (*static_cast<F*>(c))(o, cur); },
              &f};
    }
  };
  /// Runs a SELECT of m's columns and loads its objects with the plan's
  /// relationships (autoflushing first); each object once, in row order.
  std::vector<state_ptr> load_objects(const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
                                      const plan_node& plan);
  /// The lazy load of one object's relationship.
  void load_relationship(instance_state& owner, const relationship_info& rel);
  /// Adds s (if it is not in this session) and what its save-update
  /// relationships reach.
  void cascade_add(const state_ptr& s);
  /// Throws what cascade_add(s) would refuse (an object of another session,
  /// a deleted one, a detached one whose key another object holds here),
  /// changing nothing: relationship mutations call it before they change
  /// either side, so a refused change leaves both as they were.
  void check_cascade_add(const state_ptr& s) const;
  /// The object a many-to-one reference of owner points at, if the session
  /// has it in memory (no SQL); null otherwise.
  state_ptr peek_reference(const instance_state& owner, const relationship_info& rel) const;
  /// owner's relationships changed since the last flush (the flush visits it).
  void note_relationship_change(instance_state& owner);
  /// owner was reached through a handle (instance_state::touch).
  void note_touched(instance_state& s);

 private:
  void fire_listeners(object_event e, instance_state& s);

  // Merging (merge.cpp)
  struct merge_source;
  /// The session's object for source's key (found, or loaded), checked
  /// against its version; null when it has no row (or no key yet).
  state_ptr merge_target(const merge_source& from);
  /// Copies what source has loaded onto target (all of it onto a new object).
  static void merge_columns(const merge_source& from, instance_state& target, bool created);

  // N+1 detection (n_plus_one.cpp)
  /// objects came from `statement`: they share `record` (made on first need),
  /// or none when they are too few to exceed the threshold.
  void remember_load(const std::shared_ptr<sql::select_stmt>& statement,
                     const std::vector<state_ptr>& objects, std::shared_ptr<load_record>& record);
  /// Whether the lazy load of owner's rel needs a SELECT (not a NULL key or an object in the session).
  bool lazy_load_runs_select(const instance_state& owner, const relationship_info& rel) const;
  /// Counts a lazy load of rel for owner's query: warns, or throws
  /// n_plus_one_error in strict mode, past the threshold.
  void count_lazy_load(const instance_state& owner, const relationship_info& rel);

  // Loading (loader.cpp)
  std::vector<state_ptr> execute_load(const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
                                      const plan_node& node, std::size_t leading, row_callback on_row);
  void populate(const plan_node& node, const std::vector<state_ptr>& objects, bool joined_done);
  void selectin_load(const plan_node& node, const std::vector<state_ptr>& owners);
  /// Column values expire, and relationships unload.
  static void expire(instance_state& s);

  // Keys
  static bool key_from_object(const instance_state& s, std::int64_t& int_key, std::vector<value>& key);
  void set_key_and_register(const state_ptr& s);
  void unregister(instance_state& s);
  const state_ptr* find(const mapper& m, std::span<const value> key) const;
  const state_ptr* find_row(const mapper& m, const std::vector<value>& key) const;
  /// Whether a populate_existing load overwrites s now (not yet in this load).
  bool first_overwrite(const instance_state& s) { return !overwritten_ || overwritten_->insert(&s).second; }
  /// Member <- cursor cell for every column the row has (the `deferred`
  /// ones are value-initialised and marked unloaded); snapshot <- the members.
  void populate(instance_state& s, const native_cursor& cursor, std::size_t first, bool snapshot,
                std::uint64_t deferred);
  /// The columns s lacks that the row (without its `deferred` columns) has:
  /// read into the snapshot, and into the members the program did not assign.
  static void fill_unloaded(instance_state& s, const native_cursor& cursor, std::size_t first,
                            std::uint64_t deferred);
  /// The result of SELECT s's row (but its `deferred` columns) by key, at the
  /// row; detaches s and throws stale_data_error when the row is gone
  /// (`why` says what the session was doing).
  result read_own_row(instance_state& s, const sql::row_lock& lock, std::uint64_t deferred, const char* why);
  void take_snapshot(instance_state& s);
  /// Bit i set: column i differs from the snapshot.
  static std::uint64_t changed_columns(const instance_state& s);
  void detach(instance_state& s);
  /// Puts one object in the session (pending, or persistent again if detached).
  void add_one(const state_ptr& s);
  /// Back to transient: out of the identity map, generated columns reset.
  void make_transient(instance_state& s);

  // The unit of work (unit_of_work.hpp) reads and writes the object states
  // and the identity map it flushes; it is a friend rather than a second
  // owner of them.
  friend class unit_of_work;
  /// The relationship changes to write (cascade.cpp).
  void plan_relationships(flush_plan& plan);
  /// What changed in one owner's loaded relationships since the last flush.
  void plan_owner(const state_ptr& owner, flush_plan& plan, std::vector<orphan>& orphans);
  /// The orphans no other parent took: delete-orphan dooms them (returned),
  /// the others get a NULL key.
  static std::vector<state_ptr> settle_orphans(const std::vector<orphan>& orphans, flush_plan& plan);
  /// Marks what the deleted objects and the doomed ones reach along delete
  /// cascades for deletion; children without a cascade lose their key.
  void plan_deletes(flush_plan& plan, const std::vector<state_ptr>& doomed);
  /// Columns the last flush wrote into s (generated keys, defaults) go back
  /// to their unset values.
  static void reset_generated(instance_state& s);
  /// Re-registers s under the key its snapshot holds (a key change undone).
  void register_under_snapshot_key(const state_ptr& s);

  engine engine_;
  session_options options_;
  std::optional<connection> conn_;
  relate::read_token read_token_;  // after the last commit, else options_.read_after
  identity_map map_;
  std::vector<state_ptr> new_;      // pending, in add order
  std::vector<state_ptr> deleted_;  // persistent, marked for deletion, not flushed yet
  // What the current transaction flushed, for rollback().
  std::vector<state_ptr> tx_inserted_;
  std::vector<state_ptr> tx_deleted_;
  // Parameter buffers of the flush's statements, kept between flushes so
  // their vectors keep their capacity.
  std::vector<value> params_;
  std::vector<std::vector<value>> param_sets_;
  // Scratch of take_snapshot and of the flush's snapshot updates, kept for
  // the same reason: a tracked load takes a snapshot per row.
  std::vector<snapshot_cell> snapshot_cells_;
  std::vector<value> snapshot_keep_;
  std::vector<value> snapshot_values_;
  std::uint64_t add_counter_ = 0;
  bool flushing_ = false;  // in flush(), from before_flush on
  bool writing_ = false;   // the unit of work is running (object event listeners may run)
  std::vector<state_ptr>
      relationship_owners_;         // persistent objects whose relationships changed since the last flush
  std::vector<state_ptr> touched_;  // objects reached through a handle since the last autoflush
  /// The objects a populate_existing load has overwritten so far (each is
  /// overwritten once per load); null outside such a load (a stream
  /// overwrites every object it reads).
  std::unordered_set<const instance_state*>* overwritten_ = nullptr;
  void forget_touched() noexcept;
  void forget_relationship_owners() noexcept;
  /// Takes one object leaving the session off touched_ and relationship_owners_
  /// (a whole session's release clears the lists instead).
  void unlist(const instance_state& s);
};

}  // namespace relate::orm::detail
