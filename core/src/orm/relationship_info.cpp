// SPDX-License-Identifier: MIT
// Resolving declared relationships: which foreign key each follows, its
// kind, and its other side.  Runs once per mapper, on first use, after every
// model involved has its mapper (models refer to each other in any order).
#include "orm/relationship_info.hpp"

#include <algorithm>
#include <mutex>

namespace relate::orm::detail {

namespace {

// One lock for every resolution: resolving a model resolves the models its
// relationships reach, which may lead back to it.
std::recursive_mutex& resolution_mutex() {
  static std::recursive_mutex m;
  return m;
}

/// A column of `m` with a foreign key, and what it references.
struct key_column {
  std::size_t column;
  const mapper* referenced;
  std::size_t referenced_column;
};

std::vector<key_column> foreign_key_columns(const mapper& m) {
  std::vector<key_column> out;
  const auto& cols = m.columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!cols[i].foreign_key) continue;
    const auto& t = cols[i].foreign_key->target;
    const mapper* target = t.target_mapper ? &t.target_mapper() : mapper::find_by_table(t.table);
    if (!target) continue;
    const auto ref =
        t.target_mapper ? target->find_column_at_offset(t.target_offset) : target->find_column(t.column);
    if (ref == mapper::npos) continue;
    out.push_back({i, target, ref});
  }
  return out;
}

/// The keys of `from` to `to`'s table.  A key declared against another
/// mapping of that table (foreign_key(&User::id), followed from a second
/// class on "users") reaches `to` by the referenced column's name.
std::vector<key_column> keys_to(const mapper& from, const mapper& to) {
  std::vector<key_column> out;
  for (auto k : foreign_key_columns(from)) {
    if (k.referenced != &to) {
      if (k.referenced->table_name() != to.table_name()) continue;
      const auto c = to.find_column(k.referenced->columns()[k.referenced_column].def.name);
      if (c == mapper::npos) continue;
      k.referenced = &to;
      k.referenced_column = c;
    }
    out.push_back(k);
  }
  return out;
}

std::string column_names(const mapper& m, const std::vector<key_column>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : ", ") + m.table_name() + "." + m.columns()[k.column].def.name;
  return out;
}

std::string qualified(const mapper& m, std::size_t column) {
  return m.table_name() + "." + m.columns()[column].def.name;
}

[[noreturn]] void fail(const mapper& owner, const mapper& target, const std::string& what) {
  throw usage_error("relate: mapping of " + owner.type_name() + ": the relationship to " +
                    target.type_name() + " " + what);
}

key_column the_one(const std::vector<key_column>& keys, const mapper& holder, const mapper& owner,
                   const mapper& target, const std::string& direction) {
  if (keys.empty())
    fail(owner, target,
         "needs a foreign key " + direction + " (column(..., foreign_key(...)) in " + holder.type_name() +
             ")");
  if (keys.size() > 1)
    fail(owner, target,
         "could follow several foreign keys (" + column_names(holder, keys) +
             "); name one with foreign_keys(&" + holder.type_name() + "::member)");
  return keys.front();
}

/// The foreign-key column named by foreign_keys(...), among the candidates.
key_column named_key(const relationship_entry& e, const mapper& holder,
                     const std::vector<key_column>& candidates, const mapper& owner, const mapper& target) {
  if (e.foreign_keys.size() != 1)
    fail(owner, target,
         "names " + std::to_string(e.foreign_keys.size()) +
             " foreign-key columns; relationships follow a single-column foreign key");
  const auto col = holder.column_at_offset(e.foreign_keys[0].offset);
  for (const auto& k : candidates)
    if (k.column == col) return k;
  fail(owner, target,
       "names " + qualified(holder, col) + " in foreign_keys, which has no foreign key to the other model");
}

