// SPDX-License-Identifier: MIT
// Loading relationships: the plan a query follows (options, then mapping
// defaults), joined eager loading inside the query's own SELECT, select-in
// loading with one SELECT ... WHERE key IN (...) per relationship and level,
// and the lazy load of one object's relationship (a select-in of one key).
#include "orm/loader.hpp"

#include "orm/column_access.hpp"
#include "orm/n_plus_one.hpp"
#include "orm/relationship_access.hpp"
#include "orm/session_impl.hpp"
#include "orm/sql_nodes.hpp"

#include <relate/sql/ast.hpp>

#include <algorithm>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace relate::orm::detail {

// ---- plans ------------------------------------------------------------------------

plan_node* plan_node::find(const relationship_info* r) {
  for (auto& c : children)
    if (c.rel == r) return &c;
  return nullptr;
}

namespace {

/// How the objects a relationship reaches load: without the columns their
/// mapping defers, overwriting as the query's own objects do.
row_load for_target(const mapper& target, row_load parent) {
  return {.deferred = target.deferred_columns(), .populate_existing = parent.populate_existing};
}

void add_defaults(plan_node& node, std::vector<const relationship_info*>& path) {
  const mapper& m = *node.model;
  if (m.has_relationships()) {
    for (const auto& r : m.relationships()) {
      if (r.strategy != loading::selectin && r.strategy != loading::joined) continue;
      if (node.find(&r) || std::find(path.begin(), path.end(), &r) != path.end()) continue;
      node.children.push_back({r.target, &r, r.strategy, for_target(*r.target, node.how), {}});
    }
  }
  for (auto& c : node.children) {
    path.push_back(c.rel);
    add_defaults(c, path);
    path.pop_back();
  }
}

}  // namespace

plan_node make_plan(const mapper& m, const std::vector<std::vector<load_step>>& options, row_load how) {
  plan_node root{&m, nullptr, loading::lazy, how, {}};
  for (const auto& steps : options) {
    plan_node* at = &root;
    for (const auto& step : steps) {
      const mapper& owner = step.owner();
      if (&owner != at->model)
        throw usage_error("relate: a loader option names a relationship of " + owner.type_name() +
                          " where the query loads " + at->model->type_name());
      const relationship_info* r = &owner.relationship_at_offset(step.offset);
      plan_node* child = at->find(r);
      if (child) {
        child->strategy = step.strategy;
      } else {
        at->children.push_back({r->target, r, step.strategy, for_target(*r->target, root.how), {}});
        child = &at->children.back();
      }
      at = child;
    }
  }
  std::vector<const relationship_info*> path;
  add_defaults(root, path);
  return root;
}

bool has_eager_defaults(const mapper& m) {
  if (!m.has_relationships()) return false;
  for (const auto& r : m.relationships())
    if (r.strategy == loading::selectin || r.strategy == loading::joined) return true;
  return false;
}

// ---- statements -------------------------------------------------------------------

