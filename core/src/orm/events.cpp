// SPDX-License-Identifier: MIT
// The session_events registry: listeners added and removed under a mutex,
// published as an immutable table (relate/orm/events.hpp).
#include "orm/event_table.hpp"

#include <relate/error.hpp>

#include <algorithm>

namespace relate::orm {

session_events::session_events() : table_(std::make_shared<detail::event_table>()) {}
session_events::~session_events() = default;

std::size_t session_events::listen(session_event event, std::function<void(session&)> listener) {
  if (!listener) throw usage_error("relate::orm::session_events::listen: the listener is empty");
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<detail::event_table>(*table_);
  const auto id = next_id_++;
  next->session_listeners.push_back({id, event, std::move(listener)});
  publish(std::move(next));
  return id;
}

std::size_t session_events::listen_object(const mapper& m, object_event event,
                                          std::function<void(session&, void*)> listener) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<detail::event_table>(*table_);
  const auto id = next_id_++;
  next->object_listeners.push_back({id, &m, event, std::move(listener)});
  publish(std::move(next));
  return id;
}

void session_events::remove(std::size_t id) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<detail::event_table>(*table_);
  std::erase_if(next->session_listeners, [id](const auto& l) { return l.id == id; });
  std::erase_if(next->object_listeners, [id](const auto& l) { return l.id == id; });
  publish(std::move(next));
}

void session_events::publish(std::shared_ptr<const detail::event_table> next) {
  std::uint32_t mask = 0;
  for (const auto& l : next->session_listeners) mask |= bit(l.event);
  for (const auto& l : next->object_listeners) mask |= bit(l.event);
  table_ = std::move(next);
  mask_.store(mask, std::memory_order_release);
}

std::shared_ptr<const detail::event_table> session_events::snapshot() const {
  std::lock_guard lock(mutex_);
  return table_;
}

}  // namespace relate::orm
