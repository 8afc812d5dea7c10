// SPDX-License-Identifier: MIT
// The generic compiler on hand-built trees: the SQL text and the parameters
// of every node kind and statement, the capability switches, text() binds and
// the statement-shape cache.  (The typed builders have their own tests.)
#include "sql_test_dialect.hpp"

#include <relate/error.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/expression.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace {

using namespace relate::sql;
using relate::value;
using relate::testing::test_dialect;

template <class T>
std::shared_ptr<T> make(T n) {
  return std::make_shared<T>(std::move(n));
}

table_ptr table(std::string name, std::string alias = {}) {
  table_ref t;
  t.name = std::move(name);
  t.alias = std::move(alias);
  return make(std::move(t));
}
node_ptr col(table_ptr t, std::string name) {
  column_ref c;
  c.table = std::move(t);
  c.name = std::move(name);
  return make(std::move(c));
}
node_ptr param(value v) {
  bind_param b;
  b.value = std::move(v);
  return make(std::move(b));
}
// Hand-built trees through the same node factories the typed builders use.
node_ptr binary(binary_operator op, node_ptr l, node_ptr r) { return detail::make_binary(op, l, r); }
node_ptr unary(unary_operator op, node_ptr operand) { return detail::make_unary(op, operand); }
const auto n_like_op = detail::make_like;
const auto n_in_list = detail::make_in_list;
const auto n_in_select = detail::make_in_select;
const auto n_between_op = detail::make_between;
const auto n_function_call = detail::make_function;
const auto n_cast_expr = detail::make_cast;
const auto n_labeled = detail::make_label;
const auto n_text_clause = detail::make_text;
node_ptr n_scalar_subquery(node_ptr q) {
  scalar_subquery n;
  n.query = std::move(q);
  return make(std::move(n));
}
node_ptr n_derived_table(node_ptr q, std::string alias) {
  derived_table n;
  n.query = std::move(q);
  n.alias = std::move(alias);
  return make(std::move(n));
}
node_ptr n_star(table_ptr t = nullptr) { return detail::make_star(std::move(t)); }
node_ptr n_null_literal() { return std::make_shared<null_literal>(); }

class sql_compiler_test : public ::testing::Test {
 protected:
  test_dialect d;
  table_ptr users = table("users");
  compiled_statement compile(const node_ptr& n) { return d.make_compiler()->compile(*n); }
  std::string sql(const node_ptr& n) { return compile(n).sql; }
};