namespace {

sql::table_ptr alias_of(const mapper& m, std::size_t n) {
  auto t = std::make_shared<sql::table_ref>();
  t->name = m.table_name();
  t->alias = sql::generated_name(m.table_name() + "_" + std::to_string(n), sql::portable_identifier_length);
  return t;
}

/// A joined relationship inside one SELECT.
struct joined_part {
  const plan_node* node;
  int parent;  // index of the part whose objects own it; -1: the queried objects
  sql::table_ptr table;
  std::size_t first_column = 0;
  std::vector<state_ptr> loaded;  // each object it loaded, once
  std::unordered_set<const instance_state*> seen;
};

void collect_joined(const plan_node& node, int parent, std::vector<joined_part>& parts) {
  for (const auto& c : node.children) {
    if (c.strategy != loading::joined) continue;
    parts.push_back({&c, parent, nullptr, 0, {}, {}});
    collect_joined(c, static_cast<int>(parts.size()) - 1, parts);
  }
}

/// Gives owner's relationship its loaded objects.  The many-to-one side of a
/// loaded one-to-many is known too (every object loaded points at the owner),
/// so it is set without a SELECT of its own.
void deliver(const relationship_info& rel, const state_ptr& owner, std::vector<state_ptr> objects) {
  if (rel.collection()) {
    if (rel.back && !rel.back->collection() && rel.kind == relationship_kind::one_to_many)
      for (const auto& o : objects) relationship_access::set_loaded(*rel.back->reference_of(*o), owner);
    relationship_access::set_loaded(*rel.collection_of(*owner), std::move(objects));
  } else {
    relationship_access::set_loaded(*rel.reference_of(*owner), objects.empty() ? nullptr : objects.front());
  }
}

/// What one owner's relationship receives from the rows of one SELECT.
struct collector {
  state_ptr owner;
  bool active = false;  // the relationship was not loaded when the rows came
  std::vector<state_ptr> items;
  std::unordered_set<const instance_state*> seen;
};

struct owner_part_hash {
  std::size_t operator()(const std::pair<const instance_state*, std::size_t>& k) const noexcept {
    return std::hash<const void*>{}(k.first) * 31 + k.second;
  }
};

/// Turns the statement into one that also selects the joined relationships.
/// A LIMIT/OFFSET with a joined collection moves into a subquery, so it counts
/// objects rather than the rows their collections repeat; the subquery carries
/// the ORDER BY terms as columns for the outer query to order by again.
std::shared_ptr<sql::select_stmt> with_joins(const mapper& m, const std::shared_ptr<sql::select_stmt>& stmt,
                                             std::size_t leading, std::uint64_t deferred,
                                             std::vector<joined_part>& parts) {
  sql::table_ptr root_table = m.table();
  std::shared_ptr<sql::select_stmt> outer;
  const bool collection =
      std::any_of(parts.begin(), parts.end(), [](const joined_part& p) { return p.node->rel->collection(); });
  if ((stmt->limit || stmt->offset) && collection && leading == 0) {
    auto inner = std::make_shared<sql::select_stmt>(*stmt);
    auto anon = std::make_shared<sql::table_ref>();
    anon->name = "anon_1";
    outer = std::make_shared<sql::select_stmt>();
    for (std::size_t i = 0; i < m.columns().size(); ++i)
      if (!(deferred & column_bit(i))) outer->columns.push_back(column_on(anon, m.columns()[i]));
    for (std::size_t i = 0; i < inner->order_by.size(); ++i) {
      const auto label = "anon_order_" + std::to_string(i + 1);
      auto l = std::make_shared<sql::labeled>();
      l->expr = inner->order_by[i].expr;
      l->label = label;
      inner->columns.push_back(l);
      auto ref = std::make_shared<sql::column_ref>();
      ref->table = anon;
      ref->name = label;
      outer->order_by.push_back({ref, inner->order_by[i].descending, inner->order_by[i].nulls});
    }
    auto derived = std::make_shared<sql::derived_table>();
    derived->query = inner;
    derived->alias = "anon_1";
    outer->from = {derived};
    root_table = anon;
  } else {
    outer = std::make_shared<sql::select_stmt>(*stmt);
  }
  std::size_t aliases = 0;
  for (auto& part : parts) {
    const relationship_info& rel = *part.node->rel;
    const mapper& target = *rel.target;
    const sql::table_ptr& parent =
        part.parent < 0 ? root_table : parts[static_cast<std::size_t>(part.parent)].table;
    part.table = alias_of(target, ++aliases);
    auto parent_key = column_on(parent, rel.owner->columns()[rel.local_column]);
    if (rel.kind == relationship_kind::many_to_many) {
      const mapper& sec = *rel.secondary;
      auto link = alias_of(sec, ++aliases);
      outer->joins.push_back(
          {sql::join_kind::left_outer, link,
           sql::equal(column_on(link, sec.columns()[rel.secondary_to_owner]), parent_key)});
      outer->joins.push_back({sql::join_kind::left_outer, part.table,
                              sql::equal(column_on(part.table, target.columns()[rel.remote_column]),
                                         column_on(link, sec.columns()[rel.secondary_to_target]))});
    } else {
      outer->joins.push_back(
          {sql::join_kind::left_outer, part.table,
           sql::equal(column_on(part.table, target.columns()[rel.remote_column]), parent_key)});
    }
    part.first_column = outer->columns.size();
    const auto part_deferred = part.node->how.deferred;
    for (std::size_t i = 0; i < target.columns().size(); ++i)
      if (!(part_deferred & column_bit(i)))
        outer->columns.push_back(column_on(part.table, target.columns()[i]));
    if (rel.collection())
      for (const auto& [col, desc] : rel.order_by)
        outer->order_by.push_back(
            {column_on(part.table, target.columns()[col]), desc, sql::nulls_order::unspecified});
  }
  return outer;
}

}  // namespace

