// SPDX-License-Identifier: MIT
// relate::session: the unit of work and identity map over one connection
// (SQLAlchemy's Session).  One thread at a time.
//
//   relate::session s(engine);
//   auto john = s.add(User{.name = "John Doe"});   // pending
//   s.commit();                                    // INSERT, john->id set, persistent
//   john->name = "John";                           // dirty: found by comparing with the snapshot
//   s.commit();                                    // UPDATE users SET name = ? WHERE id = ?
//
// The session checks a connection out of the engine on first use and keeps
// it, with its transaction, until commit(), rollback() or close().
//
// - Identity map: within a session one row is one object; get() and queries
//   return the same ptr for the same primary key.  The session holds its
//   objects strongly (a change to an object is flushed even if the program
//   dropped its ptr); close() or expunge_all() lets go of them.
// - Dirty tracking: flush() and commit() compare every persistent object,
//   column by column, with the values last loaded or flushed.  Autoflush
//   (before a query, get() or a lazy load) compares the objects reached
//   through a handle (ptr, one, many) since the previous autoflush: a change
//   made through a reference kept from earlier is always written by the
//   next flush() or commit(), but a query may not see it before then.  An
//   UPDATE sets only the changed columns; an unchanged object costs no
//   statement.  A column a load left out (relate::defer, load_only, a
//   mapping's deferred column) is value-initialised and so is its snapshot:
//   it is written only once the program assigns it, never blanked.  A
//   version_id column makes UPDATE and DELETE conditional on the version
//   read (stale_data_error otherwise).
// - Relationships (relate/orm/relationship.hpp): the flush turns what
//   changed in collections and references into foreign-key values,
//   association rows and cascaded deletes (cascade.cpp), in the order below.
// - Flush: the tables involved are grouped into the strongly connected
//   components of the foreign-key graph, parents first.  Per component:
//   UPDATEs of existing rows, then INSERTs (in waves for a self-referential
//   or cyclic component, each row after the rows it references); then
//   association rows, post_update keys, and DELETEs in reverse, children
//   first.  All inside a savepoint: if a statement fails, the savepoint is
//   rolled back and the objects are put back as they were before the flush
//   (pending objects stay pending, their generated keys and copied foreign
//   keys unset again), so nothing is half-persisted and the session stays
//   usable; the error is rethrown.
// - Batching: pending objects of one table with the same set of columns to
//   send go in multi-row INSERTs, chunked under the dialect's parameter
//   limit; objects removed from a table with a single-column key go in
//   DELETE ... WHERE key IN (...).
// - Generated keys: when several new objects leave their autoincrement key
//   unset, the flush first reserves that many keys (PostgreSQL: nextval of
//   the column's sequence; SQLite: the next values above the greatest key,
//   under the writer's lock) and sends them, so every row is known to be
//   its object's by its key: no database documents the order of a multi-row
//   INSERT's RETURNING rows.  Columns with server defaults come back through
//   RETURNING, matched by that key.  Where keys cannot be reserved, such rows
//   go one per statement.
// - rollback(): rolls the transaction back.  Objects added since the last
//   commit (flushed or not) become transient again and leave the session,
//   with their generated keys and flushed defaults reset to value-initialised;
//   objects removed since the last commit are persistent again; every
//   persistent object is expired and reloaded on its next access through its
//   ptr (so unflushed changes are discarded, as in SQLAlchemy).
// - merge(obj): the session's object for obj's key (found, loaded, or added
//   when no row has it) takes the columns obj loaded, along the save-update
//   relationships obj loaded; obj itself is not added.
// - close(): rolls back and detaches everything; ptrs stay valid.  Objects
//   inserted by the uncommitted transaction become transient (keys reset);
//   the others keep their members.  Accessing a detached object that is
//   expired throws detached_instance_error.
#pragma once

#include <relate/export.hpp>

#include <relate/engine.hpp>
#include <relate/orm/events.hpp>
#include <relate/orm/for_update.hpp>
#include <relate/orm/instance.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/statements.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