/// A many-to-many: the two keys of the association table.
void build_many_to_many(const mapper& owner, const mapper& target, const relationship_entry& e,
                        relationship_info& info) {
  if (!e.collection)
    fail(owner, target, "has secondary<...>() but is a one<>; use relate::many<> for many-to-many");
  const mapper& sec = e.secondary();
  info.kind = relationship_kind::many_to_many;
  info.secondary = &sec;
  if (!e.secondary_columns.empty()) {
    info.secondary_to_owner = sec.column_at_offset(e.secondary_columns[0].offset);
    info.secondary_to_target = sec.column_at_offset(e.secondary_columns[1].offset);
    auto find_ref = [&](std::size_t col, const mapper& expected) {
      for (const auto& k : keys_to(sec, expected))
        if (k.column == col) return k.referenced_column;
      fail(owner, target,
           "names " + qualified(sec, col) + " in secondary(...), which has no foreign key to " +
               expected.type_name());
    };
    info.local_column = find_ref(info.secondary_to_owner, owner);
    info.remote_column = find_ref(info.secondary_to_target, target);
  } else {
    if (&owner == &target)
      fail(owner, target,
           "is self-referential through " + sec.type_name() + "; name its two columns with secondary(&" +
               sec.type_name() + "::toward_owner, &" + sec.type_name() + "::toward_target)");
    const auto to_owner = the_one(keys_to(sec, owner), sec, owner, target,
                                  "from " + sec.table_name() + " to " + owner.table_name());
    const auto to_target = the_one(keys_to(sec, target), sec, owner, target,
                                   "from " + sec.table_name() + " to " + target.table_name());
    info.secondary_to_owner = to_owner.column;
    info.local_column = to_owner.referenced_column;
    info.secondary_to_target = to_target.column;
    info.remote_column = to_target.referenced_column;
  }
  info.name = owner.type_name() + " -> " + target.type_name() + " (through " + sec.table_name() + ")";
}

/// One-to-many, many-to-one or one-to-one: which side holds the key, and which key.
void build_by_foreign_key(const mapper& owner, const mapper& target, const relationship_entry& e,
                          relationship_info& info) {
  const auto local = keys_to(owner, target);   // owner.fk -> target
  const auto remote = keys_to(target, owner);  // target.fk -> owner
  const bool self = &owner == &target;
  bool owner_side = false;  // the key is in the owner's table (many-to-one)
  key_column key{};
  if (!e.foreign_keys.empty()) {
    const mapper& holder = e.foreign_keys[0].owner();
    if (&holder != &owner && &holder != &target)
      fail(owner, target, "names a column of " + holder.type_name() + " in foreign_keys");
    owner_side = self ? !e.collection : &holder == &owner;
    key = named_key(e, holder, owner_side ? local : remote, owner, target);
  } else if (self || e.collection) {
    owner_side = !e.collection;
    key = the_one(owner_side ? local : remote, owner_side ? owner : target, owner, target,
                  "from " + (owner_side ? owner : target).table_name() + " to " +
                      (owner_side ? target : owner).table_name());
  } else if (!local.empty() && !remote.empty()) {
    fail(owner, target,
         "could follow " + column_names(owner, local) + " or " + column_names(target, remote) +
             "; name one with foreign_keys(...)");
  } else {
    owner_side = !local.empty();
    key = the_one(owner_side ? local : remote, owner_side ? owner : target, owner, target,
                  "between " + owner.table_name() + " and " + target.table_name());
  }
  if (e.collection && owner_side)
    fail(owner, target,
         "is a many<> but its foreign key is in " + owner.table_name() + "; use relate::one<>");
  if (owner_side) {
    info.kind = relationship_kind::many_to_one;
    info.local_column = key.column;
    info.remote_column = key.referenced_column;
    info.name = owner.type_name() + " -> " + target.type_name() + " (" + qualified(owner, key.column) +
                " = " + qualified(target, key.referenced_column) + ")";
  } else {
    info.kind = e.collection ? relationship_kind::one_to_many : relationship_kind::one_to_one;
    info.remote_column = key.column;
    info.local_column = key.referenced_column;
    info.name = owner.type_name() + " -> " + target.type_name() + " (" + qualified(target, key.column) +
                " = " + qualified(owner, key.referenced_column) + ")";
  }
}