TEST_F(sql_compiler_test, quotes_identifiers_and_doubles_embedded_quotes) {
  EXPECT_EQ(d.quote_identifier("users"), "\"users\"");
  EXPECT_EQ(d.quote_identifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(d.quote_identifier("a b;--"), "\"a b;--\"");
  EXPECT_THROW(d.quote_identifier(std::string("a\0b", 3)), relate::usage_error);
  auto hostile = table("ta\"ble");
  EXPECT_EQ(sql(col(hostile, "co\"l")), "\"ta\"\"ble\".\"co\"\"l\"");
}

TEST_F(sql_compiler_test, renders_ddl_literals_escaped) {
  EXPECT_EQ(d.render_literal(value("it's")), "'it''s'");
  EXPECT_EQ(d.render_literal(value(42)), "42");
  EXPECT_EQ(d.render_literal(value(-7)), "-7");
  EXPECT_EQ(d.render_literal(value(1.5)), "1.5");
  EXPECT_EQ(d.render_literal(value(2.0)), "2.0");
  EXPECT_EQ(d.render_literal(value()), "NULL");
  EXPECT_EQ(d.render_literal(value(true)), "1");
  d.caps.native_boolean = true;
  EXPECT_EQ(d.render_literal(value(false)), "FALSE");
  EXPECT_EQ(d.render_literal(value(relate::blob{std::byte{0x0a}, std::byte{0xff}})), "X'0AFF'");
  EXPECT_EQ(d.render_literal(value(relate::date{std::chrono::year{2024} / 2 / 29})), "'2024-02-29'");
  EXPECT_THROW(d.render_literal(value(std::string("a\0b", 3))), relate::usage_error);
  EXPECT_THROW(d.render_literal(value(std::numeric_limits<double>::infinity())), relate::usage_error);
}

TEST_F(sql_compiler_test, comparison_binds_value) {
  auto c = compile(binary(binary_operator::eq, col(users, "name"), param("John")));
  EXPECT_EQ(c.sql, "\"users\".\"name\" = ?");
  ASSERT_EQ(c.params.size(), 1u);
  EXPECT_EQ(c.params[0], value("John"));
}

TEST_F(sql_compiler_test, every_binary_operator) {
  const std::pair<binary_operator, const char*> cases[] = {
      {binary_operator::eq, "="},
      {binary_operator::ne, "<>"},
      {binary_operator::lt, "<"},
      {binary_operator::le, "<="},
      {binary_operator::gt, ">"},
      {binary_operator::ge, ">="},
      {binary_operator::logical_and, "AND"},
      {binary_operator::logical_or, "OR"},
      {binary_operator::add, "+"},
      {binary_operator::subtract, "-"},
      {binary_operator::multiply, "*"},
      {binary_operator::divide, "/"},
      {binary_operator::modulo, "%"},
      {binary_operator::concat, "||"},
      {binary_operator::is_distinct_from, "IS DISTINCT FROM"},
      {binary_operator::is_not_distinct_from, "IS NOT DISTINCT FROM"},
  };
  for (auto [op, text] : cases) {
    EXPECT_EQ(sql(binary(op, col(users, "a"), param(1))), std::string("\"users\".\"a\" ") + text + " ?");
  }
}

TEST_F(sql_compiler_test, parenthesises_by_precedence) {
  auto a = binary(binary_operator::eq, col(nullptr, "a"), param(1));
  auto b = binary(binary_operator::eq, col(nullptr, "b"), param(2));
  auto c = binary(binary_operator::eq, col(nullptr, "c"), param(3));
  EXPECT_EQ(sql(binary(binary_operator::logical_and, binary(binary_operator::logical_or, a, b), c)),
            "(\"a\" = ? OR \"b\" = ?) AND \"c\" = ?");
  EXPECT_EQ(sql(binary(binary_operator::logical_or, binary(binary_operator::logical_and, a, b), c)),
            "\"a\" = ? AND \"b\" = ? OR \"c\" = ?");
  EXPECT_EQ(sql(binary(binary_operator::logical_and, a, binary(binary_operator::logical_or, b, c))),
            "\"a\" = ? AND (\"b\" = ? OR \"c\" = ?)");
  EXPECT_EQ(sql(binary(binary_operator::logical_and, binary(binary_operator::logical_and, a, b), c)),
            "\"a\" = ? AND \"b\" = ? AND \"c\" = ?");
  auto x = col(nullptr, "x");
  EXPECT_EQ(sql(binary(binary_operator::subtract, x, binary(binary_operator::subtract, x, x))),
            "\"x\" - (\"x\" - \"x\")");
  EXPECT_EQ(sql(binary(binary_operator::subtract, binary(binary_operator::subtract, x, x), x)),
            "\"x\" - \"x\" - \"x\"");
  EXPECT_EQ(sql(binary(binary_operator::multiply, binary(binary_operator::add, x, x), x)),
            "(\"x\" + \"x\") * \"x\"");
  EXPECT_EQ(sql(binary(binary_operator::add, binary(binary_operator::multiply, x, x), x)),
            "\"x\" * \"x\" + \"x\"");
  EXPECT_EQ(sql(binary(binary_operator::concat, x, binary(binary_operator::add, x, x))),
            "\"x\" || (\"x\" + \"x\")");
  EXPECT_EQ(sql(binary(binary_operator::eq, binary(binary_operator::eq, x, x), x)),
            "(\"x\" = \"x\") = \"x\"");
  EXPECT_EQ(sql(unary(unary_operator::logical_not, binary(binary_operator::logical_or, a, b))),
            "NOT (\"a\" = ? OR \"b\" = ?)");
  EXPECT_EQ(sql(unary(unary_operator::negate, unary(unary_operator::negate, x))), "-(-\"x\")");
  EXPECT_EQ(sql(unary(unary_operator::is_null, binary(binary_operator::add, x, x))), "\"x\" + \"x\" IS NULL");
  EXPECT_EQ(sql(unary(unary_operator::is_not_null, a)), "(\"a\" = ?) IS NOT NULL");
  // Raw text is opaque: always parenthesised as an operand.
  EXPECT_EQ(sql(binary(binary_operator::logical_and, n_text_clause("a = 1 OR b = 2", {}), c)),
            "(a = 1 OR b = 2) AND \"c\" = ?");
}

TEST_F(sql_compiler_test, params_follow_placeholder_order) {
  relate::testing::numbered_dialect nd;
  auto tree = binary(binary_operator::logical_or, binary(binary_operator::eq, col(nullptr, "a"), param(1)),
                     binary(binary_operator::eq, col(nullptr, "b"), param("two")));
  auto c = nd.compile(*tree);
  EXPECT_EQ(c.sql, "\"a\" = $1 OR \"b\" = $2");
  EXPECT_EQ(c.params, (std::vector<value>{1, "two"}));
}

TEST_F(sql_compiler_test, like_ilike_and_escape) {
  auto name = col(users, "name");
  EXPECT_EQ(sql(n_like_op(name, param("J%"), false, false, std::nullopt)), "\"users\".\"name\" LIKE ?");
  EXPECT_EQ(sql(n_like_op(name, param("J%"), true, false, '\\')),
            "\"users\".\"name\" NOT LIKE ? ESCAPE '\\'");
  EXPECT_EQ(sql(n_like_op(name, param("J%"), false, false, '\'')), "\"users\".\"name\" LIKE ? ESCAPE ''''");
  auto ilike = n_like_op(name, param("j%"), false, true, std::nullopt);
  EXPECT_EQ(sql(ilike), "lower(\"users\".\"name\") LIKE lower(?)");
  d.caps.native_ilike = true;
  EXPECT_EQ(sql(ilike), "\"users\".\"name\" ILIKE ?");
}

TEST_F(sql_compiler_test, in_lists_and_empty_in) {
  auto id = col(users, "id");
  auto c = compile(n_in_list(id, {param(1), param(2), param(3)}, false));
  EXPECT_EQ(c.sql, "\"users\".\"id\" IN (?, ?, ?)");
  EXPECT_EQ(c.params, (std::vector<value>{1, 2, 3}));
  EXPECT_EQ(sql(n_in_list(id, {param(1)}, true)), "\"users\".\"id\" NOT IN (?)");
  auto empty = compile(n_in_list(id, {}, false));
  EXPECT_EQ(empty.sql, "1 != 1");
  EXPECT_TRUE(empty.params.empty());
  EXPECT_EQ(sql(n_in_list(id, {}, true)), "1 = 1");
  // Inside a larger predicate the false predicate keeps its meaning.
  EXPECT_EQ(sql(binary(binary_operator::logical_or, n_in_list(id, {}, false),
                       binary(binary_operator::eq, id, param(5)))),
            "1 != 1 OR \"users\".\"id\" = ?");
}

TEST_F(sql_compiler_test, subqueries_exists_between_case_cast_functions) {
  select_stmt inner;
  inner.columns = {col(table("posts"), "user_id")};
  inner.from = {table("posts")};
  auto q = make(std::move(inner));
  EXPECT_EQ(sql(n_in_select(col(users, "id"), q, false)),
            "\"users\".\"id\" IN (SELECT \"posts\".\"user_id\" FROM \"posts\")");
  EXPECT_EQ(sql(unary(unary_operator::exists, q)), "EXISTS (SELECT \"posts\".\"user_id\" FROM \"posts\")");
  EXPECT_EQ(sql(unary(unary_operator::not_exists, q)),
            "NOT EXISTS (SELECT \"posts\".\"user_id\" FROM \"posts\")");
  EXPECT_EQ(sql(n_scalar_subquery(q)), "(SELECT \"posts\".\"user_id\" FROM \"posts\")");
  EXPECT_EQ(sql(n_between_op(col(users, "age"), param(18), param(65), false)),
            "\"users\".\"age\" BETWEEN ? AND ?");
  EXPECT_EQ(sql(n_between_op(col(users, "age"), param(18), param(65), true)),
            "\"users\".\"age\" NOT BETWEEN ? AND ?");
  EXPECT_EQ(sql(n_function_call("count", {n_star()}, false)), "count(*)");
  EXPECT_EQ(sql(n_function_call("count", {col(users, "name")}, true)), "count(DISTINCT \"users\".\"name\")");
  // Found by fuzz/fuzz_compiler: no database parses count(DISTINCT *).
  EXPECT_THROW(sql(n_function_call("count", {n_star()}, true)), relate::usage_error);
  EXPECT_EQ(sql(n_function_call("coalesce", {col(users, "name"), param("?")}, false)),
            "coalesce(\"users\".\"name\", ?)");
  case_expr ce;
  ce.whens = {{binary(binary_operator::gt, col(users, "age"), param(17)), param("adult")}};
  ce.otherwise = param("minor");
  auto cc = compile(make(std::move(ce)));
  EXPECT_EQ(cc.sql, "CASE WHEN \"users\".\"age\" > ? THEN ? ELSE ? END");
  EXPECT_EQ(cc.params, (std::vector<value>{17, "adult", "minor"}));
  EXPECT_EQ(sql(n_cast_expr(col(users, "age"), sql_type{type_kind::text})),
            "CAST(\"users\".\"age\" AS TEXT)");
  EXPECT_EQ(sql(n_labeled(col(users, "age"), "a\"ge")), "\"users\".\"age\" AS \"a\"\"ge\"");
  EXPECT_EQ(sql(n_null_literal()), "NULL");
  EXPECT_EQ(sql(n_star(table("users", "u"))), "\"u\".*");
}

TEST_F(sql_compiler_test, a_known_function_needs_its_arguments) {
  known_function_call round;
  round.function = known_function::round;
  round.args = {col(users, "score")};
  EXPECT_THROW(sql(make(round)), relate::usage_error) << "round without its places";
  round.args.push_back(param(2));
  EXPECT_EQ(sql(make(round)), "CAST(round(CAST(\"users\".\"score\" AS NUMERIC), ?) AS DOUBLE PRECISION)");
  known_function_call now;
  now.args = {param(1)};
  EXPECT_THROW(sql(make(now)), relate::usage_error);
  known_function_call part;
  part.function = known_function::extract;
  part.field = datetime_field::minute;
  part.args = {nullptr};
  EXPECT_THROW(sql(make(part)), relate::usage_error);
  part.args = {col(users, "at")};
  EXPECT_EQ(sql(make(part)), "CAST(EXTRACT(MINUTE FROM \"users\".\"at\") AS BIGINT)");
}

TEST_F(sql_compiler_test, select_with_every_clause) {
  auto u = table("users", "u");
  auto p = table("posts");
  select_stmt s;
  s.distinct = true;
  s.columns = {col(u, "name"), n_labeled(n_function_call("count", {col(p, "id")}, false), "n")};
  s.from = {u};
  s.joins = {{join_kind::left_outer, p, binary(binary_operator::eq, col(p, "user_id"), col(u, "id"))}};
  s.where = binary(binary_operator::gt, col(u, "id"), param(10));
  s.group_by = {col(u, "name")};
  s.having = binary(binary_operator::gt, n_function_call("count", {col(p, "id")}, false), param(1));
  s.order_by = {{s.columns[1], true, nulls_order::unspecified}, {col(u, "name"), false, nulls_order::last}};
  s.limit = 10;
  s.offset = 20;
  s.lock.strength = lock_strength::update;
  auto c = compile(make(std::move(s)));
  EXPECT_EQ(c.sql,
            "SELECT DISTINCT \"u\".\"name\", count(\"posts\".\"id\") AS \"n\" FROM \"users\" AS \"u\" LEFT "
            "OUTER JOIN "
            "\"posts\" ON \"posts\".\"user_id\" = \"u\".\"id\" WHERE \"u\".\"id\" > ? GROUP BY "
            "\"u\".\"name\" HAVING "
            "count(\"posts\".\"id\") > ? ORDER BY \"n\" DESC, \"u\".\"name\" NULLS LAST LIMIT ? OFFSET ?");
  EXPECT_EQ(c.params, (std::vector<value>{10, 1, 10, 20}));
}

TEST_F(sql_compiler_test, select_star_joins_and_for_update_capability) {
  select_stmt s;
  s.from = {users};
  s.joins = {
      {join_kind::inner, table("posts"), binary(binary_operator::eq, col(nullptr, "a"), col(nullptr, "b"))},
      {join_kind::cross, table("tags"), nullptr}};
  s.lock.strength = lock_strength::update;
  auto n = make(std::move(s));
  EXPECT_EQ(sql(n), "SELECT * FROM \"users\" JOIN \"posts\" ON \"a\" = \"b\" CROSS JOIN \"tags\"");
  d.caps.for_update = true;
  EXPECT_EQ(sql(n), "SELECT * FROM \"users\" JOIN \"posts\" ON \"a\" = \"b\" CROSS JOIN \"tags\" FOR UPDATE");
  select_stmt bad;
  bad.from = {users};
  bad.joins = {{join_kind::inner, table("posts"), nullptr}};
  EXPECT_THROW(sql(make(std::move(bad))), relate::usage_error);
}

TEST_F(sql_compiler_test, row_lock_clauses) {
  d.caps.for_update = true;
  auto locked = [&](row_lock lock) {
    select_stmt s;
    s.from = {users, table("posts", "p")};
    s.lock = std::move(lock);
    return sql(make(std::move(s)));
  };
  const std::string base = "SELECT * FROM \"users\", \"posts\" AS \"p\"";
  EXPECT_EQ(locked({}), base);
  EXPECT_EQ(locked({lock_strength::update}), base + " FOR UPDATE");
  EXPECT_EQ(locked({lock_strength::no_key_update, lock_wait::nowait}), base + " FOR NO KEY UPDATE NOWAIT");
  EXPECT_EQ(locked({lock_strength::share, lock_wait::skip_locked}), base + " FOR SHARE SKIP LOCKED");
  EXPECT_EQ(locked({lock_strength::key_share}), base + " FOR KEY SHARE");
  // OF names a FROM item as the query does: an aliased table by its alias.
  EXPECT_EQ(locked({lock_strength::update, lock_wait::wait, {users, table("posts", "p")}}),
            base + " FOR UPDATE OF \"users\", \"p\"");
  EXPECT_THROW(locked({lock_strength::update, lock_wait::wait, {nullptr}}), relate::usage_error);
  // Each lock is its own shape in the statement cache: no lock's SQL is served for another.
  EXPECT_EQ(d.compile(*make([] {
               select_stmt s;
               s.from = {table("users")};
               s.lock = {lock_strength::update, lock_wait::skip_locked};
               return s;
             }()))
                .sql,
            "SELECT * FROM \"users\" FOR UPDATE SKIP LOCKED");
  // Without the capability (SQLite) the clause is left out.
  d.caps.for_update = false;
  EXPECT_EQ(locked({lock_strength::update, lock_wait::nowait}), base);
}

TEST_F(sql_compiler_test, nulls_ordering_is_emulated_without_the_capability) {
  select_stmt s;
  s.from = {users};
  s.order_by = {{col(users, "a"), true, nulls_order::first}, {col(users, "b"), false, nulls_order::last}};
  auto n = make(std::move(s));
  EXPECT_EQ(sql(n),
            "SELECT * FROM \"users\" ORDER BY \"users\".\"a\" DESC NULLS FIRST, \"users\".\"b\" NULLS LAST");
  d.caps.nulls_ordering = false;
  EXPECT_EQ(sql(n),
            "SELECT * FROM \"users\" ORDER BY \"users\".\"a\" IS NULL DESC, \"users\".\"a\" DESC, "
            "\"users\".\"b\" IS "
            "NULL, \"users\".\"b\"");
}

TEST_F(sql_compiler_test, compound_selects_and_derived_tables) {
  select_stmt a;
  a.columns = {col(users, "id")};
  a.from = {users};
  select_stmt b = a;
  b.limit = 1;
  compound_select u;
  u.kind = compound_kind::union_all;
  u.selects = {make(a), make(b)};
  u.order_by = {{col(nullptr, "id"), false, nulls_order::unspecified}};
  auto c = compile(make(u));
  EXPECT_EQ(c.sql,
            "SELECT \"users\".\"id\" FROM \"users\" UNION ALL SELECT * FROM (SELECT \"users\".\"id\" FROM "
            "\"users\" LIMIT ?) AS \"anon\" ORDER BY \"id\"");
  EXPECT_EQ(c.params, (std::vector<value>{1}));
  u.kind = compound_kind::union_distinct;
  u.selects = {make(a), make(a)};
  u.order_by.clear();
  EXPECT_EQ(sql(make(u)),
            "SELECT \"users\".\"id\" FROM \"users\" UNION SELECT \"users\".\"id\" FROM \"users\"");
  select_stmt outer;
  outer.from = {n_derived_table(make(a), "sub")};
  EXPECT_EQ(sql(make(outer)), "SELECT * FROM (SELECT \"users\".\"id\" FROM \"users\") AS \"sub\"");
}

TEST_F(sql_compiler_test, insert_forms) {
  insert_stmt one;
  one.table = users;
  one.columns = {"name", "age"};
  one.rows = {{param("a"), param(1)}};
  auto c = compile(make(one));
  EXPECT_EQ(c.sql, "INSERT INTO \"users\" (\"name\", \"age\") VALUES (?, ?)");
  EXPECT_EQ(c.params, (std::vector<value>{"a", 1}));

  insert_stmt many = one;
  many.rows.push_back({param("b"), param(2)});
  c = compile(make(many));
  EXPECT_EQ(c.sql, "INSERT INTO \"users\" (\"name\", \"age\") VALUES (?, ?), (?, ?)");
  EXPECT_EQ(c.params, (std::vector<value>{"a", 1, "b", 2}));
  d.caps.multi_row_insert = false;
  EXPECT_THROW(compile(make(many)), relate::not_supported_error);

  insert_stmt defaults;
  defaults.table = users;
  EXPECT_EQ(sql(make(defaults)), "INSERT INTO \"users\" DEFAULT VALUES");

  insert_stmt from_select;
  from_select.table = table("archive");
  from_select.columns = {"name"};
  select_stmt s;
  s.columns = {col(users, "name")};
  s.from = {users};
  from_select.from_select = make(s);
  EXPECT_EQ(sql(make(from_select)),
            "INSERT INTO \"archive\" (\"name\") SELECT \"users\".\"name\" FROM \"users\"");

  insert_stmt wrong = one;
  wrong.rows = {{param("only one")}};
  EXPECT_THROW(compile(make(wrong)), relate::usage_error);
}

TEST_F(sql_compiler_test, returning_and_upsert_need_capabilities) {
  insert_stmt ins;
  ins.table = users;
  ins.columns = {"name"};
  ins.rows = {{param("a")}};
  ins.returning = {col(users, "id")};
  try {
    compile(make(ins));
    FAIL() << "RETURNING compiled without the capability";
  } catch (const relate::not_supported_error& e) {
    EXPECT_NE(std::string(e.what()).find("RETURNING"), std::string::npos) << e.what();
  }
  d.caps.returning = true;
  EXPECT_EQ(sql(make(ins)), "INSERT INTO \"users\" (\"name\") VALUES (?) RETURNING \"users\".\"id\"");

  ins.returning.clear();
  ins.upsert = on_conflict{{"name"}, {}};
  EXPECT_THROW(compile(make(ins)), relate::not_supported_error);
  d.caps.upsert = true;
  EXPECT_EQ(sql(make(ins)), "INSERT INTO \"users\" (\"name\") VALUES (?) ON CONFLICT (\"name\") DO NOTHING");
  ins.upsert = on_conflict{{"name"}, {{"age", param(3)}}};
  auto c = compile(make(ins));
  EXPECT_EQ(c.sql,
            "INSERT INTO \"users\" (\"name\") VALUES (?) ON CONFLICT (\"name\") DO UPDATE SET \"age\" = ?");
  EXPECT_EQ(c.params, (std::vector<value>{"a", 3}));
}

TEST_F(sql_compiler_test, update_and_delete) {
  update_stmt up;
  up.table = users;
  up.assignments = {{"name", param("x")}, {"age", binary(binary_operator::add, col(users, "age"), param(1))}};
  up.where = binary(binary_operator::eq, col(users, "id"), param(7));
  auto c = compile(make(up));
  EXPECT_EQ(c.sql,
            "UPDATE \"users\" SET \"name\" = ?, \"age\" = \"users\".\"age\" + ? WHERE \"users\".\"id\" = ?");
  EXPECT_EQ(c.params, (std::vector<value>{"x", 1, 7}));
  delete_stmt del;
  del.table = users;
  del.where = binary(binary_operator::lt, col(users, "age"), param(3));
  d.caps.returning = true;
  del.returning = {col(users, "id")};
  EXPECT_EQ(sql(make(del)), "DELETE FROM \"users\" WHERE \"users\".\"age\" < ? RETURNING \"users\".\"id\"");
  update_stmt empty;
  empty.table = users;
  EXPECT_THROW(compile(make(empty)), relate::usage_error);
}

TEST_F(sql_compiler_test, text_rewrites_named_placeholders) {
  relate::testing::numbered_dialect nd;
  text_clause t;
  t.sql =
      "SELECT ':skip', \"co:l\", x::text, y\\:z -- :c\n FROM t WHERE a = :a AND b = :b OR c = :a /* :b */";
  t.params = {{"b", 2}, {"a", "one"}};
  auto c = nd.compile(text_clause(t));
  EXPECT_EQ(
      c.sql,
      "SELECT ':skip', \"co:l\", x::text, y:z -- :c\n FROM t WHERE a = $1 AND b = $2 OR c = $3 /* :b */");
  EXPECT_EQ(c.params, (std::vector<value>{"one", 2, "one"}));
  t.sql = "SELECT :missing";
  EXPECT_THROW(nd.compile(t), relate::usage_error);
}

TEST_F(sql_compiler_test, unsupported_node_names_the_node) {
  struct no_case_compiler final : sql_compiler {
    using sql_compiler::sql_compiler;
    void visit(const case_expr&) override { unsupported("CASE expression"); }
  };
  no_case_compiler c(d);
  case_expr ce;
  ce.whens = {{param(true), param(1)}};
  try {
    c.compile(ce);
    FAIL();
  } catch (const relate::not_supported_error& e) {
    EXPECT_NE(std::string(e.what()).find("CASE expression"), std::string::npos) << e.what();
    EXPECT_EQ(e.driver(), "test");
  }
}

// ---- statement-shape cache --------------------------------------------------------

node_ptr query(std::int64_t id, std::vector<value> in, std::int64_t limit, std::string text_value) {
  auto users = table("users");
  select_stmt s;
  s.from = {users};
  std::vector<node_ptr> items;
  for (auto& v : in) items.push_back(param(v));
  s.where =
      binary(binary_operator::logical_and,
             binary(binary_operator::logical_and, binary(binary_operator::eq, col(users, "id"), param(id)),
                    n_in_list(col(users, "x"), items, false)),
             n_text_clause("name = :n OR nick = :n", {{"n", text_value}}));
  s.limit = limit;
  s.offset = limit * 2;
  return make(std::move(s));
}

TEST(sql_statement_cache, same_shape_reuses_sql_with_new_params) {
  test_dialect d;
  auto first = d.compile(*query(1, {10, 20}, 5, "a"));
  EXPECT_EQ(d.compilations, 1);
  auto second = d.compile(*query(2, {30, 40}, 7, "b"));
  EXPECT_EQ(d.compilations, 1) << "the second compile of the same shape ran the SQL compiler";
  EXPECT_EQ(second.sql, first.sql);
  EXPECT_EQ(second.params, (std::vector<value>{2, 30, 40, "b", "b", 7, 14}));
  // The fast path's params equal what the full compiler produces.
  EXPECT_EQ(second.params, d.make_compiler()->compile(*query(2, {30, 40}, 7, "b")).params);
  EXPECT_EQ(d.cache_stats().hits, 1u);
  EXPECT_EQ(d.cache_stats().misses, 1u);
}

TEST(sql_statement_cache, different_shapes_compile_separately) {
  test_dialect d;
  auto two = d.compile(*query(1, {10, 20}, 5, "a"));
  auto three = d.compile(*query(1, {10, 20, 30}, 5, "a"));
  auto empty = d.compile(*query(1, {}, 5, "a"));
  auto empty_again = d.compile(*query(9, {}, 6, "z"));
  EXPECT_EQ(d.compilations, 3);
  EXPECT_NE(two.sql, three.sql);
  EXPECT_EQ(empty.sql, empty_again.sql);
  EXPECT_EQ(empty_again.params, (std::vector<value>{9, "z", "z", 6, 12}));
  // A NULL in place of a value is another shape (dialects may spell it differently).
  d.compile(*query(1, {relate::null, 20}, 5, "a"));
  EXPECT_EQ(d.compilations, 4);
  // Identifiers are part of the shape, whatever their hash.
  d.compile(*binary(binary_operator::eq, col(table("a"), "b"), param(1)));
  auto other = d.compile(*binary(binary_operator::eq, col(table("a"), "c"), param(1)));
  EXPECT_EQ(other.sql, "\"a\".\"c\" = ?");
}

TEST(sql_statement_cache, shared_subtrees_and_foreign_binds_stay_correct) {
  test_dialect d;
  // One bind node used twice: its mapping is ambiguous, so it is not stored,
  // but a later tree with two distinct values of the same shape compiles right.
  auto shared = param(1);
  auto twice = binary(binary_operator::lt, shared, shared);
  EXPECT_EQ(d.compile(*twice).params, (std::vector<value>{1, 1}));
  auto distinct = d.compile(*binary(binary_operator::lt, param(1), param(2)));
  EXPECT_EQ(distinct.params, (std::vector<value>{1, 2}));
  auto again = d.compile(*binary(binary_operator::lt, param(3), param(4)));
  EXPECT_EQ(again.params, (std::vector<value>{3, 4}));
}

TEST(sql_statement_cache, offset_without_limit_binds_a_constant_limit) {
  test_dialect d;
  auto paged = [](std::int64_t offset) {
    select_stmt s;
    s.from = {table("t")};
    s.offset = offset;
    return make(std::move(s));
  };
  constexpr auto no_limit = std::numeric_limits<std::int64_t>::max();
  auto first = d.compile(*paged(5));
  EXPECT_EQ(first.sql, "SELECT * FROM \"t\" LIMIT ? OFFSET ?");
  EXPECT_EQ(first.params, (std::vector<value>{no_limit, 5}));
  auto second = d.compile(*paged(8));
  EXPECT_EQ(d.compilations, 1);
  EXPECT_EQ(second.params, (std::vector<value>{no_limit, 8}));
}

TEST(sql_statement_cache, keyed_statements_are_built_once_and_share_the_cache) {
  test_dialect d;
  int builds = 0;
  auto build = [&] {
    ++builds;
    return binary(binary_operator::eq, col(table("t"), "id"), param(relate::null));
  };
  auto first = d.compile_keyed("t:by-id", build);
  auto second = d.compile_keyed("t:by-id", build);
  EXPECT_EQ(builds, 1) << "a cached key must not build its tree again";
  EXPECT_EQ(*first, "\"t\".\"id\" = ?");
  EXPECT_EQ(first.get(), second.get()) << "one cached text";
  EXPECT_EQ(d.cache_stats().hits, 1u);
  EXPECT_EQ(d.cache_stats().misses, 1u);
  // A shape compiled through compile() is another entry: the keys cannot meet.
  EXPECT_EQ(d.compile(*build()).sql, *first);
  EXPECT_EQ(d.cache_stats().entries, 2u);
  // Another key is another statement.
  auto other = d.compile_keyed("t:by-name",
                               [] { return binary(binary_operator::eq, col(table("t"), "name"), param(1)); });
  EXPECT_EQ(*other, "\"t\".\"name\" = ?");
  // Clearing the cache keeps texts already handed out alive, and builds again.
  d.clear_statement_cache();
  EXPECT_EQ(*first, "\"t\".\"id\" = ?");
  d.compile_keyed("t:by-id", build);
  EXPECT_EQ(builds, 3);  // (the compile() above built one too)
  // With no room in the cache the text still comes back, built every time.
  d.set_statement_cache_capacity(0);
  EXPECT_EQ(*d.compile_keyed("t:by-id", build), *first);
  EXPECT_EQ(*d.compile_keyed("t:by-id", build), *first);
  EXPECT_EQ(builds, 5);
}

TEST(sql_statement_cache, bounded_and_thread_safe) {
  test_dialect d;
  d.set_statement_cache_capacity(4);
  for (int i = 0; i < 10; ++i) d.compile(*col(table("t"), "c" + std::to_string(i)));
  EXPECT_EQ(d.cache_stats().entries, 4u);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&d, t] {
      for (int i = 0; i < 200; ++i) {
        auto c = d.compile(
            *binary(binary_operator::eq, col(table("t"), "c" + std::to_string(i % 6)), param(t * i)));
        ASSERT_EQ(c.params, (std::vector<value>{t * i}));
        ASSERT_EQ(c.sql, "\"t\".\"c" + std::to_string(i % 6) + "\" = ?");
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(d.cache_stats().entries, 4u);
}

}  // namespace
