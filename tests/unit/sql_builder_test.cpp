// SPDX-License-Identifier: MIT
// The typed builders (expression.hpp, statements.hpp): for every operator,
// function and statement, the SQL the generic compiler produces from them
// and the parameters, in placeholder order.
#include "sql_test_dialect.hpp"

#include <relate/error.hpp>
#include <relate/sql/statements.hpp>

#include <gtest/gtest.h>

#include <optional>

namespace {

using namespace relate::sql;
using relate::value;
using values = std::vector<value>;

class sql_builder_test : public ::testing::Test {
 protected:
  relate::testing::test_dialect d;
  table_ptr users = table("users");
  table_ptr posts = table("posts");
  column<std::int64_t> id{users, "id"};
  column<std::string> name{users, "name"};
  column<std::optional<std::int32_t>> age{users, "age"};
  column<double> score{users, "score"};
  column<bool> active{users, "active"};
  column<relate::timestamp> created{users, "created"};
  column<std::int64_t> post_id{posts, "id"};
  column<std::optional<std::int64_t>> post_user{posts, "user_id"};
  column<std::string> title{posts, "title"};

  template <class X>
  compiled_statement compile(const X& x) {
    return d.make_compiler()->compile(*x.node());
  }
  template <class X>
  std::string sql(const X& x) {
    return compile(x).sql;
  }
};

TEST_F(sql_builder_test, comparisons_bind_values) {
  auto c = compile(name == "John");
  EXPECT_EQ(c.sql, "\"users\".\"name\" = ?");
  EXPECT_EQ(c.params, values{"John"});
  EXPECT_EQ(sql(id != 1), "\"users\".\"id\" <> ?");
  EXPECT_EQ(sql(id < 1), "\"users\".\"id\" < ?");
  EXPECT_EQ(sql(id <= 1), "\"users\".\"id\" <= ?");
  EXPECT_EQ(sql(id > 1), "\"users\".\"id\" > ?");
  EXPECT_EQ(sql(id >= 1), "\"users\".\"id\" >= ?");
  EXPECT_EQ(sql(1 < id), "? < \"users\".\"id\"");
  EXPECT_EQ(sql(id == post_user), "\"users\".\"id\" = \"posts\".\"user_id\"");
  EXPECT_EQ(sql(score > 1), "\"users\".\"score\" > ?");  // integer literal against a double column
  EXPECT_EQ(sql(age == std::int64_t{3}), "\"users\".\"age\" = ?");
  EXPECT_EQ(sql(name == std::string_view("x")), "\"users\".\"name\" = ?");
  EXPECT_EQ(sql(active == true), "\"users\".\"active\" = ?");
  auto now = relate::timestamp{std::chrono::microseconds{1'700'000'000'000'000}};
  EXPECT_EQ(compile(created < now).params, values{now});
  EXPECT_EQ(sql(is_distinct_from(age, 3)), "\"users\".\"age\" IS DISTINCT FROM ?");
  EXPECT_EQ(sql(is_not_distinct_from(age, post_user)),
            "\"users\".\"age\" IS NOT DISTINCT FROM \"posts\".\"user_id\"");
}

TEST_F(sql_builder_test, null_comparisons_become_is_null) {
  EXPECT_EQ(sql(age == std::nullopt), "\"users\".\"age\" IS NULL");
  EXPECT_EQ(sql(age != relate::null), "\"users\".\"age\" IS NOT NULL");
  std::optional<std::int32_t> none;
  std::optional<std::int32_t> some = 4;
  EXPECT_EQ(sql(age == none), "\"users\".\"age\" IS NULL");
  auto c = compile(age == some);
  EXPECT_EQ(c.sql, "\"users\".\"age\" = ?");
  EXPECT_EQ(c.params, values{4});
  EXPECT_EQ(sql(age.is_null()), "\"users\".\"age\" IS NULL");
  EXPECT_EQ(sql(age.is_not_null()), "\"users\".\"age\" IS NOT NULL");
}

TEST_F(sql_builder_test, logical_operators_and_parentheses) {
  auto c = compile((id == 1 || id == 2) && !(name == "x"));
  EXPECT_EQ(c.sql, "(\"users\".\"id\" = ? OR \"users\".\"id\" = ?) AND NOT (\"users\".\"name\" = ?)");
  EXPECT_EQ(c.params, (values{1, 2, "x"}));
  EXPECT_EQ(sql(id == 1 || (id == 2 && active)),
            "\"users\".\"id\" = ? OR \"users\".\"id\" = ? AND \"users\".\"active\"");
  EXPECT_EQ(sql(active && true), "\"users\".\"active\" AND ?");
  EXPECT_EQ(sql(!active), "NOT \"users\".\"active\"");
}

TEST_F(sql_builder_test, arithmetic_and_concatenation) {
  auto c = compile((id + 1) * 2 - score / 4 > 10);
  EXPECT_EQ(c.sql, "(\"users\".\"id\" + ?) * ? - \"users\".\"score\" / ? > ?");
  EXPECT_EQ(c.params, (values{1, 2, 4, 10}));
  EXPECT_EQ(sql(id % 3 == 0), "\"users\".\"id\" % ? = ?");
  EXPECT_EQ(sql(-id), "-\"users\".\"id\"");
  EXPECT_EQ(sql(name + " " + title), "\"users\".\"name\" || ? || \"posts\".\"title\"");
  EXPECT_EQ(sql(concat(name, "!")), "\"users\".\"name\" || ?");
  static_assert(std::is_same_v<decltype(id + 1)::value_type, std::int64_t>);
  static_assert(std::is_same_v<decltype(id + 1.5)::value_type, double>);
  static_assert(std::is_same_v<decltype(age + 1)::value_type, std::optional<std::int64_t>>);
}

TEST_F(sql_builder_test, like_family_and_escaping) {
  EXPECT_EQ(sql(name.like("J%")), "\"users\".\"name\" LIKE ?");
  EXPECT_EQ(sql(name.like("J!%%", '!')), "\"users\".\"name\" LIKE ? ESCAPE '!'");
  EXPECT_EQ(sql(name.not_like("J%")), "\"users\".\"name\" NOT LIKE ?");
  EXPECT_EQ(sql(name.ilike("j%")), "lower(\"users\".\"name\") LIKE lower(?)");
  EXPECT_EQ(sql(name.not_ilike("j%")), "lower(\"users\".\"name\") NOT LIKE lower(?)");
  auto literal = compile(name.like_literal("100%_a\\b"));
  EXPECT_EQ(literal.sql, "\"users\".\"name\" LIKE ? ESCAPE '\\'");
  EXPECT_EQ(literal.params, values{"100\\%\\_a\\\\b"});
  EXPECT_EQ(compile(name.contains("5%")).params, values{"%5\\%%"});
  EXPECT_EQ(compile(name.startswith("a_")).params, values{"a\\_%"});
  EXPECT_EQ(compile(name.endswith("z")).params, values{"%z"});
}

TEST_F(sql_builder_test, in_between_and_empty_in) {
  auto c = compile(id.in_({1, 2, 3}));
  EXPECT_EQ(c.sql, "\"users\".\"id\" IN (?, ?, ?)");
  EXPECT_EQ(c.params, (values{1, 2, 3}));
  std::vector<std::string> names{"a", "b"};
  EXPECT_EQ(compile(name.not_in(names)).sql, "\"users\".\"name\" NOT IN (?, ?)");
  EXPECT_EQ(sql(id.in_({})), "1 != 1");
  EXPECT_EQ(sql(id.not_in(std::vector<std::int64_t>{})), "1 = 1");
  EXPECT_EQ(sql(id.in_(select(post_user))),
            "\"users\".\"id\" IN (SELECT \"posts\".\"user_id\" FROM \"posts\")");
  EXPECT_EQ(sql(id.not_in(select(post_user))),
            "\"users\".\"id\" NOT IN (SELECT \"posts\".\"user_id\" FROM \"posts\")");
  auto b = compile(age.between(18, 65));
  EXPECT_EQ(b.sql, "\"users\".\"age\" BETWEEN ? AND ?");
  EXPECT_EQ(b.params, (values{18, 65}));
  EXPECT_EQ(sql(age.not_between(1, id)), "\"users\".\"age\" NOT BETWEEN ? AND \"users\".\"id\"");
}

TEST_F(sql_builder_test, functions_case_cast_labels) {
  EXPECT_EQ(sql(count()), "count(*)");
  EXPECT_EQ(sql(count(age)), "count(\"users\".\"age\")");
  EXPECT_EQ(sql(count_distinct(name)), "count(DISTINCT \"users\".\"name\")");
  EXPECT_EQ(sql(sum(score)), "sum(\"users\".\"score\")");
  EXPECT_EQ(sql(avg(id)), "avg(\"users\".\"id\")");
  EXPECT_EQ(sql(min(name)), "min(\"users\".\"name\")");
  EXPECT_EQ(sql(max(created)), "max(\"users\".\"created\")");
  EXPECT_EQ(sql(lower(name) == upper(title)), "lower(\"users\".\"name\") = upper(\"posts\".\"title\")");
  auto co = compile(coalesce(age, 0));
  EXPECT_EQ(co.sql, "coalesce(\"users\".\"age\", ?)");
  EXPECT_EQ(co.params, values{0});
  static_assert(std::is_same_v<decltype(coalesce(age, 0))::value_type, std::int32_t>);
  static_assert(std::is_same_v<decltype(sum(id))::value_type, std::optional<std::int64_t>>);
  EXPECT_EQ(sql(func<double>("round", score, 2)), "round(\"users\".\"score\", ?)");
  auto cs = compile(case_().when(age < 18, "minor").when(age < 65, "adult").otherwise("senior"));
  EXPECT_EQ(cs.sql, "CASE WHEN \"users\".\"age\" < ? THEN ? WHEN \"users\".\"age\" < ? THEN ? ELSE ? END");
  EXPECT_EQ(cs.params, (values{18, "minor", 65, "adult", "senior"}));
  EXPECT_EQ(sql(case_().when(active, id).end()), "CASE WHEN \"users\".\"active\" THEN \"users\".\"id\" END");
  EXPECT_EQ(sql(cast<std::string>(id)), "CAST(\"users\".\"id\" AS TEXT)");
  EXPECT_EQ(sql(cast<double>(id) / 2), "CAST(\"users\".\"id\" AS DOUBLE PRECISION) / ?");
  EXPECT_EQ(sql(count().label("n")), "count(*) AS \"n\"");
  EXPECT_EQ(sql(literal(5)), "?");
}

TEST_F(sql_builder_test, typed_functions_spell_the_standard_and_type_their_results) {
  EXPECT_EQ(sql(abs(age)), "abs(\"users\".\"age\")");
  static_assert(std::is_same_v<decltype(abs(age))::value_type, std::optional<std::int32_t>>);
  static_assert(std::is_same_v<decltype(abs(score))::value_type, double>);
  // PostgreSQL has round(numeric, integer) only.
  auto r = compile(round(score, 2));
  EXPECT_EQ(r.sql, "CAST(round(CAST(\"users\".\"score\" AS NUMERIC), ?) AS DOUBLE PRECISION)");
  EXPECT_EQ(r.params, values{2});
  static_assert(std::is_same_v<decltype(round(score, 2))::value_type, double>);
  static_assert(std::is_same_v<decltype(round(age))::value_type, std::optional<double>>);
  EXPECT_THROW((void)round(score, -1), relate::usage_error);
  EXPECT_EQ(sql(length(name)), "length(\"users\".\"name\")");
  static_assert(std::is_same_v<decltype(length(name))::value_type, std::int64_t>);
  static_assert(std::is_same_v<decltype(length(as_optional(name)))::value_type, std::optional<std::int64_t>>);
  EXPECT_EQ(sql(created < now()), "\"users\".\"created\" < CURRENT_TIMESTAMP");
  static_assert(std::is_same_v<decltype(now())::value_type, relate::timestamp>);
  EXPECT_EQ(sql(extract(datetime_field::year, created)),
            "CAST(EXTRACT(YEAR FROM \"users\".\"created\") AS BIGINT)");
  EXPECT_EQ(sql(extract(datetime_field::second, created)),
            "CAST(floor(EXTRACT(SECOND FROM \"users\".\"created\")) AS BIGINT)");
  static_assert(std::is_same_v<decltype(extract(datetime_field::day, created))::value_type, std::int64_t>);
  // PostgreSQL has no hour of a DATE: it is taken of the date as a timestamp (midnight).
  column<relate::date> born(users, "born");
  EXPECT_EQ(sql(extract(datetime_field::hour, born)),
            "CAST(EXTRACT(HOUR FROM CAST(\"users\".\"born\" AS TIMESTAMP)) AS BIGINT)");
  EXPECT_EQ(sql(extract(datetime_field::day, born)), "CAST(EXTRACT(DAY FROM \"users\".\"born\") AS BIGINT)");
  static_assert(std::is_same_v<decltype(extract(datetime_field::day, as_optional(created)))::value_type,
                               std::optional<std::int64_t>>);
  auto c = compile(concat(name, " / ", title));
  EXPECT_EQ(c.sql, "\"users\".\"name\" || ? || \"posts\".\"title\"");
  EXPECT_EQ(c.params, values{" / "});
  static_assert(std::is_same_v<decltype(concat(name, as_optional(title), "!"))::value_type,
                               std::optional<std::string>>);
  EXPECT_EQ(sql(as_optional(name)), "\"users\".\"name\"");
  // The part extracted is part of a statement's shape: two parts, two statements.
  EXPECT_EQ(d.compile(*select(extract(datetime_field::month, created)).node()).sql,
            "SELECT CAST(EXTRACT(MONTH FROM \"users\".\"created\") AS BIGINT) FROM \"users\"");
  EXPECT_EQ(d.compile(*select(extract(datetime_field::day, created)).node()).sql,
            "SELECT CAST(EXTRACT(DAY FROM \"users\".\"created\") AS BIGINT) FROM \"users\"");
}

TEST_F(sql_builder_test, select_with_joins_grouping_ordering) {
  auto u = alias(users, "u");
  column<std::int64_t> uid(u, "id");
  column<std::string> uname(u, "name");
  auto n = count(post_id).label("n");
  auto q = select(uname, n)
               .left_join(posts, post_user == uid)
               .where(uname.like("J%"))
               .where(uid > 3)
               .group_by(uname)
               .having(count(post_id) > 1)
               .order_by(n.desc(), asc(uname).nulls_last(), uid)
               .limit(10)
               .offset(5)
               .distinct();
  auto c = compile(q);
  EXPECT_EQ(
      c.sql,
      "SELECT DISTINCT \"u\".\"name\", count(\"posts\".\"id\") AS \"n\" FROM \"users\" AS \"u\" LEFT OUTER "
      "JOIN "
      "\"posts\" ON \"posts\".\"user_id\" = \"u\".\"id\" WHERE \"u\".\"name\" LIKE ? AND \"u\".\"id\" > ? "
      "GROUP "
      "BY \"u\".\"name\" HAVING count(\"posts\".\"id\") > ? ORDER BY \"n\" DESC, \"u\".\"name\" NULLS LAST, "
      "\"u\".\"id\" LIMIT ? OFFSET ?");
  EXPECT_EQ(c.params, (values{"J%", 3, 1, 10, 5}));
  // Builders are immutable: q's base is unchanged by refining it.
  auto base = select(name).from(users);
  auto refined = base.where(id == 1);
  EXPECT_EQ(sql(base), "SELECT \"users\".\"name\" FROM \"users\"");
  EXPECT_EQ(sql(refined), "SELECT \"users\".\"name\" FROM \"users\" WHERE \"users\".\"id\" = ?");
}

TEST_F(sql_builder_test, select_star_from_inference_and_for_update) {
  EXPECT_EQ(sql(select().from(users)), "SELECT * FROM \"users\"");
  EXPECT_EQ(sql(select(all_columns(users)).from(users)), "SELECT \"users\".* FROM \"users\"");
  EXPECT_EQ(sql(select(name, title)),
            "SELECT \"users\".\"name\", \"posts\".\"title\" FROM \"users\", \"posts\"");
  EXPECT_EQ(sql(select(name, title).join(posts, post_user == id)),
            "SELECT \"users\".\"name\", \"posts\".\"title\" FROM \"users\" JOIN \"posts\" ON "
            "\"posts\".\"user_id\" = "
            "\"users\".\"id\"");
  EXPECT_EQ(sql(select(name).for_update()), "SELECT \"users\".\"name\" FROM \"users\"");
  d.caps.for_update = true;
  EXPECT_EQ(sql(select(name).for_update()), "SELECT \"users\".\"name\" FROM \"users\" FOR UPDATE");
  EXPECT_THROW(select(name).limit(-1), relate::usage_error);
}

TEST_F(sql_builder_test, subqueries_exists_and_scalar) {
  // The subquery's WHERE names users: it correlates with the outer query
  // instead of adding users to its own FROM.
  auto has_posts = exists(select(post_id).where(post_user == id));
  EXPECT_EQ(
      sql(select(name).where(has_posts)),
      "SELECT \"users\".\"name\" FROM \"users\" WHERE EXISTS (SELECT \"posts\".\"id\" FROM \"posts\" WHERE "
      "\"posts\".\"user_id\" = \"users\".\"id\")");
  EXPECT_EQ(sql(not_exists(select(post_id))), "NOT EXISTS (SELECT \"posts\".\"id\" FROM \"posts\")");
  auto post_count = select(count()).from(posts).where(post_user == id).scalar<std::int64_t>();
  auto c = compile(select(name, post_count.label("posts")).where(post_count > 2));
  EXPECT_EQ(c.sql,
            "SELECT \"users\".\"name\", (SELECT count(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = "
            "\"users\".\"id\") "
            "AS \"posts\" FROM \"users\" WHERE (SELECT count(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = "
            "\"users\".\"id\") > ?");
  EXPECT_EQ(c.params, values{2});
  auto sub = select(post_user, count().label("n")).group_by(post_user).subquery("per_user");
  auto n = sub.c<std::int64_t>("n");
  auto per_user = sub.c<std::optional<std::int64_t>>("user_id");
  EXPECT_EQ(
      sql(select(name, n).join(sub, per_user == id).where(n >= 3)),
      "SELECT \"users\".\"name\", \"per_user\".\"n\" FROM \"users\" JOIN (SELECT \"posts\".\"user_id\", "
      "count(*) "
      "AS \"n\" FROM \"posts\" GROUP BY \"posts\".\"user_id\") AS \"per_user\" ON \"per_user\".\"user_id\" = "
      "\"users\".\"id\" WHERE \"per_user\".\"n\" >= ?");
}

TEST_F(sql_builder_test, unions) {
  auto a = select(name).where(id < 5);
  auto b = select(title.label("name"));
  auto c = compile(union_(a, b).order_by(column<std::string>(nullptr, "name")).limit(3));
  EXPECT_EQ(c.sql,
            "SELECT \"users\".\"name\" FROM \"users\" WHERE \"users\".\"id\" < ? UNION SELECT "
            "\"posts\".\"title\" AS "
            "\"name\" FROM \"posts\" ORDER BY \"name\" LIMIT ?");
  EXPECT_EQ(c.params, (values{5, 3}));
  EXPECT_EQ(sql(union_all(a, b, a)).find(" UNION ALL ") != std::string::npos, true);
  EXPECT_EQ(sql(intersect(a, b)).find(" INTERSECT ") != std::string::npos, true);
  EXPECT_EQ(sql(except_(a, b)).find(" EXCEPT ") != std::string::npos, true);
}

TEST_F(sql_builder_test, insert_statements) {
  auto one = compile(insert(users).value(name, "John").value(age, 30));
  EXPECT_EQ(one.sql, "INSERT INTO \"users\" (\"name\", \"age\") VALUES (?, ?)");
  EXPECT_EQ(one.params, (values{"John", 30}));
  auto many = compile(insert(users).columns(name, age).values("a", 1).values("b", std::nullopt));
  EXPECT_EQ(many.sql, "INSERT INTO \"users\" (\"name\", \"age\") VALUES (?, ?), (?, ?)");
  EXPECT_EQ(many.params, (values{"a", 1, "b", relate::null}));
  EXPECT_EQ(sql(insert(users)), "INSERT INTO \"users\" DEFAULT VALUES");
  EXPECT_EQ(sql(insert(posts).columns(title).from_select(select(name).where(active))),
            "INSERT INTO \"posts\" (\"title\") SELECT \"users\".\"name\" FROM \"users\" WHERE "
            "\"users\".\"active\"");
  auto returning = insert(users).value(name, "x").returning(id);
  EXPECT_THROW(compile(returning), relate::not_supported_error);
  d.caps.returning = true;
  d.caps.upsert = true;
  EXPECT_EQ(sql(returning), "INSERT INTO \"users\" (\"name\") VALUES (?) RETURNING \"users\".\"id\"");
  EXPECT_EQ(sql(insert(users).value(id, 1).value(name, "x").on_conflict_do_nothing(id)),
            "INSERT INTO \"users\" (\"id\", \"name\") VALUES (?, ?) ON CONFLICT (\"id\") DO NOTHING");
  EXPECT_EQ(
      sql(insert(users).value(id, 1).value(name, "x").on_conflict_do_update(id).on_conflict_set(
          name, excluded(name))),
      "INSERT INTO \"users\" (\"id\", \"name\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"name\" = "
      "\"excluded\".\"name\"");
}

TEST_F(sql_builder_test, update_and_delete_statements) {
  auto up = compile(update(users).set(name, "x").set(age, age + 1).where(id == 3).where(active));
  EXPECT_EQ(
      up.sql,
      "UPDATE \"users\" SET \"name\" = ?, \"age\" = \"users\".\"age\" + ? WHERE \"users\".\"id\" = ? AND "
      "\"users\".\"active\"");
  EXPECT_EQ(up.params, (values{"x", 1, 3}));
  EXPECT_EQ(sql(update(users).set(age, std::nullopt)), "UPDATE \"users\" SET \"age\" = ?");
  auto del = compile(delete_from(users).where(id.in_({4, 5})));
  EXPECT_EQ(del.sql, "DELETE FROM \"users\" WHERE \"users\".\"id\" IN (?, ?)");
  EXPECT_EQ(del.params, (values{4, 5}));
  d.caps.returning = true;
  EXPECT_EQ(sql(delete_from(users).returning(id, name)),
            "DELETE FROM \"users\" RETURNING \"users\".\"id\", \"users\".\"name\"");
  EXPECT_EQ(sql(update(users).set(active, false).returning(id)),
            "UPDATE \"users\" SET \"active\" = ? RETURNING \"users\".\"id\"");
}

TEST_F(sql_builder_test, text_clauses) {
  auto t = text("price * :rate > :limit").bind("rate", 1.5).bind("limit", 100).bind("rate", 2.0);
  auto c = compile(select(name).where(t.as<bool>() && active));
  EXPECT_EQ(c.sql, "SELECT \"users\".\"name\" FROM \"users\" WHERE (price * ? > ?) AND \"users\".\"active\"");
  EXPECT_EQ(c.params, (values{2.0, 100}));
  EXPECT_EQ(sql(select(name).where(text("1 = 1"))), "SELECT \"users\".\"name\" FROM \"users\" WHERE 1 = 1");
  EXPECT_EQ(compile(text("SELECT :a, ':a', :a::text").bind("a", "v")).params, (values{"v", "v"}));
}

TEST_F(sql_builder_test, hostile_identifiers_are_quoted) {
  auto evil = table("us\"ers; DROP TABLE x; --");
  column<std::string> col(evil, "na\"me");
  EXPECT_EQ(sql(select(col.label("l\"abel")).where(col == "v")),
            "SELECT \"us\"\"ers; DROP TABLE x; --\".\"na\"\"me\" AS \"l\"\"abel\" FROM \"us\"\"ers; DROP "
            "TABLE x; --\" "
            "WHERE \"us\"\"ers; DROP TABLE x; --\".\"na\"\"me\" = ?");
}

TEST_F(sql_builder_test, same_shape_compiles_once_through_the_dialect) {
  auto query = [&](std::int64_t min_id, std::vector<std::string> in, std::int64_t n) {
    return select(name).where(id > min_id && name.in_(in)).limit(n);
  };
  auto first = d.compile(*query(1, {"a", "b"}, 5).node());
  auto second = d.compile(*query(7, {"c", "d"}, 9).node());
  EXPECT_EQ(d.compilations, 1);
  EXPECT_EQ(first.sql, second.sql);
  EXPECT_EQ(second.params, (values{7, "c", "d", 9}));
}

}  // namespace
