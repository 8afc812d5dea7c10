// SPDX-License-Identifier: MIT
// What a flush derives from relationships before it writes anything: the
// foreign-key values to copy from parents to children, the association rows
// to insert and delete, and the objects cascades delete.
#pragma once

#include "orm/relationship_info.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace relate::orm::detail {

/// child.column := parent.parent_column, or NULL when parent is null.  Applied
/// right before the child's row is written, when the parent has its key.
struct key_sync {
  state_ptr child;
  std::size_t column;
  state_ptr parent;  // null: clear the column
  std::size_t parent_column;
  bool post_update;  // written by a second UPDATE after every INSERT
};

/// A row of a many-to-many relationship's secondary table.
struct association_row {
  const relationship_info* rel;
  state_ptr owner;
  state_ptr target;
};

/// A child taken out of owner's relationship rel in memory: deleted, given a
/// new parent, or left with a NULL key (cascade.cpp decides).
struct orphan {
  state_ptr child;
  const relationship_info* rel;
};

struct flush_plan {
  std::vector<key_sync> syncs;
  std::vector<association_row> inserts;
  std::vector<association_row> deletes;
  /// Deleted owners whose association rows all go (DELETE ... WHERE to_owner = key).
  std::vector<std::pair<const relationship_info*, state_ptr>> owner_deletes;
  /// Objects a cascade or delete-orphan marked for deletion in this flush.
  std::vector<state_ptr> cascade_deleted;
  /// Pending objects orphaned before they were ever written: they leave the session.
  std::vector<state_ptr> expunged;
  /// Members whose changes this flush writes (marked flushed if it succeeds).
  std::vector<std::pair<relationship_member*, bool>> members;  // member, is a collection
};

/// Mappers grouped into strongly connected components of the foreign-key
/// graph, parents first; within a component, rows need ordering one by one.
struct flush_order {
  struct component {
    std::vector<const mapper*> mappers;
    bool cyclic = false;  // more than one mapper, or one that references itself
  };
  std::vector<component> components;
};
flush_order order_mappers(const std::vector<const mapper*>& involved);

}  // namespace relate::orm::detail
