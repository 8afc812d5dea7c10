// SPDX-License-Identifier: MIT
// The unit of work: one flush of a session, as a list of actions sorted by
// dependency and run by a short loop (SQLAlchemy's orm/unitofwork.py).
//
// The session hands over what changed: its pending objects, the persistent
// objects whose columns differ from their snapshot, the objects marked for
// deletion, and the relationship changes that cascade.cpp turns into a
// flush_plan (foreign-key values to copy, association rows, cascaded
// deletes).  The mappers involved are grouped into the strongly connected
// components of the foreign-key graph (dependency_order.cpp), parents
// first, and the actions are:
//
//   save(component)    for each component, parents first: UPDATEs of existing
//                      rows (a row giving up a unique key, as in a replaced
//                      one-to-one, does so before its successor is inserted),
//                      INSERTs of new rows (batched per table and column set; in
//                      a cyclic component, such as a self-referential table, in
//                      waves so every row follows the rows it references), then
//                      UPDATEs of rows re-parented to the new rows.  A child's
//                      foreign-key values are copied from its parents right
//                      before its row is written.
//   associations       many-to-many rows deleted, then inserted.
//   post_update        the keys of post_update relationships, written once every
//                      row exists and cleared before rows go.
//   remove(component)  for each component, children first: DELETEs (row by row
//                      waves inside a cyclic component).
//
// execute() runs them inside a savepoint.  Everything the flush changes in
// memory is recorded in its log; if a statement fails, the savepoint rolls
// back and undo() restores the objects from the log, so nothing of the flush
// stays in the database or in the objects.  The statements of each action
// are built and sent by persistence.cpp.  The session keeps the identity
// map, the object states and the transaction.
#pragma once

#include "orm/flush_plan.hpp"

#include <relate/engine.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace relate::orm::detail {

class session_impl;

class unit_of_work {
 public:
  /// dirty: the persistent objects whose columns differ from their snapshot.
  unit_of_work(session_impl& session, std::vector<state_ptr> dirty)
      : session_(session), dirty_(std::move(dirty)) {}
  unit_of_work(const unit_of_work&) = delete;
  unit_of_work& operator=(const unit_of_work&) = delete;

  /// Writes every change, or none: on failure the database and the objects
  /// are as they were before, and the error is rethrown.
  void execute();
  /// After execute() succeeded: relationship members are marked flushed,
  /// orphans never written leave the session, deleted rows leave the loaded
  /// relationships of the objects on their other sides.
  void finish();

  /// Rows per multi-row INSERT or DELETE ... IN (also bounded by the
  /// dialect's parameter limit).
  static constexpr std::size_t max_rows_per_statement = 500;

 private:
  struct action {
    enum class kind { save, associations, post_update, remove } what;
    const flush_order::component* component = nullptr;
  };
  /// What the flush changed in memory, for undo().
  struct flush_log {
    struct update {
      state_ptr state;
      std::uint64_t changed;
      std::vector<value> before;  // the snapshot's values of the changed columns, in column order
    };
    std::vector<update> updated;
    std::vector<state_ptr> deleted;
    std::vector<std::tuple<state_ptr, std::size_t, value>> synced;  // member value before a key was copied in
  };
  /// An object whose changed columns a flush writes by UPDATE.
  struct pending_update {
    state_ptr owner;
    std::uint64_t changed;
  };

  // Planning and the action loop (unit_of_work.cpp)
  void plan();
  void index_syncs();
  void run(const action& a);
  void save(const flush_order::component& comp);
  /// Collects the UPDATEs of comp's persistent objects; those whose parents
  /// are new rows of this flush wait in `deferred` when waiting is allowed.
  void collect_updates(const flush_order::component& comp, std::vector<state_ptr>* deferred,
                       std::vector<pending_update>& updates);
  void insert_new_rows(const flush_order::component& comp);
  void post_update();
  void remove(const flush_order::component& comp);
  std::span<const key_sync* const> syncs_for(const instance_state& child) const;
  /// Every parent child waits for (by its key syncs) has its row.
  bool parents_written(const instance_state& child) const;
  void apply_syncs_of(const instance_state& child);
  void apply_sync(const key_sync& sync);
  void rollback_database() noexcept;
  void undo();
  /// After a flush deleted the object: the loaded relationships of the
  /// objects on its other sides drop it.
  static void forget_in_relationships(const instance_state& gone);
  /// Column i as the database holds it (the member, for a never-loaded object).
  static value database_value(const instance_state& s, std::size_t i);

  // Statements (persistence.cpp)
  void write_associations();
  /// Applies client defaults; returns the columns the INSERT sends.
  std::uint64_t prepare_insert(instance_state& s);
  void insert_objects(const mapper& m, const std::vector<state_ptr>& objects);
  /// count new values of m's autoincrement key, or none if the dialect cannot reserve them.
  std::vector<std::int64_t> reserve_keys(const mapper& m, std::size_t count);
  void insert_rows(const mapper& m, std::span<const state_ptr> states, std::uint64_t included);
  /// Reads the rows an INSERT ... RETURNING sent back into the objects of batch.
  void read_returned(const mapper& m, native_cursor& cursor, std::span<const state_ptr> batch,
                     std::uint64_t included, bool key_included);
  /// The snapshots of batch take the values just sent; the object is persistent.
  void finish_insert(const mapper& m, std::span<const state_ptr> batch, std::uint64_t included);
  /// The UPDATEs, in order; a run of one mapper and one set of changed
  /// columns is one statement with many parameter sets (a pipeline on
  /// PostgreSQL), each row's count checked.
  void update_rows(std::vector<pending_update>& updates);
  /// Bumps the version column (logged) and sets params to the UPDATE's parameters.
  void update_params(const state_ptr& s, std::uint64_t& changed, std::vector<value>& params);
  /// After the UPDATE of one row: checks it matched the row, moves the
  /// snapshot on (the log keeps the old values), re-registers a changed key.
  void finish_update(const state_ptr& s, std::uint64_t changed, std::int64_t rows_affected);
  /// The DELETE's parameters: the key (and version) the database holds.
  static void delete_params(const instance_state& s, std::vector<value>& params);
  /// After the DELETE of one row: checks a versioned row matched, forgets the row.
  void finish_delete(const state_ptr& s, std::int64_t rows_affected, const std::vector<value>& params);
  void delete_rows(const mapper& m, const std::vector<state_ptr>& rows);
  /// The rows of a cyclic component to delete, children first (waves).
  void delete_in_waves(const flush_order::component& comp, std::vector<state_ptr> rows);
  connection& conn();
  const sql::dialect& dialect() const;

  session_impl& session_;
  std::vector<state_ptr> dirty_;
  flush_plan plan_;
  flush_log log_;
  flush_order order_;
  std::vector<action> actions_;
  std::optional<transaction> savepoint_;
  /// Pending objects orphaned before they were written (plan_.expunged).
  std::unordered_set<const instance_state*> expunged_;
  /// The key syncs each child waits for, grouped by child: a range of
  /// by_child_ per child (no allocation per child).
  std::vector<const key_sync*> by_child_;
  std::unordered_map<const instance_state*, std::pair<std::size_t, std::size_t>> syncs_of_;
  /// Persistent objects to check for an UPDATE, per mapper.
  std::map<const mapper*, std::vector<state_ptr>> to_check_;
};

}  // namespace relate::orm::detail