// ---- running a load ---------------------------------------------------------------

std::vector<state_ptr> session_impl::load_objects(const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
                                                  const plan_node& plan) {
  autoflush();
  if (!plan.how.populate_existing) return execute_load(m, std::move(stmt), plan, 0, {});
  // Each object is overwritten once, by the first row that names it: a
  // later statement of the same load (a select-in of a self-referential
  // relationship) must not unload what an earlier one delivered to it.
  std::unordered_set<const instance_state*> overwritten;
  struct scope {
    std::unordered_set<const instance_state*>*& slot;
    std::unordered_set<const instance_state*>* before;
    ~scope() { slot = before; }
  } guard{overwritten_, std::exchange(overwritten_, &overwritten)};
  return execute_load(m, std::move(stmt), plan, 0, {});
}

std::vector<state_ptr> session_impl::execute_load(const mapper& m, std::shared_ptr<sql::select_stmt> stmt,
                                                  const plan_node& node, std::size_t leading,
                                                  row_callback on_row) {
  std::vector<joined_part> parts;
  collect_joined(node, -1, parts);
  // A row of m repeats only when the statement joins something.
  const bool may_repeat = !parts.empty() || !stmt->joins.empty();
  if (!parts.empty()) stmt = with_joins(m, stmt, leading, node.how.deferred, parts);

  std::vector<state_ptr> objects;
  std::unordered_set<const instance_state*> seen;
  std::unordered_map<std::pair<const instance_state*, std::size_t>, collector, owner_part_hash> collectors;
  {
    // Nothing else runs on the connection while the rows are read.
    auto r = conn().execute(*stmt, load_mode());
    auto& cursor = r.cursor();
    std::vector<state_ptr> row_objects(parts.size());
    while (cursor.next()) {
      state_ptr obj = load(m, cursor, leading, true, node.how);
      if (!may_repeat || seen.insert(obj.get()).second) objects.push_back(obj);
      if (on_row) on_row(obj, cursor);
      for (std::size_t i = 0; i < parts.size(); ++i) {
        auto& part = parts[i];
        const relationship_info& rel = *part.node->rel;
        const mapper& target = *rel.target;
        const state_ptr& owner = part.parent < 0 ? obj : row_objects[static_cast<std::size_t>(part.parent)];
        state_ptr child;
        if (!cursor.is_null(part.first_column +
                            row_position(part.node->how.deferred, target.primary_key()[0])))
          child = load(target, cursor, part.first_column, true, part.node->how);
        if (child && part.seen.insert(child.get()).second) part.loaded.push_back(child);
        row_objects[i] = child;
        if (!owner) continue;
        auto [it, fresh] = collectors.try_emplace({owner.get(), i});
        auto& c = it->second;
        if (fresh) {
          c.owner = owner;
          c.active = !relationship_access::loaded(*rel.member(*owner));
        }
        if (c.active && child && c.seen.insert(child.get()).second) c.items.push_back(std::move(child));
      }
    }
  }
  for (auto& [key, c] : collectors) {
    if (!c.active) continue;
    deliver(*parts[key.second].node->rel, c.owner, std::move(c.items));
  }
  if (options_.n_plus_one.threshold) {
    std::shared_ptr<load_record> record;
    remember_load(stmt, objects, record);
    for (const auto& part : parts) remember_load(stmt, part.loaded, record);
  }
  populate(node, objects, true);
  for (const auto& part : parts) populate(*part.node, part.loaded, true);
  return objects;
}

