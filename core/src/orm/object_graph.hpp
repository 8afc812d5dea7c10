// Releasing the objects a session lets go of without leaking reference
// cycles.  The two sides of a relationship hold each other (user.posts holds
// the post, post.author holds the user), so objects the program no longer
// reaches would keep each other alive.
#pragma once

#include <relate/orm/instance.hpp>

#include <memory>
#include <vector>

namespace relate::orm::detail {

/// Takes the session's handles of `states`.  Of those objects and of every
/// object their relationships reach, the ones the program can no longer reach
/// (no handle outside this graph, and none of the objects it can reach holds
/// them) have their relationship members cleared, so they are destroyed when
/// the last handle goes.  The objects the program still reaches keep
/// everything they hold.
void release_cycles(std::vector<std::shared_ptr<instance_state>> states);

}  // namespace relate::orm::detail
