// SPDX-License-Identifier: MIT
#include <relate/migrations/autogenerate.hpp>

#include <relate/error.hpp>
#include <relate/migrations/script.hpp>

#include "migrations/default_text.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>

namespace relate::migrations {
namespace {

// A column as a script writes it: a default the database reports as a plain
// literal becomes a value again, so the script stays the same on every database.
sql::column_def portable(sql::column_def c) {
  if (c.server_default) {
    c.server_default_sql.reset();
  } else if (c.server_default_sql) {
    if (auto v = detail::default_literal(*c.server_default_sql)) {
      // SQLite keeps booleans as 0 and 1.
      if (const auto* i = v->get_if<std::int64_t>(); i && c.type.kind == sql::type_kind::boolean)
        *v = relate::value(*i != 0);
      c.server_default = std::move(*v);
      c.server_default_sql.reset();
    }
  }
  c.unique = false;
  return c;
}

sql::table_def portable(sql::table_def t) {
  for (auto& c : t.columns) c = portable(std::move(c));
  return t;
}

op::column_default default_of(const sql::column_def& c) {
  const auto p = portable(c);
  return {p.server_default, p.server_default_sql};
}

}  // namespace

generated_operations autogenerate(const std::vector<difference>& differences) {
  generated_operations g;
  std::vector<operation> undo;  // in upgrade order; reversed into the downgrade
  bool dropped_table = false, dropped_column = false, added = false;
  auto both = [&](operation up, operation down) {
    g.upgrade.push_back(std::move(up));
    undo.push_back(std::move(down));
  };
  for (const auto& d : differences) {
    switch (d.kind) {
      case difference_kind::missing_table:
        both(op::create_table{portable(*d.table_def)}, op::drop_table{d.table});
        added = true;
        break;
      case difference_kind::extra_table:
        both(op::drop_table{d.table}, op::create_table{portable(*d.table_def)});
        dropped_table = true;
        break;
      case difference_kind::missing_column:
        both(op::add_column{d.table, portable(*d.model_column)}, op::drop_column{d.table, d.name});
        added = true;
        break;
      case difference_kind::extra_column:
        both(op::drop_column{d.table, d.name}, op::add_column{d.table, portable(*d.database_column)});
        dropped_column = true;
        break;
      case difference_kind::type_changed: {
        op::alter_column up{.table = d.table, .column = d.name}, down{.table = d.table, .column = d.name};
        up.type = d.model_column->type;
        down.type = d.database_column->type;
        both(up, down);
        break;
      }
      case difference_kind::nullability_changed: {
        op::alter_column up{.table = d.table, .column = d.name}, down{.table = d.table, .column = d.name};
        up.nullable = d.model_column->nullable;
        down.nullable = d.database_column->nullable;
        both(up, down);
        if (!d.model_column->nullable)
          g.notes.push_back(
              d.table + "." + d.name +
              " becomes NOT NULL: rows holding NULL there make the upgrade fail (fill them first "
              "with an `sql` step)");
        break;
      }
      case difference_kind::default_changed: {
        op::alter_column up{.table = d.table, .column = d.name}, down{.table = d.table, .column = d.name};
        up.server_default = default_of(*d.model_column);
        down.server_default = default_of(*d.database_column);
        both(up, down);
        break;
      }
      case difference_kind::primary_key_changed:
        g.notes.push_back("not generated: " + d.describe() + " (write this change by hand)");
        break;
      case difference_kind::missing_index:
        both(op::create_index{d.table, *d.index}, op::drop_index{d.table, d.index->name});
        break;
      case difference_kind::extra_index:
        both(op::drop_index{d.table, d.index->name}, op::create_index{d.table, *d.index});
        break;
      case difference_kind::missing_unique:
        both(op::add_unique{d.table, *d.unique}, op::drop_unique{d.table, *d.unique});
        break;
      case difference_kind::extra_unique:
        both(op::drop_unique{d.table, *d.unique}, op::add_unique{d.table, *d.unique});
        break;
      case difference_kind::missing_foreign_key:
        both(op::add_foreign_key{d.table, *d.foreign_key}, op::drop_foreign_key{d.table, *d.foreign_key});
        break;
      case difference_kind::extra_foreign_key:
        both(op::drop_foreign_key{d.table, *d.foreign_key}, op::add_foreign_key{d.table, *d.foreign_key});
        break;
      case difference_kind::missing_check:
        both(op::add_check{d.table, *d.check}, op::drop_check{d.table, d.check->name});
        break;
      case difference_kind::extra_check:
        if (d.check->name.empty()) {
          g.notes.push_back("not generated: " + d.describe() + " (it has no name to drop it by)");
          break;
        }
        both(op::drop_check{d.table, d.check->name}, op::add_check{d.table, *d.check});
        break;
    }
  }
  // Tables are dropped last going up (after the keys that point at them) and
  // created first going down.
  std::stable_partition(g.upgrade.begin(), g.upgrade.end(),
                        [](const operation& o) { return !std::holds_alternative<op::drop_table>(o); });
  std::stable_partition(undo.begin(), undo.end(),
                        [](const operation& o) { return !std::holds_alternative<op::drop_table>(o); });
  g.downgrade.assign(undo.rbegin(), undo.rend());
  if (dropped_table || dropped_column || added) {
    g.notes.insert(
        g.notes.begin(),
        "A renamed table or column cannot be told apart from a dropped one and an added one: if that "
        "is what happened, replace the pair with rename_table / alter_column ... rename_to, or its "
        "data is lost.");
  }
  if (dropped_table || dropped_column)
    g.notes.insert(g.notes.begin() + 1,
                   "This script drops data (drop_table / drop_column): check that it should.");
  return g;
}

std::filesystem::path write_revision(const std::filesystem::path& folder, const std::string& parent,
                                     const std::string& message, const generated_operations& ops) {
  std::filesystem::create_directories(folder);
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &utc);
  std::string slug;
  for (char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      slug += static_cast<char>(std::tolower(u));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  migration m;
  m.id = stamp;
  // Two revisions within a second: the second gets a suffix.
  auto taken = [&](const std::string& id) {
    for (const auto& e : std::filesystem::directory_iterator(folder))
      if (e.path().filename().string().rfind(id + "_", 0) == 0 || e.path().stem() == id) return true;
    return false;
  };
  for (int n = 2; taken(m.id); ++n) m.id = std::string(stamp) + "_" + std::to_string(n);
  m.parent = parent;
  m.message = message;
  m.upgrade = ops.upgrade;
  m.downgrade = ops.downgrade;
  const auto path = folder / (m.id + (slug.empty() ? "" : "_" + slug) + ".migration");
  std::ofstream out(path, std::ios::binary);
  out << format_script(m, ops.notes);
  if (!out) throw usage_error("could not write \"" + path.string() + "\"");
  return path;
}

}  // namespace relate::migrations
