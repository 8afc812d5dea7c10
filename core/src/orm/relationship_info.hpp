// SPDX-License-Identifier: MIT
// A relationship as the session uses it: the declaration resolved against
// both mappers (kind, the columns that join them, the other side), and the
// type-erased access to its members inside objects.
#pragma once

#include <relate/orm/mapper.hpp>
#include <relate/orm/relationship.hpp>
#include <relate/orm/relationship_mapping.hpp>
#include <relate/sql/dialect.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace relate::orm::detail {

enum class relationship_kind : std::uint8_t {
  many_to_one,   // one<R>, the foreign key in the owner's table
  one_to_many,   // many<R>, the foreign key in the target's table
  one_to_one,    // one<R>, the foreign key in the target's table
  many_to_many,  // many<R> through a secondary table
};

class relationship_info {
 public:
  const relationship_entry* entry = nullptr;
  const mapper* owner = nullptr;
  const mapper* target = nullptr;
  relationship_kind kind = relationship_kind::many_to_one;
  std::size_t offset = 0;  // of the member in the owner
  // The join, by column index:
  //   many_to_one:  owner.local (the foreign key)  = target.remote (what it references)
  //   one_to_many,
  //   one_to_one:   target.remote (the foreign key) = owner.local (what it references)
  //   many_to_many: secondary.to_owner = owner.local, secondary.to_target = target.remote
  std::size_t local_column = 0;
  std::size_t remote_column = 0;
  const mapper* secondary = nullptr;
  std::size_t secondary_to_owner = 0;
  std::size_t secondary_to_target = 0;
  const relationship_info* back = nullptr;
  cascade::flags cascade;
  bool passive_deletes = false;
  bool post_update = false;
  loading strategy = loading::lazy;
  std::vector<std::pair<std::size_t, bool>> order_by;  // target column, descending
  std::string name;  // for messages: "User -> Post (posts.user_id = users.id)"

  bool collection() const noexcept { return entry->collection; }
  /// The owner's table holds the foreign key (many-to-one).
  bool owner_holds_key() const noexcept { return kind == relationship_kind::many_to_one; }
  /// The target's table holds the foreign key (one-to-many, one-to-one).
  bool target_holds_key() const noexcept {
    return kind == relationship_kind::one_to_many || kind == relationship_kind::one_to_one;
  }
  relationship_member* member(const instance_state& s) const {
    return entry->member(static_cast<char*>(s.object()) + offset);
  }
  collection_base* collection_of(const instance_state& s) const {
    return static_cast<collection_base*>(member(s));
  }
  reference_base* reference_of(const instance_state& s) const {
    return static_cast<reference_base*>(member(s));
  }
};

/// A mapper's relationships, resolved on first use.
struct relationship_table {
  std::vector<relationship_info> infos;
  bool built = false;
  bool resolving = false;
  std::atomic<bool> resolved{false};
};

/// Resolves m's relationships (and those of the models they reach) under the
/// process-wide resolution lock; throws usage_error on a mapping mistake.
void resolve_relationships(const mapper& m, relationship_table& table);

}  // namespace relate::orm::detail