namespace relate::orm {

template <class T>
class query;
template <class... V>
class tuple_query;

/// N+1 detection: a relationship lazy-loaded once per object, for many
/// objects of one query, is one SELECT per object where one loader option
/// would do (SQLAlchemy users reach for selectinload).
struct n_plus_one_options {
  /// How many lazy loads of one relationship the objects of one query may
  /// make; the next one logs a warning on the engine's logger (once per query
  /// and relationship) naming the relationship, the count, the query and the
  /// loader option to use.  Only lazy loads that run a SELECT count.
  /// 0: detection off, at no cost.
  std::size_t threshold = 0;
  /// Throw n_plus_one_error instead, at every lazy load past the threshold
  /// (before its SELECT): for test suites.
  bool strict = false;
};

struct session_options {
  /// Flush pending changes before a query or get() runs, so it sees them.
  bool autoflush = true;
  /// Keys per SELECT ... WHERE key IN (...) of select-in loading; 0: as many
  /// as the backend's parameter limit allows (one statement per relationship
  /// and level for most loads).
  std::size_t select_in_chunk = 0;
  /// The kind of transaction the session begins (isolation level, read-only,
  /// deferrable); unset: the engine's (engine_options::transaction).
  std::optional<transaction_options> transaction{};
  /// A READ ONLY session on an engine with replicas runs on a replica that
  /// has replayed this position (a read_token from an earlier session's
  /// commit), waiting up to engine_options::replica_wait for one, else on the
  /// primary: it never reads older data than that commit wrote.  Empty: any
  /// healthy replica.  Sessions that may write always run on the primary.
  relate::read_token read_after{};
  /// Listeners for the session's flush, transaction and object events
  /// (relate/orm/events.hpp); null: none, at no cost.
  std::shared_ptr<session_events> events{};
  /// Warn (or throw) when one query's objects lazy-load one relationship
  /// over and over; off by default.
  n_plus_one_options n_plus_one{};
};

namespace detail {
class session_impl;
struct session_access;
struct load_step;

/// What a query asks of the rows it loads beyond the mapping's defaults.
struct row_load {
  /// The columns the SELECT leaves out (bit i: column i; relate/orm/loading.hpp).
  std::uint64_t deferred = 0;
  /// Objects already in the session take the row's values, discarding their
  /// unflushed changes (query::populate_existing).
  bool populate_existing = false;
  /// Fresh objects the session does not keep (query::scan).
  bool detached = false;
};
}  // namespace detail

class RELATE_API session {
 public:
  explicit session(const engine& e, session_options options = {});
  ~session();
  session(session&&) noexcept;
  session& operator=(session&&) noexcept;

  /// Adds a new object (pending until flushed) and returns its handle.
  template <class T>
  ptr<T> add(T object) {
    static_assert(!std::is_const_v<T>);
    auto p = std::make_shared<instance<T>>(std::move(object));
    add_state(p);
    return ptr<T>(std::move(p));
  }
  /// Adds an existing handle: a no-op for an object already in this session;
  /// a transient object becomes pending, a detached one persistent again.
  template <class T>
  ptr<T> add(ptr<T> object) {
    add_state(object.shared());
    return object;
  }
  template <class T>
  std::vector<ptr<T>> add_all(std::vector<T> objects) {
    std::vector<ptr<T>> out;
    out.reserve(objects.size());
    for (auto& o : objects) out.push_back(add(std::move(o)));
    return out;
  }
  template <class T>
  std::vector<ptr<T>> add_all(std::initializer_list<T> objects) {
    return add_all(std::vector<T>(objects));
  }
  template <class T>
  void add_all(const std::vector<ptr<T>>& objects) {
    for (const auto& o : objects) add(o);
  }

  /// The object with this primary key: from the identity map, else one
  /// SELECT; null when there is no such row.  A composite key is given as a
  /// std::tuple or as a list of values, in key order.
  template <class T, class... K>
  ptr<T> get(const K&... key) {
    const value values[] = {relate::detail::to_value(key)...};
    return cast<T>(get_state(mapper_of<T>(), values));
  }
  template <class T, class... K>
  ptr<T> get(const std::tuple<K...>& key) {
    return std::apply([this](const K&... k) { return get<T>(k...); }, key);
  }
  template <class T>
  ptr<T> get(std::initializer_list<value> key) {
    return cast<T>(get_state(mapper_of<T>(), std::span<const value>(key.begin(), key.size())));
  }

