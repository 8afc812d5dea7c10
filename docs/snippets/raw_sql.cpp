// SPDX-License-Identifier: MIT
// docs/raw-sql.md: SQL text with bound parameters, results, executemany,
// transactions and savepoints.  Prints raw_sql.out.
#include <relate/engine.hpp>

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

int main() {
  // snippet-begin: execute
  auto engine = relate::create_engine("sqlite:///notes.db");
  auto conn = engine.connect();
  const auto& dialect = engine.dialect();  // placeholders: "?" on SQLite, "$1" on PostgreSQL
  conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, stars INTEGER)");
  const auto insert = "INSERT INTO notes (body, stars) VALUES (" + dialect.placeholder(1) + ", " +
                      dialect.placeholder(2) + ")";
  conn.execute(insert, {"it's bound, not pasted", 3});
  conn.commit();  // without it, the connection's return to the pool rolls back
  // snippet-end: execute

  // snippet-begin: many
  std::vector<std::vector<relate::value>> rows{{"second", 5}, {"third", relate::null}};
  auto counts = conn.execute_many(insert, rows);  // one statement, many parameter sets
  conn.commit();
  std::cout << counts.size() << " inserts\n";
  // snippet-end: many

  // snippet-begin: rows
  for (const auto& row : conn.execute("SELECT id, body, stars FROM notes ORDER BY id")) {
    std::cout << row.get<std::int64_t>(0) << ' ' << row.get<std::string>("body") << ' ';
    if (row.is_null(2))
      std::cout << "(no stars)\n";
    else
      std::cout << row.get<std::int64_t>("stars") << '\n';
  }
  auto total = conn.execute("SELECT sum(stars) FROM notes").scalar<std::int64_t>();
  std::cout << "total " << total.value_or(0) << '\n';
  // snippet-end: rows

  // snippet-begin: transactions
  {
    auto tx = conn.begin();
    conn.execute("DELETE FROM notes WHERE stars IS NULL");
    {
      auto savepoint = conn.begin_nested();
      conn.execute("DELETE FROM notes");
      savepoint.rollback();  // only the savepoint's work is undone
    }
    tx.commit();
  }
  std::cout << conn.execute("SELECT count(*) FROM notes").scalar<std::int64_t>().value() << " notes\n";
  // snippet-end: transactions
}
