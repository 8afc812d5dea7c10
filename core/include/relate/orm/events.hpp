// SPDX-License-Identifier: MIT
// ORM events: what sessions tell listeners about flushes, transactions and
// the objects they write and load (SQLAlchemy's SessionEvents and the
// persistence and load events of MapperEvents).
//
//   auto events = std::make_shared<relate::orm::session_events>();
//   events->listen<Post>(relate::orm::object_event::before_insert,
//                        [](relate::session&, Post& p) { p.created = clock::now(); });
//   events->listen(relate::orm::session_event::after_commit,
//                  [](relate::session&) { cache.invalidate(); });
//   relate::session s(engine, {.events = events});   // every session made with them
//
// One registry serves any number of sessions on any threads (pass the same
// shared_ptr in each session's options, as SQLAlchemy's sessionmaker does);
// listen() and remove() are safe while those sessions fire events.  Listeners
// run on the session's thread, in the order they were added.
//
// Session events:
//   before_flush    a flush with something to write is about to start; the
//                   listener may change, add or remove objects, and the flush
//                   includes what it did (a query it runs does not autoflush).
//                   Not fired for a flush with nothing to do.
//   after_flush     the flush wrote everything; the objects are persistent.
//   after_commit    the transaction committed.
//   after_rollback  session::rollback() rolled the transaction back (not close()).
// Object events, per mapped class T (listen<T>):
//   before_insert / after_insert, before_update / after_update,
//   before_delete / after_delete
//                   around the statements that write each object's row, inside
//                   the flush.  A before_ listener may change the object's columns
//                   (an updated_at stamp): the statement includes the change.
//                   An object whose columns did not change gets no update events;
//                   a row written twice in one flush (a post_update key) gets
//                   them for each UPDATE.
//                   These listeners must not add, remove or query: the flush is
//                   running (add and remove throw usage_error).
//   load            an object was made from a row (queries, get, lazy and eager
//                   loads); its relationships may not be loaded yet.  Not for
//                   untracked scan() objects.
//   refresh         an object in the session was read again: refresh(), or an
//                   expired object reloaded.
// An exception from a listener propagates: from a flush event it fails the
// flush, which rolls back as any failed flush does.
//
// A session without a registry pays nothing; with one, an event no listener
// listens to costs one atomic load.
#pragma once

#include <relate/export.hpp>

#include <relate/orm/mapper.hpp>

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace relate::orm {

class session;

enum class session_event : std::uint8_t { before_flush, after_flush, after_commit, after_rollback };

enum class object_event : std::uint8_t {
  before_insert,
  after_insert,
  before_update,
  after_update,
  before_delete,
  after_delete,
  load,
  refresh,
};

namespace detail {
struct event_table;
}

class RELATE_API session_events {
 public:
  session_events();
  ~session_events();
  session_events(const session_events&) = delete;
  session_events& operator=(const session_events&) = delete;

  /// Registers a session event listener; returns an id for remove().
  std::size_t listen(session_event event, std::function<void(session&)> listener);
  /// Registers an object event listener for the mapped class T:
  /// listen<User>(object_event::before_update, [](session&, User& u) { ... }).
  template <class T, class F>
  requires std::invocable<F&, session&, T&> std::size_t listen(object_event event, F listener) {
    return listen_object(mapper_of<T>(), event, [f = std::move(listener)](session& s, void* object) mutable {
      f(s, *static_cast<T*>(object));
    });
  }
  /// Removes a listener of either kind; an unknown id is ignored.
  void remove(std::size_t id);

  /// Whether any listener listens to the event (one atomic load).
  bool listens(session_event event) const noexcept {
    return (mask_.load(std::memory_order_acquire) & bit(event)) != 0;
  }
  bool listens(object_event event) const noexcept {
    return (mask_.load(std::memory_order_acquire) & bit(event)) != 0;
  }

  /// The listeners now (for the sessions that fire them).
  std::shared_ptr<const detail::event_table> snapshot() const;

 private:
  static constexpr std::uint32_t bit(session_event e) noexcept { return 1U << static_cast<unsigned>(e); }
  static constexpr std::uint32_t bit(object_event e) noexcept {
    return 1U << (8U + static_cast<unsigned>(e));
  }
  std::size_t listen_object(const mapper& m, object_event event,
                            std::function<void(session&, void*)> listener);
  void publish(std::shared_ptr<const detail::event_table> next);

  mutable std::mutex mutex_;
  std::shared_ptr<const detail::event_table> table_;  // copy-on-write
  std::atomic<std::uint32_t> mask_{0};
  std::size_t next_id_ = 1;
};

}  // namespace relate::orm
