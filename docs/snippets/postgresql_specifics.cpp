// SPDX-License-Identifier: MIT
// docs/postgresql.md: what differs on PostgreSQL.  Run with a server's URL:
//   relate_doc_postgresql_specifics postgresql://user:password@host/db
// Prints postgresql_specifics.out.
#include <relate/engine.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/statements.hpp>

#include <cstdint>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " postgresql://...\n";
    return 2;
  }
  auto engine = relate::create_engine(argv[1]);
  auto conn = engine.connect();
  // snippet-begin: placeholders
  conn.execute(
      "CREATE TEMPORARY TABLE accounts (id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL, balance BIGINT)");
  // $1, $2, ... as libpq numbers them; RETURNING gives back what the server generated.
  auto id = conn.execute("INSERT INTO accounts (owner, balance) VALUES ($1, $2) RETURNING id", {"ann", 100})
                .scalar<std::int64_t>();
  std::cout << "placeholder " << engine.dialect().placeholder(2) << ", new id " << *id << '\n';
  // snippet-end: placeholders

  // snippet-begin: for-update
  using namespace relate::sql;
  auto accounts = table("accounts");
  column<std::int64_t> account_id(accounts, "id"), balance(accounts, "balance");
  // SELECT ... FOR UPDATE: the row stays locked until this transaction ends.
  auto read = select(balance).where(account_id == *id).for_update();
  auto current = conn.execute(*read.node()).scalar<std::int64_t>().value();
  conn.execute(*update(accounts).set(balance, current - 30).where(account_id == *id).node());
  conn.commit();
  // snippet-end: for-update

  // snippet-begin: retryable
  try {
    conn.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END $$");
  } catch (const relate::operational_error& e) {
    // serialization_failure (40001) and deadlock_detected (40P01): run the transaction again
    std::cout << e.native_code() << " retryable: " << std::boolalpha << e.retryable() << '\n';
    conn.rollback();
  }
  // snippet-end: retryable
  std::cout << "balance " << conn.execute("SELECT balance FROM accounts").scalar<std::int64_t>().value()
            << '\n';
}