void build_one(const mapper& owner, const relationship_entry& e, relationship_info& info) {
  const mapper& target = e.target();
  info.entry = &e;
  info.owner = &owner;
  info.target = &target;
  info.offset = e.offset;
  info.cascade = e.cascade;
  info.passive_deletes = e.passive_deletes;
  info.post_update = e.post_update;
  info.strategy = e.strategy;

  if (e.secondary)
    build_many_to_many(owner, target, e, info);
  else
    build_by_foreign_key(owner, target, e, info);

  if (info.post_update && !info.owner_holds_key() && info.kind != relationship_kind::one_to_many &&
      info.kind != relationship_kind::one_to_one)
    fail(owner, target, "is many-to-many; post_update applies to a foreign key");
  if (info.post_update) {
    const mapper& holder = info.owner_holds_key() ? owner : target;
    const auto col = info.owner_holds_key() ? info.local_column : info.remote_column;
    if (!holder.columns()[col].def.nullable)
      fail(owner, target, "has post_update, which needs " + qualified(holder, col) + " to be nullable");
  }
  // Loads read the columns a relationship joins on from the objects (foreign
  // keys are refused by the mapper already; this catches a referenced column
  // that is not the key).
  for (const auto& [m, col] : {std::pair{&owner, info.local_column}, std::pair{&target, info.remote_column}})
    if (m->deferred_columns() & (std::uint64_t{1} << col))
      fail(owner, target, "joins on " + qualified(*m, col) + ", which is deferred; it must be loaded");
  if (e.collection) {
    // Without order_by, no ORDER BY (as in SQLAlchemy): the database's order, and no sort to pay for.
    for (const auto& [off, desc] : e.order_by) info.order_by.emplace_back(target.column_at_offset(off), desc);
  }
}

void build(const mapper& m, relationship_table& table) {
  if (table.built) return;
  const auto& entries = m.relationship_entries();
  table.infos = std::vector<relationship_info>(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) build_one(m, entries[i], table.infos[i]);
  table.built = true;
}

relationship_table& table_of(const mapper& m) { return m.relationship_storage(); }

}  // namespace

void resolve_relationships(const mapper& m, relationship_table& table) {
  std::lock_guard lock(resolution_mutex());
  if (table.resolved.load(std::memory_order_relaxed) || table.resolving) return;
  table.resolving = true;
  try {
    build(m, table);
    for (auto& info : table.infos) {
      const auto& back = info.entry->back_populates;
      if (!back) continue;
      const mapper& target = *info.target;
      auto& target_table = table_of(target);
      build(target, target_table);
      const relationship_info* other = nullptr;
      for (const auto& candidate : target_table.infos)
        if (candidate.offset == back->offset) other = &candidate;
      if (!other)
        fail(m, target,
             "has back_populates naming a member of " + target.type_name() +
                 " that is not declared as a relationship");
      const bool mirrors = other->target == &m && other->entry->back_populates &&
                           other->entry->back_populates->offset == info.offset;
      if (!mirrors)
        fail(m, target,
             "has back_populates, but the relationship it names does not name this one back "
             "(declare back_populates on both sides)");
      const bool same_key =
          info.kind == relationship_kind::many_to_many
              ? other->kind == relationship_kind::many_to_many && other->secondary == info.secondary &&
                    other->secondary_to_owner == info.secondary_to_target
              : (info.owner_holds_key()
                     ? other->target_holds_key() && other->remote_column == info.local_column
                     : other->owner_holds_key() && other->local_column == info.remote_column);
      if (!same_key)
        fail(m, target,
             "has back_populates naming a relationship that follows another foreign key (" + other->name +
                 " vs " + info.name + ")");
      info.back = other;
    }
    // The models this one reaches are resolved before anything uses it.
    for (auto& info : table.infos) {
      auto& t = table_of(*info.target);
      if (&t != &table) resolve_relationships(*info.target, t);
    }
  } catch (...) {
    table.resolving = false;
    throw;
  }
  table.resolving = false;
  table.resolved.store(true, std::memory_order_release);
}

}  // namespace relate::orm::detail