  /// SQLAlchemy's Session.merge: the session's object for the same primary
  /// key, given the state of `object` (detached, transient, another
  /// session's).  The session's object is found in the identity map or
  /// loaded with one SELECT, and takes the columns `object` has loaded (its
  /// primary key and version excepted; a version that differs is a
  /// stale_data_error); when no row has the key, or the key is unset (an
  /// autoincrement key of 0), a new pending object with the values is added.
  /// The merge cascades along save-update relationships that `object` has
  /// loaded: their objects are merged in turn and the session's object's
  /// relationship is set to the merged ones (a collection replaced; an empty
  /// collection of a transient object or plain value counts as not given).
  /// `object` itself is not added and does not change; an object already in
  /// this session is returned as it is.  No autoflush runs meanwhile.
  template <class T>
  ptr<T> merge(const ptr<T>& object) {
    if (!object) throw usage_error("relate::session::merge: the object is a null ptr");
    return cast<T>(merge_state(mapper_of<T>(), object.state().object(), &object.state()));
  }
  /// The same for a plain value: every column is taken as loaded.
  template <class T>
  ptr<T> merge(const T& object) {
    return cast<T>(merge_state(mapper_of<T>(), &object, nullptr));
  }

  /// Deletes the object's row: marks a persistent object for DELETE at the
  /// next flush (SQLAlchemy's session.delete), following the mapping's
  /// delete cascades; a pending object is simply taken out of the session.
  /// Not to be confused with many::remove, which takes an object out of a
  /// collection and deletes nothing (unless delete-orphan says so):
  ///
  ///   session.delete_(post);      // DELETE FROM posts WHERE id = ?
  ///   user->posts.remove(post);   // UPDATE posts SET user_id = NULL WHERE id = ?
  template <class T>
  void delete_(const ptr<T>& object) {
    remove_state(object.state());
  }
  /// delete_ under its first name, kept for existing code: it deletes the
  /// row, as delete_ does (many::remove is the one that only de-associates).
  template <class T>
  void remove(const ptr<T>& object) {
    remove_state(object.state());
  }

  /// Reloads the object's columns from the database (discarding changes),
  /// deferred ones included.
  template <class T>
  void refresh(const ptr<T>& object) {
    refresh_state(object.state());
  }
  /// The same, reading the row with SELECT ... FOR UPDATE (SQLAlchemy's
  /// refresh(obj, with_for_update=...)): it stays locked until the transaction
  /// ends.  Ignored on SQLite.
  template <class T>
  void refresh(const ptr<T>& object, const for_update_options& lock) {
    refresh_state(object.state(), lock.lock());
  }
  /// Reads the columns a load left out of the object (relate::defer,
  /// load_only, a mapping's deferred columns) with one SELECT by its key; the
  /// rest of the object, and any deferred member the program assigned since,
  /// are kept.  No statement when nothing is missing.
  template <class T>
  void load_deferred(const ptr<T>& object) {
    load_deferred_state(object.state());
  }
  /// Takes the object out of the session; it stays valid, detached.
  template <class T>
  void expunge(const ptr<T>& object) {
    expunge_state(object.state());
  }
  void expunge_all();
  template <class T>
  bool contains(const ptr<T>& object) const {
    return object && contains_state(object.state());
  }

  /// A query for mapped objects of T (relate/orm/query.hpp).
  template <class T>
  orm::query<T> query();
  /// A query for tuples of column values:
  /// session.query(relate::col(&User::id), relate::col(&User::name)).all()
  /// gives std::vector<std::tuple<std::int64_t, std::string>>.
  template <class... E>
  requires(sizeof...(E) > 0 &&
           (sql::expression<E> && ...)) tuple_query<typename E::value_type...> query(const E&... columns);

  /// SELECT expression (FROM the tables it names): its value in the first
  /// row, or nullopt when there is no row.  E.g. session.scalar(relate::sql::count()).
  template <sql::expression E>
  std::optional<typename E::value_type> scalar(const E& expression) {
    return scalar<typename E::value_type>(sql::select(expression));
  }
  /// The first column of the first row of a select, or nullopt when there is no row.
  template <class T>
  std::optional<T> scalar(const sql::select_query& select) {
    auto r = execute(select);
    if (!r.cursor().next()) return std::nullopt;
    return row(r.cursor()).get<T>(0);
  }
  /// Runs a statement of the expression tree in the session's transaction
  /// (autoflushing first).
  result execute(const sql::select_query& select) { return execute(*select.node()); }
  result execute(const sql::node& statement);

