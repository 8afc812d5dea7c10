// SPDX-License-Identifier: MIT
// The order a flush writes rows in: parents before children whatever the
// order they were added in, rows of a self-referential table after the rows
// they reference, deletes children first, and cycles between rows broken by
// post_update or refused clearly.
#include "relationship_fixture.hpp"

#include <algorithm>

namespace rel_test {
namespace {

using flush_order = relationship_test;

std::size_t position_of(const std::vector<std::string>& statements, const std::string& prefix) {
  auto it = std::find_if(statements.begin(), statements.end(),
                         [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
  return static_cast<std::size_t>(it - statements.begin());
}

TEST_P(flush_order, a_child_added_before_its_parent_is_inserted_after_it) {
  relate::session s(engine());
  auto post = s.add(Post{.title = "p"});
  auto user = s.add(User{.name = "u"});
  post->author = user;
  forget_statements();
  s.commit();
  const auto st = take_statements();
  EXPECT_LT(position_of(st, "INSERT INTO \"users\""), position_of(st, "INSERT INTO \"posts\""));
  EXPECT_EQ(post->user_id, user->id);
}

TEST_P(flush_order, self_referential_rows_are_inserted_level_by_level_and_batched) {
  relate::session s(engine());
  auto root = s.add(Employee{.name = "root"});
  for (int i = 0; i < 3; ++i) {
    auto mid = root->reports.append(Employee{.name = "mid" + std::to_string(i)});
    for (int j = 0; j < 2; ++j) mid->reports.push_back(Employee{.name = "leaf"});
  }
  forget_statements();
  s.commit();
  const auto st = take_statements();
  EXPECT_EQ(
      std::count_if(st.begin(), st.end(), [](const std::string& q) { return q.rfind("INSERT", 0) == 0; }), 3)
      << "one multi-row INSERT per level";
  EXPECT_EQ(committed("SELECT count(*) FROM employees e JOIN employees m ON m.id = e.manager_id WHERE m.name "
                      "LIKE 'mid%'"),
            (std::vector<std::string>{"6"}));
}

TEST_P(flush_order, deleting_rows_of_a_self_referential_table_goes_children_first) {
  {
    relate::session s(engine());
    auto root = s.add(Employee{.name = "root"});
    root->reports.append(Employee{.name = "mid"})->reports.push_back(Employee{.name = "leaf"});
    s.commit();
  }
  relate::session s(engine());
  // Marked for deletion parents first; the database would refuse that order.
  for (const auto& e : s.query<Employee>().order_by(&Employee::id).all()) s.remove(e);
  s.commit();
  EXPECT_EQ(committed_count("employees"), 0);
}

TEST_P(flush_order, post_update_breaks_a_cycle_between_new_rows) {
  relate::session s(engine());
  auto parent = s.add(Node{.name = "parent"});
  auto child = parent->children.append(Node{.name = "child"});
  parent->favorite = child;  // parent -> child and child -> parent
  forget_statements();
  s.commit();
  const auto st = take_statements();
  EXPECT_EQ(std::count_if(st.begin(), st.end(),
                          [](const std::string& q) { return q.rfind("UPDATE \"nodes\"", 0) == 0; }),
            1)
      << "the favourite is written by a second statement";
  EXPECT_EQ(committed("SELECT n.name, f.name FROM nodes n JOIN nodes f ON f.id = n.favorite_id"),
            (std::vector<std::string>{"parent|child"}));
  EXPECT_EQ(committed("SELECT n.name, p.name FROM nodes n JOIN nodes p ON p.id = n.parent_id"),
            (std::vector<std::string>{"child|parent"}));

  // Deleting both: the favourite key is cleared first.
  s.remove(parent);
  s.remove(child);
  s.commit();
  EXPECT_EQ(committed_count("nodes"), 0);
}

TEST_P(flush_order, a_cycle_without_post_update_is_refused_and_nothing_is_written) {
  relate::session s(engine());
  auto a = s.add(Loop{});
  auto b = s.add(Loop{});
  a->parent = b;
  b->favorite = a;
  try {
    s.flush();
    FAIL() << "expected usage_error";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("post_update"), std::string::npos) << e.what();
  }
  EXPECT_EQ(a.status(), relate::object_status::pending);
  s.rollback();
  EXPECT_EQ(committed_count("loops"), 0);
}

TEST_P(flush_order, post_update_writes_two_tables_that_refer_to_each_other) {
  relate::session s(engine());
  auto widget = s.add(Widget{.name = "w"});
  widget->entries.push_back(Entry{.name = "first"});
  auto second = widget->entries.append(Entry{.name = "second"});
  widget->favorite_entry = second;
  forget_statements();
  s.commit();
  const auto st = take_statements();
  EXPECT_EQ(std::count_if(st.begin(), st.end(),
                          [](const std::string& q) { return q.rfind("UPDATE \"widgets\"", 0) == 0; }),
            1)
      << "the widget is inserted first, its favourite written once the entry exists";
  EXPECT_EQ(committed("SELECT w.name, e.name FROM widgets w JOIN entries e ON e.id = w.favorite_entry_id"),
            (std::vector<std::string>{"w|second"}));
  EXPECT_EQ(
      committed("SELECT e.name, w.name FROM entries e JOIN widgets w ON w.id = e.widget_id ORDER BY e.id"),
      (std::vector<std::string>{"first|w", "second|w"}));

  // Deleting all of it: the favourite is cleared before the entries go.
  s.remove(widget);
  for (const auto& e : s.query<Entry>().all()) s.remove(e);
  s.commit();
  EXPECT_EQ(committed_count("widgets"), 0);
  EXPECT_EQ(committed_count("entries"), 0);
}

TEST_P(flush_order, create_all_makes_both_keys_of_a_cycle_between_tables_and_the_database_enforces_them) {
  // One key of the cycle waits for both tables.
  const auto cycles = meta.cycle_keys();
  const auto tables = meta.tables();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(tables[cycles[0].table].name, "widgets");
  EXPECT_EQ(tables[cycles[0].table].foreign_keys[cycles[0].key].columns,
            std::vector<std::string>{"favorite_entry_id"});

  auto conn = engine().connect();
  const auto& d = engine().dialect();
  EXPECT_THROW(conn.execute("INSERT INTO widgets (name, favorite_entry_id) VALUES (" + d.placeholder(1) +
                                ", " + d.placeholder(2) + ")",
                            {relate::value("w"), relate::value(std::int64_t{404})}),
               relate::integrity_error)
      << "the key added after the tables is there";
  conn.rollback();
  EXPECT_THROW(conn.execute("INSERT INTO entries (name, widget_id) VALUES (" + d.placeholder(1) + ", " +
                                d.placeholder(2) + ")",
                            {relate::value("e"), relate::value(std::int64_t{404})}),
               relate::integrity_error)
      << "the key created inline is there";
  conn.rollback();

  // Running create_all again changes nothing (the added key is found, not added twice).
  EXPECT_NO_THROW(meta.create_all(engine()));

  // drop_all drops tables whose rows still refer to each other.
  {
    relate::session s(engine());
    auto widget = s.add(Widget{.name = "w"});
    widget->favorite_entry = widget->entries.append(Entry{.name = "e"});
    s.commit();
  }
  meta.drop_all(engine());
  auto check = engine().connect();
  const std::string catalog =
      db().schema().empty() ? "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            : "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
  EXPECT_EQ(check.execute(catalog).scalar<std::int64_t>(), 0);
}

RELATE_INSTANTIATE_BACKENDS(flush_order);

}  // namespace
}  // namespace rel_test