void session_impl::populate(const plan_node& node, const std::vector<state_ptr>& objects, bool joined_done) {
  if (objects.empty()) return;
  for (const auto& child : node.children) {
    switch (child.strategy) {
      case loading::joined:
        // Not part of the SELECT that loaded these objects (get(), a lazy
        // load): loaded the select-in way instead.
        if (joined_done) break;
        [[fallthrough]];
      case loading::selectin:
        selectin_load(child, objects);
        break;
      case loading::lazy:
      case loading::raise:
        for (const auto& o : objects) {
          auto* member = child.rel->member(*o);
          if (!relationship_access::loaded(*member))
            relationship_access::set_raise(*member, child.strategy == loading::raise);
        }
        break;
    }
  }
}

namespace {

/// SELECT the target's columns (led by the owner's key in the association
/// table, for a many-to-many) WHERE the key column IN (keys), in the
/// relationship's order.
std::shared_ptr<sql::select_stmt> select_in_statement(const relationship_info& rel,
                                                      const column_entry& key_of_row,
                                                      std::span<const value> keys, std::uint64_t deferred) {
  const mapper& target = *rel.target;
  auto stmt = std::make_shared<sql::select_stmt>();
  auto in = std::make_shared<sql::in_list>();
  if (rel.kind == relationship_kind::many_to_many) {
    const mapper& sec = *rel.secondary;
    stmt->columns.push_back(sec.column_nodes()[rel.secondary_to_owner]);
    stmt->joins.push_back(
        {sql::join_kind::inner, sec.table(),
         sql::equal(sec.column_nodes()[rel.secondary_to_target], target.column_nodes()[rel.remote_column])});
    in->subject = sec.column_nodes()[rel.secondary_to_owner];
  } else {
    in->subject = target.column_nodes()[rel.remote_column];
  }
  if (deferred) {
    auto loaded = target.column_nodes_except(deferred);
    stmt->columns.insert(stmt->columns.end(), loaded.begin(), loaded.end());
  } else {
    stmt->columns.insert(stmt->columns.end(), target.column_nodes().begin(), target.column_nodes().end());
  }
  stmt->from = {target.table()};
  for (const auto& k : keys) in->items.push_back(sql::bind_for(k, key_of_row.def));
  stmt->where = in;
  for (const auto& [col, desc] : rel.order_by)
    stmt->order_by.push_back({target.column_nodes()[col], desc, sql::nulls_order::unspecified});
  return stmt;
}

}  // namespace

