// SPDX-License-Identifier: MIT
// The migration runner: one transaction per script (lock, read the version,
// run the script's operations, write the version, check foreign keys if a
// table was rebuilt, commit), repeated until the target version is reached.
#include <relate/migrations/runner.hpp>

#include <relate/error.hpp>
#include <relate/migrations/inspection.hpp>
#include <relate/migrations/script.hpp>
#include <relate/sql/compiler.hpp>

#include "migrations/schema_editor.hpp"

#include <spdlog/logger.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace relate::migrations {
namespace {

std::vector<migration> chain_of(std::vector<migration> scripts) {
  std::map<std::string, const migration*> by_parent;
  std::set<std::string> ids;
  for (const auto& m : scripts) {
    if (!ids.insert(m.id).second) throw usage_error("migrations: two scripts have the id \"" + m.id + "\"");
    auto [it, fresh] = by_parent.emplace(m.parent, &m);
    if (!fresh)
      throw usage_error("migrations: " + it->second->source + " and " + m.source + " both follow \"" +
                        (m.parent.empty() ? std::string("base") : m.parent) +
                        "\" (two heads: make one follow the other)");
  }
  for (const auto& m : scripts)
    if (!m.parent.empty() && !ids.count(m.parent))
      throw usage_error("migrations: " + m.source + " follows \"" + m.parent +
                        "\", which no script has as id");
  std::vector<migration> out;
  std::string at;
  for (auto it = by_parent.find(at); it != by_parent.end(); it = by_parent.find(at)) {
    out.push_back(*it->second);
    at = out.back().id;
  }
  if (out.size() != scripts.size()) throw usage_error("migrations: the scripts do not form one chain");
  return out;
}

sql::table_def version_table_def(const std::string& name) {
  sql::table_def t;
  t.name = name;
  sql::column_def c;
  c.name = "version_num";
  c.type.kind = sql::type_kind::text;
  c.type.length = 64;
  c.nullable = false;
  c.primary_key = true;
  t.columns.push_back(c);
  return t;
}

// Runs statements outside any transaction (SQLite's PRAGMA foreign_keys is a
// no-op inside one).
void run_outside_transaction(connection& conn, const std::vector<std::string>& statements) {
  for (const auto& s : statements) conn.native().execute(s, {}, fetch_mode::buffered);
}

// Whether a script's operations may rebuild a table on this database, so
// that foreign keys go off around its transaction.
bool needs_rebuild_guard(const sql::schema_support& tools, const std::vector<operation>& ops) {
  return !tools.before_rebuild().empty() && std::any_of(ops.begin(), ops.end(), [&](const operation& o) {
    return detail::schema_editor::may_rebuild(tools, o);
  });
}

std::vector<std::string> version_statements(const sql::dialect& d, const std::string& table,
                                            const std::string& id, bool literal) {
  std::vector<std::string> out{"DELETE FROM " + table};
  if (!id.empty())
    out.push_back("INSERT INTO " + table + " (" + d.quote_identifier("version_num") + ") VALUES (" +
                  (literal ? d.render_literal(value(id)) : d.placeholder(1)) + ")");
  return out;
}

void append(std::vector<std::string>& out, const std::vector<std::string>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

}  // namespace

runner::runner(engine e, runner_options options)
    : engine_(std::move(e)), options_(std::move(options)), chain_(chain_of(load_scripts(options_.folder))) {}

std::string runner::head() const { return chain_.empty() ? std::string() : chain_.back().id; }

std::size_t runner::position(std::string_view id) const {
  if (id.empty()) return 0;
  for (std::size_t i = 0; i < chain_.size(); ++i)
    if (chain_[i].id == id) return i + 1;
  throw usage_error("migrations: the database is at version \"" + std::string(id) +
                    "\", which no script in the folder has");
}

std::size_t runner::resolve(std::string_view target, bool downgrade) const {
  if (target == "head") return chain_.size();
  if (target == "base") return 0;
  if (downgrade && target.size() > 1 && target[0] == '-') {
    std::size_t n = 0;
    std::from_chars(target.data() + 1, target.data() + target.size(), n);
    const auto at = position(current());
    return n > at ? 0 : at - n;
  }
  std::size_t found = 0;
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    if (chain_[i].id == target) return i + 1;
    if (chain_[i].id.rfind(target, 0) == 0) {
      if (found) throw usage_error("migrations: \"" + std::string(target) + "\" names more than one script");
      found = i + 1;
    }
  }
  if (!found) throw usage_error("migrations: no script has the id \"" + std::string(target) + "\"");
  return found;
}