  /// Writes pending changes to the database (inside the transaction).
  void flush();
  /// flush() and commit the transaction.
  void commit();
  /// Rolls back the transaction and restores the session as described above.
  void rollback();
  /// Rolls back, detaches every object and returns the connection to the pool.
  void close();

  /// The session's connection (checked out on first use), in its transaction:
  /// for SQL the ORM does not write, in the same unit of work.
  connection& get_connection();
  const engine& get_engine() const;
  /// A token a later read can wait for (session_options::read_after): where
  /// the primary's log stood after this session's last commit, when its
  /// engine has replicas; until the session commits, its own read_after.
  relate::read_token read_token() const;

  /// Whether flush() has anything to do (new, deleted or changed objects).
  bool has_changes() const;

 private:
  friend struct detail::session_access;
  template <class T>
  static ptr<T> cast(std::shared_ptr<instance_state> s) {
    return ptr<T>(std::static_pointer_cast<instance<T>>(std::move(s)));
  }
  void add_state(std::shared_ptr<instance_state> state);
  std::shared_ptr<instance_state> get_state(const mapper& m, std::span<const value> key);
  void remove_state(instance_state& state);
  std::shared_ptr<instance_state> merge_state(const mapper& m, const void* object,
                                              const instance_state* state);
  void refresh_state(instance_state& state);
  void refresh_state(instance_state& state, const sql::row_lock& lock);
  void load_deferred_state(instance_state& state);
  void expunge_state(instance_state& state);
  bool contains_state(const instance_state& state) const;

  // Shared only so that queries and streams can hold it weakly and find out
  // that the session is gone (session_access::lock); the session owns it.
  std::shared_ptr<detail::session_impl> impl_;
};

/// Frees detached objects that hold each other through relationships (a
/// user and the posts whose author it is) once the program no longer reaches
/// any of them, and returns how many were let go.  relate does this by
/// itself as such objects accumulate and when a thread ends; call it to give
/// the memory back at a moment of your choosing.
RELATE_API std::size_t collect_detached();

namespace detail {

/// What relate's query templates need from a session, out of the public API.
struct RELATE_API session_access {
  /// What queries and streams hold: it does not keep the session alive, and
  /// lock() tells when it is gone.
  static std::weak_ptr<session_impl> handle(session& s) { return s.impl_; }
  /// The session, or a detached_instance_error if it was destroyed or moved from.
  static std::shared_ptr<session_impl> lock(const std::weak_ptr<session_impl>& s);
  static const engine& get_engine(session_impl& s);
  /// Autoflush (if enabled and needed), then runs the statement on the
  /// session's connection.
  static result execute(session_impl& s, const sql::node& statement, fetch_mode mode);
  /// The object for the row at the cursor's position, whose columns start at
  /// `first`: the identity map's object if there is one (reloaded if
  /// expired, or when `how` asks to populate existing objects), else a new
  /// persistent object.  how.detached: a fresh object that is not put in the
  /// session (for scans).
  static std::shared_ptr<instance_state> load(session_impl& s, const mapper& m, const native_cursor& cursor,
                                              std::size_t first, const row_load& how);
  /// Runs a SELECT of m's columns (autoflushing first) and loads its objects,
  /// each once in row order, with the relationships the loader options and
  /// the mapping's defaults ask for (relate/orm/loading.hpp), as `how` says.
  static std::vector<std::shared_ptr<instance_state>> load_objects(
      session_impl& s, const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
      const std::vector<std::vector<load_step>>& options, row_load how = {});
  /// After a bulk UPDATE/DELETE: expire (or, for deleted rows, detach) the
  /// mapped objects it touched.  keys: the primary keys RETURNING gave, or
  /// null when the database cannot return them (every object of m expires).
  /// Returns the number of keys read.
  static std::int64_t synchronize(session_impl& s, const mapper& m, result* returned_keys, bool deleted);
  static void autoflush(session_impl& s);
};

}  // namespace detail

}  // namespace relate::orm