// Longer than most (about 85 lines): its three stages (owners grouped by key,
// targets already in the session, the chunked SELECTs) share the two maps
// that deliver the results; split apart they would only pass them around.
void session_impl::selectin_load(const plan_node& node, const std::vector<state_ptr>& owners) {
  const relationship_info& rel = *node.rel;
  const mapper& owner_model = *rel.owner;
  const mapper& target = *rel.target;
  const auto& key_column = owner_model.columns()[rel.local_column];

  // Owners whose relationship is loaded already pass their objects on to the
  // next level; the others are grouped by their key value.
  std::vector<state_ptr> existing;
  std::unordered_set<const instance_state*> existing_seen;
  auto pass_on = [&](const state_ptr& s) {
    if (s && existing_seen.insert(s.get()).second) existing.push_back(s);
  };
  std::unordered_map<value, std::vector<state_ptr>, value_hash> owners_by_key;
  std::vector<value> keys;
  for (const auto& o : owners) {
    auto* member = rel.member(*o);
    if (relationship_access::loaded(*member)) {
      if (rel.collection())
        for (const auto& x : relationship_access::items(*static_cast<collection_base*>(member))) pass_on(x);
      else
        pass_on(relationship_access::target(*static_cast<reference_base*>(member)));
      continue;
    }
    value k = key_column.ops->read(member_of(*o, key_column));
    if (k.is_null()) {
      // No key, nothing related (a NULL foreign key, or an owner never flushed).
      if (rel.collection())
        relationship_access::set_loaded(*static_cast<collection_base*>(member), {});
      else
        relationship_access::set_loaded(*static_cast<reference_base*>(member), nullptr);
      continue;
    }
    auto [it, fresh] = owners_by_key.try_emplace(k);
    if (fresh) keys.push_back(std::move(k));
    it->second.push_back(o);
  }

  struct group {
    std::vector<state_ptr> objects;
    std::unordered_set<const instance_state*> seen;
  };
  std::unordered_map<value, group, value_hash> found;
  // Many-to-one on the target's primary key: objects already in the session need no SELECT.
  if (rel.owner_holds_key() && target.single_integer_key() && rel.remote_column == target.primary_key()[0]) {
    std::erase_if(keys, [&](const value& k) {
      const auto* p = k.get_if<std::int64_t>();
      const state_ptr* s = p ? map_.find(target, *p) : nullptr;
      if (!s || (*s)->marked_for_delete_) return false;
      found[k].objects.push_back(*s);
      pass_on(*s);
      return true;
    });
  }

  if (!keys.empty()) {
    const bool through = rel.kind == relationship_kind::many_to_many;
    const std::size_t leading = through ? 1 : 0;
    const column_entry& key_of_row =
        through ? rel.secondary->columns()[rel.secondary_to_owner] : target.columns()[rel.remote_column];
    const std::size_t key_index = through ? 0 : row_position(node.how.deferred, rel.remote_column);
    // An object repeats within one key's rows only under a joined collection below.
    const bool may_repeat = std::any_of(node.children.begin(), node.children.end(), [](const plan_node& c) {
      return c.strategy == loading::joined && c.rel->collection();
    });
    auto group_row = [&](const state_ptr& obj, const native_cursor& cursor) {
      auto& g = found[key_of_row.ops->cell(cursor, key_index)];
      if (!may_repeat || g.seen.insert(obj.get()).second) g.objects.push_back(obj);
    };
    const auto on_row = row_callback::of(group_row);
    const std::size_t limit = std::max<std::size_t>(1, engine_.dialect().capabilities().max_parameters);
    const std::size_t chunk = options_.select_in_chunk ? std::min(options_.select_in_chunk, limit) : limit;
    for (std::size_t first = 0; first < keys.size(); first += chunk) {
      const std::size_t n = std::min(chunk, keys.size() - first);
      auto stmt = select_in_statement(rel, key_of_row, std::span<const value>(keys).subspan(first, n),
                                      node.how.deferred);
      // The objects this loads get the levels below from execute_load itself.
      execute_load(target, std::move(stmt), node, leading, on_row);
    }
  }

  for (auto& [k, group_owners] : owners_by_key) {
    auto it = found.find(k);
    for (const auto& o : group_owners)
      deliver(rel, o, it == found.end() ? std::vector<state_ptr>{} : it->second.objects);
  }
  populate(node, existing, false);
}

void session_impl::load_relationship(instance_state& owner, const relationship_info& rel) {
  if (relationship_access::loaded(*rel.member(owner))) return;
  autoflush();
  if (relationship_access::loaded(*rel.member(owner))) return;
  // The record may come from another session's load (the object was
  // detached and added here): this session's option decides.
  if (owner.loaded_by_ && options_.n_plus_one.threshold && lazy_load_runs_select(owner, rel))
    count_lazy_load(owner, rel);
  plan_node node{rel.target, &rel, loading::lazy, for_target(*rel.target, {}), {}};
  node.children = make_plan(*rel.target, {}).children;
  selectin_load(node, {owner.shared_from_this()});
}

}  // namespace relate::orm::detail