void runner::ensure_version_table() const {
  auto conn = engine_.connect();
  const bool exists = inspect_table(conn, "", options_.version_table).has_value();
  // The look ends its transaction before the CREATE: on SQLite a transaction
  // that has read cannot wait for the write lock another runner holds (SQLite
  // answers SQLITE_BUSY at once rather than risk a deadlock), while a fresh
  // one waits for it (busy_timeout) and then finds the table made.
  conn.rollback();
  if (exists) return;
  try {
    for (const auto& s : engine_.dialect().create_table(version_table_def(options_.version_table), true))
      conn.execute(s);
    conn.commit();
  } catch (const database_error&) {
    // Another runner created it at the same moment.
    conn.rollback();
    if (!inspect_table(conn, "", options_.version_table)) throw;
  }
}

std::string runner::read_version(connection& conn) const {
  auto r =
      conn.execute("SELECT version_num FROM " + engine_.dialect().quote_identifier(options_.version_table));
  return r.scalar<std::string>().value_or("");
}

std::string runner::current() const {
  auto conn = engine_.connect();
  if (!inspect_table(conn, "", options_.version_table)) return {};
  return read_version(conn);
}

bool runner::step(std::size_t target, std::string* moved) {
  const auto& d = engine_.dialect();
  const auto& tools = schema_tools(d);
  const auto table = d.quote_identifier(options_.version_table);
  auto conn = engine_.connect();

  // Which script comes next, read before the lock only to know whether it
  // needs foreign keys off (which cannot change inside a transaction); the
  // version is read again under the lock.
  const auto peeked = read_version(conn);
  conn.rollback();
  const auto at = position(peeked);
  if (at == target) return false;
  const bool up = target > at;
  const migration& m = up ? chain_[at] : chain_[at - 1];
  const auto& ops = up ? m.upgrade : m.downgrade;
  const bool guard = needs_rebuild_guard(tools, ops);

  if (guard) run_outside_transaction(conn, tools.before_rebuild());
  try {
    for (const auto& s : tools.migration_lock(table)) conn.execute(s);
    if (read_version(conn) != peeked) {  // another runner moved it meanwhile: look again
      conn.rollback();
      if (guard) run_outside_transaction(conn, tools.after_rebuild());
      return true;
    }
    detail::schema_editor editor(d, inspect(conn));
    for (const auto& o : ops) {
      if (const auto* c = std::get_if<op::call>(&o)) {
        const auto found = options_.steps.find(c->name);
        if (found == options_.steps.end())
          throw usage_error("migration " + m.id + ": no C++ step named \"" + c->name + "\" is registered");
        found->second(conn);
        editor.refresh(inspect(conn));
        continue;
      }
      for (const auto& s : editor.apply(o)) conn.execute(s);
      if (std::holds_alternative<op::execute_sql>(o)) editor.refresh(inspect(conn));
    }
    const auto next = up ? m.id : m.parent;
    const value id(next);
    for (const auto& s : version_statements(d, table, next, false))
      conn.execute(s, s.rfind("INSERT", 0) == 0 ? std::span<const value>(&id, 1) : std::span<const value>());
    if (const auto check = tools.foreign_key_check(); guard && check) {
      auto broken = conn.execute(*check).all();
      if (!broken.empty()) {
        error_info info;
        info.driver = std::string(d.name());
        info.sql = *check;
        info.native_message = "migration " + m.id + " would leave " + std::to_string(broken.size()) +
                              " row(s) whose foreign key points at no row; nothing was changed";
        throw_database_error(error_category::integrity, std::move(info));
      }
    }
    conn.commit();
  } catch (...) {
    conn.rollback();
    if (guard) run_outside_transaction(conn, tools.after_rebuild());
    engine_.logger()->error("migration {} ({}) failed; the database is as it was before it", m.id, m.message);
    throw;
  }
  if (guard) run_outside_transaction(conn, tools.after_rebuild());
  *moved = m.id;
  return true;
}

