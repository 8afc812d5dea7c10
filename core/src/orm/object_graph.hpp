// SPDX-License-Identifier: MIT
// Releasing the objects a session lets go of without leaking reference
// cycles.  The two sides of a relationship hold each other (user.posts holds
// the post, post.author holds the user), so objects the program no longer
// reaches would keep each other alive.
//
// When a session releases objects (close, expunge_all, rollback, commit of
// deletes), a trial-deletion pass over them and what their relationships hold
// clears the relationship members of the objects the program cannot reach.
// The objects it can still reach keep everything they hold, and are
// remembered (weakly, per thread): once the program drops its last handles
// they would be an unreachable cycle, so the remembered objects are passed
// over again whenever their number has doubled since the last pass (at
// least 1024), on relate::orm::collect_detached(), and when the thread ends
// -- a small cycle collector for detached objects.  It runs in the thread
// whose session released them: detached objects with loaded relationships
// should not be changed from another thread while that one runs sessions.
#pragma once

#include <relate/orm/instance.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace relate::orm::detail {

/// Takes the session's handles of `states` and runs the pass described above.
void release_cycles(std::vector<std::shared_ptr<instance_state>> states);

/// Passes over the remembered objects of this thread now; returns how many
/// had their relationships cleared.
std::size_t collect_released();

}  // namespace relate::orm::detail
