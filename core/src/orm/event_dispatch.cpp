// SPDX-License-Identifier: MIT
// How a session fires the events of its registry (relate/orm/events.hpp):
// from a snapshot of the listeners, so listen() and remove() on other
// threads never change a list being walked.
#include "orm/event_table.hpp"
#include "orm/session_impl.hpp"

#include <relate/error.hpp>

#include <string>

namespace relate::orm::detail {

void session_impl::fire(session_event e) {
  if (!listens(e)) return;
  const auto table = options_.events->snapshot();
  for (const auto& l : table->session_listeners)
    if (l.event == e) l.call(*owner);
}

void session_impl::fire_listeners(object_event e, instance_state& s) {
  const auto table = options_.events->snapshot();
  for (const auto& l : table->object_listeners)
    if (l.event == e && l.target == &s.get_mapper()) l.call(*owner, s.object());
}

void session_impl::refuse_during_flush(const char* what) const {
  if (writing_)
    throw usage_error(std::string("relate::session::") + what +
                      ": called during a flush (from an object event listener); change the session "
                      "in a before_flush listener instead");
}

}  // namespace relate::orm::detail
