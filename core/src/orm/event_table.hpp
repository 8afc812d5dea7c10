// SPDX-License-Identifier: MIT
// The listeners of a session_events registry at one moment (copy-on-write:
// a session firing an event holds a snapshot while listen() makes the next).
#pragma once

#include <relate/orm/events.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace relate::orm::detail {

struct event_table {
  struct session_listener {
    std::size_t id;
    session_event event;
    std::function<void(session&)> call;
  };
  struct object_listener {
    std::size_t id;
    const mapper* target;
    object_event event;
    std::function<void(session&, void*)> call;
  };
  std::vector<session_listener> session_listeners;
  std::vector<object_listener> object_listeners;
};

}  // namespace relate::orm::detail