std::vector<std::string> runner::run(std::size_t target) {
  std::vector<std::string> done;
  ensure_version_table();
  for (std::string moved; step(target, &moved);) {
    if (!moved.empty()) done.push_back(std::exchange(moved, {}));
  }
  return done;
}

std::vector<std::string> runner::offline_sql(std::size_t target) {
  const auto& d = engine_.dialect();
  const auto& tools = schema_tools(d);
  const auto table = d.quote_identifier(options_.version_table);
  auto conn = engine_.connect();
  const bool has_table = inspect_table(conn, "", options_.version_table).has_value();
  auto at = position(has_table ? read_version(conn) : std::string());
  detail::schema_editor editor(d, inspect(conn));
  std::vector<std::string> out;
  if (!has_table && at != target)
    for (const auto& s : d.create_table(version_table_def(options_.version_table), true)) out.push_back(s);
  while (at != target) {
    const bool up = target > at;
    const migration& m = up ? chain_[at] : chain_[at - 1];
    const auto& ops = up ? m.upgrade : m.downgrade;
    const bool guard = needs_rebuild_guard(tools, ops);
    out.push_back("-- " + std::string(up ? "upgrade to " : "downgrade from ") + m.id + ": " + m.message);
    if (guard) append(out, tools.before_rebuild());
    out.push_back("BEGIN");
    for (const auto& s : tools.migration_lock(table)) out.push_back(s);
    for (const auto& o : ops) {
      if (const auto* c = std::get_if<op::call>(&o)) {
        out.push_back("-- the C++ step \"" + c->name + "\" runs here");
        continue;
      }
      for (const auto& s : editor.apply(o)) out.push_back(s);
    }
    for (const auto& s : version_statements(d, table, up ? m.id : m.parent, true)) out.push_back(s);
    if (const auto check = tools.foreign_key_check(); guard && check)
      out.push_back("-- " + *check + " must return no row before COMMIT");
    out.push_back("COMMIT");
    if (guard) append(out, tools.after_rebuild());
    at = up ? at + 1 : at - 1;
  }
  return out;
}

std::vector<std::string> runner::upgrade(std::string_view target) {
  const auto to = resolve(target, false);
  if (to < position(current()))
    throw usage_error("migrations: \"" + std::string(target) +
                      "\" is older than the current version; use downgrade");
  return run(to);
}

std::vector<std::string> runner::upgrade_sql(std::string_view target) {
  return offline_sql(resolve(target, false));
}

std::vector<std::string> runner::downgrade_sql(std::string_view target) {
  return offline_sql(resolve(target, true));
}

std::vector<std::string> runner::downgrade(std::string_view target) {
  const auto to = resolve(target, true);
  if (to > position(current()))
    throw usage_error("migrations: \"" + std::string(target) +
                      "\" is newer than the current version; use upgrade");
  return run(to);
}

void runner::stamp(std::string_view target) {
  const auto to = resolve(target, false);
  ensure_version_table();
  auto conn = engine_.connect();
  const auto& d = engine_.dialect();
  const auto table = d.quote_identifier(options_.version_table);
  for (const auto& s : schema_tools(d).migration_lock(table)) conn.execute(s);
  conn.execute("DELETE FROM " + table);
  if (to > 0) {
    const value v(chain_[to - 1].id);
    conn.execute("INSERT INTO " + table + " (" + d.quote_identifier("version_num") + ") VALUES (" +
                     d.placeholder(1) + ")",
                 std::span<const value>(&v, 1));
  }
  conn.commit();
}

}  // namespace relate::migrations
