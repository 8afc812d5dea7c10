// SPDX-License-Identifier: MIT
// docs/errors.md: catching database errors portably, and what they carry.
// Prints errors.out.
#include <relate/engine.hpp>

#include <iostream>

int main() {
  auto engine = relate::create_engine("sqlite:///errors.db");
  auto conn = engine.connect();
  conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL)");
  conn.execute("INSERT INTO users (email) VALUES ('ann@example.org')");

  // snippet-begin: integrity
  try {
    conn.execute("INSERT INTO users (email) VALUES (?)", {"ann@example.org"});
  } catch (const relate::integrity_error& e) {  // the same catch on every backend
    std::cout << "driver: " << e.driver() << '\n'
              << "code: " << e.native_code() << '\n'  // SQLSTATE 23505 on PostgreSQL
              << "sql: " << e.sql() << '\n';          // never the parameter values
    conn.rollback();
  }
  // snippet-end: integrity

  // snippet-begin: hierarchy
  try {
    conn.execute("SELEKT 1");
  } catch (const relate::programming_error& e) {
    std::cout << "programming_error: " << e.native_code() << '\n';
  } catch (const relate::database_error& e) {  // integrity, operational, data, ...
    std::cout << "database_error, retryable: " << e.retryable() << '\n';
  } catch (const relate::error& e) {  // every relate exception
    std::cout << e.what() << '\n';
  }
  // snippet-end: hierarchy

  // snippet-begin: plugin
  try {
    relate::create_engine("nosuchdb://somewhere");
  } catch (const relate::plugin_error& e) {
    std::cout << "plugin_error, unknown scheme: " << (e.why() == relate::plugin_error::reason::unknown_scheme)
              << '\n';
  }
  // snippet-end: plugin
}
