// The session's state: its connection, identity map, pending and deleted
// objects, and the log of what the current transaction flushed (so rollback
// can restore the objects).  The unit of work (flush) is in unit_of_work.cpp.
#pragma once

#include <relate/orm/session.hpp>

#include "orm/identity_map.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace relate::orm::detail {

class session_impl {
 public:
  using state_ptr = std::shared_ptr<instance_state>;

  session_impl(const engine& e, session_options options) : engine_(e), options_(options) {}
  ~session_impl();

  connection& conn();

  void add(state_ptr s);
  state_ptr get(const mapper& m, std::span<const value> key);
  void remove(instance_state& s);
  void refresh(instance_state& s);
  void expunge(instance_state& s);
  void expunge_all();
  bool contains(const instance_state& s) const { return s.session_ == this; }

  void flush();
  void commit();
  void rollback();
  void close();
  bool has_changes() const;
  void autoflush() {
    // flush() finds the changes itself (one pass over the objects) and
    // returns at once when there are none.
    if (options_.autoflush && !flushing_) flush();
  }

  /// The object for the cursor's row (see session_access::load).
  state_ptr load(const mapper& m, const native_cursor& cursor, std::size_t first, bool attach);
  /// Reloads an expired object (instance_state::load_expired).
  void reload(instance_state& s);
  void expire_all_of(const mapper& m);
  void expire_row(const mapper& m, const std::vector<value>& key);
  void forget_deleted_row(const mapper& m, const std::vector<value>& key);

  const engine& get_engine() const { return engine_; }

 private:
  // Keys
  static bool key_from_object(const instance_state& s, std::int64_t& int_key, std::vector<value>& key);
  void set_key_and_register(const state_ptr& s);
  void unregister(instance_state& s);
  const state_ptr* find(const mapper& m, std::span<const value> key) const;
  const state_ptr* find_row(const mapper& m, const std::vector<value>& key) const;
  /// Member <- cursor cell for every column; snapshot <- the members.
  static void populate(instance_state& s, const native_cursor& cursor, std::size_t first, bool snapshot);
  static void take_snapshot(instance_state& s);
  /// Bit i set: column i differs from the snapshot.
  static std::uint64_t changed_columns(const instance_state& s);
  void detach(instance_state& s);
  /// Back to transient: out of the identity map, generated columns reset.
  void make_transient(instance_state& s);

  // Unit of work (unit_of_work.cpp)
  struct flush_log;
  /// Applies client defaults; returns the columns the INSERT sends.
  std::uint64_t prepare_insert(instance_state& s);
  void insert_all(const mapper& m);
  void insert_rows(const mapper& m, std::span<const state_ptr> states, std::uint64_t included);
  void finish_insert(const state_ptr& s);
  /// Rows per multi-row INSERT (also bounded by the dialect's parameter limit).
  static constexpr std::size_t max_rows_per_insert = 500;
  void update_row(const state_ptr& s, std::uint64_t changed, flush_log& log);
  void delete_row(const state_ptr& s, flush_log& log);
  void delete_all(const mapper& m, flush_log& log);
  void undo(flush_log& log);
  static std::vector<const mapper*> dependency_order(const std::vector<const mapper*>& involved);

  engine engine_;
  session_options options_;
  std::optional<connection> conn_;
  identity_map map_;
  std::vector<state_ptr> new_;      // pending, in add order
  std::vector<state_ptr> deleted_;  // persistent, marked for deletion, not flushed yet
  // What the current transaction flushed, for rollback().
  std::vector<state_ptr> tx_inserted_;
  std::vector<state_ptr> tx_deleted_;
  std::vector<value> params_;  // reused parameter buffer
  std::uint64_t add_counter_ = 0;
  bool flushing_ = false;
};

}  // namespace relate::orm::detail
