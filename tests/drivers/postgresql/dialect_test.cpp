// SPDX-License-Identifier: MIT
// The SQL the PostgreSQL dialect writes, checked without a database: "$n"
// placeholders, type names, literals for DDL defaults, and the capabilities
// through which the generic compiler writes ILIKE, FOR UPDATE, RETURNING,
// ON CONFLICT and identity columns.
#include "pg_dialect.hpp"

#include <relate/sql/ast.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/expression.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace relate::postgresql {
namespace {

using sql::sql_type;
using sql::type_kind;

std::shared_ptr<sql::table_ref> table(std::string name) {
  auto t = std::make_shared<sql::table_ref>();
  t->name = std::move(name);
  return t;
}

std::shared_ptr<sql::column_ref> column(const sql::table_ptr& t, std::string name) {
  auto c = std::make_shared<sql::column_ref>();
  c->table = t;
  c->name = std::move(name);
  return c;
}

std::shared_ptr<sql::bind_param> param(value v) {
  auto p = std::make_shared<sql::bind_param>();
  p->value = std::move(v);
  return p;
}

TEST(postgresql_dialect, placeholders_are_numbered) {
  pg_dialect d;
  EXPECT_EQ(d.name(), "postgresql");
  EXPECT_EQ(d.placeholder(1), "$1");
  EXPECT_EQ(d.placeholder(65535), "$65535");
}

TEST(postgresql_dialect, identifiers_are_double_quoted) {
  pg_dialect d;
  EXPECT_EQ(d.quote_identifier("User"), "\"User\"");
  EXPECT_EQ(d.quote_identifier("a\"b"), "\"a\"\"b\"");
}

TEST(postgresql_dialect, type_names) {
  pg_dialect d;
  EXPECT_EQ(d.type_name({type_kind::boolean}), "BOOLEAN");
  EXPECT_EQ(d.type_name({type_kind::small_integer}), "SMALLINT");
  EXPECT_EQ(d.type_name({type_kind::integer}), "INTEGER");
  EXPECT_EQ(d.type_name({type_kind::big_integer}), "BIGINT");
  EXPECT_EQ(d.type_name({type_kind::real}), "DOUBLE PRECISION");
  EXPECT_EQ(d.type_name({type_kind::numeric}), "NUMERIC");
  EXPECT_EQ(d.type_name({.kind = type_kind::numeric, .precision = 10, .scale = 2}), "NUMERIC(10, 2)");
  EXPECT_EQ(d.type_name({type_kind::text}), "TEXT");
  EXPECT_EQ(d.type_name({.kind = type_kind::text, .length = 40}), "VARCHAR(40)");
  EXPECT_EQ(d.type_name({type_kind::blob}), "BYTEA");
  EXPECT_EQ(d.type_name({type_kind::timestamp}), "TIMESTAMP WITHOUT TIME ZONE");
  EXPECT_EQ(d.type_name({type_kind::timestamp_tz}), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(d.type_name({type_kind::date}), "DATE");
}

TEST(postgresql_dialect, native_types_for_uuid_json_enums_and_arrays) {
  const pg_dialect d;
  EXPECT_EQ(d.type_name({type_kind::uuid}), "UUID");
  EXPECT_EQ(d.type_name({type_kind::json}), "JSONB");
  EXPECT_EQ(d.type_name({type_kind::time}), "TIME");
  EXPECT_EQ(d.type_name({type_kind::interval}), "INTERVAL");
  const auto& mood = sql::intern_enum_type("Mood", {"happy", "sad"});
  EXPECT_EQ(d.type_name({.kind = type_kind::enumeration, .enumeration = &mood}), "\"Mood\"");
  EXPECT_EQ(d.type_name({.kind = type_kind::array, .element = type_kind::big_integer}), "BIGINT[]");
  EXPECT_EQ(d.type_name({.kind = type_kind::array, .element = type_kind::enumeration, .enumeration = &mood}),
            "\"Mood\"[]");
  EXPECT_EQ(d.create_enum_type(mood), "CREATE TYPE \"Mood\" AS ENUM ('happy', 'sad')");
  EXPECT_EQ(d.drop_enum_type(mood, true), "DROP TYPE IF EXISTS \"Mood\"");
  sql::column_def c;
  c.name = "m";
  c.type = {.kind = type_kind::enumeration, .enumeration = &mood};
  EXPECT_FALSE(d.type_check(c)) << "the type itself holds the labels";
}

TEST(postgresql_dialect, json_paths_bind_keys_and_indexes) {
  const pg_dialect d;
  auto data = column(table("docs"), "data");
  auto path = sql::detail::make_json_step(sql::detail::make_json_step(data, value("a")), value(0));
  EXPECT_EQ(d.compile(*sql::detail::make_json_text(path)).sql, "(\"docs\".\"data\" -> $1 ->> $2)");
  EXPECT_EQ(d.compile(*path).sql, "(\"docs\".\"data\" -> $1 -> $2)");
  EXPECT_EQ(
      d.compile(*sql::detail::make_cast(sql::detail::make_json_text(path), {type_kind::big_integer})).sql,
      "CAST((\"docs\".\"data\" -> $1 ->> $2) AS BIGINT)");
}

TEST(postgresql_dialect, capabilities) {
  const auto& caps = pg_dialect().capabilities();
  EXPECT_TRUE(caps.returning);
  EXPECT_TRUE(caps.upsert);
  EXPECT_TRUE(caps.native_ilike);
  EXPECT_TRUE(caps.nulls_ordering);
  EXPECT_TRUE(caps.for_update);
  EXPECT_TRUE(caps.native_boolean);
  EXPECT_TRUE(caps.transactional_ddl);
  EXPECT_TRUE(caps.savepoints);
  EXPECT_EQ(caps.max_parameters, 65535u);
}

TEST(postgresql_dialect, literals_for_ddl_defaults) {
  pg_dialect d;
  EXPECT_EQ(d.render_literal(true), "TRUE");
  EXPECT_EQ(d.render_literal(std::int64_t{-3}), "-3");
  EXPECT_EQ(d.render_literal("it's"), "'it''s'");
  // X'..' would be a bit string in PostgreSQL.
  EXPECT_EQ(d.render_literal(blob{std::byte{0}, std::byte{0xab}}), "'\\x00ab'::bytea");
  EXPECT_EQ(d.render_literal(std::numeric_limits<double>::quiet_NaN()), "'NaN'::double precision");
  EXPECT_EQ(d.render_literal(-std::numeric_limits<double>::infinity()), "'-Infinity'::double precision");
}

TEST(postgresql_dialect, select_with_ilike_and_for_update) {
  pg_dialect d;
  auto users = table("users");
  auto like = std::make_shared<sql::like_op>();
  like->subject = column(users, "name");
  like->pattern = param("al%");
  like->case_insensitive = true;
  auto select = std::make_shared<sql::select_stmt>();
  select->columns = {column(users, "id")};
  select->from = {users};
  select->where = like;
  select->limit = 5;
  select->lock.strength = sql::lock_strength::update;
  const auto compiled = d.compile(*select);
  EXPECT_EQ(compiled.sql,
            "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"name\" ILIKE $1 LIMIT $2 FOR UPDATE");
  ASSERT_EQ(compiled.params.size(), 2u);
  EXPECT_EQ(compiled.params[0], value("al%"));
  EXPECT_EQ(compiled.params[1], value(5));
}

TEST(postgresql_dialect, round_goes_through_numeric_and_extract_is_a_whole_number) {
  pg_dialect d;
  auto events = sql::table("events");
  sql::column<timestamp> at(events, "at");
  sql::column<double> amount(events, "amount");
  const auto sql_of = [&](const auto& e) { return d.make_compiler()->compile(*e.node()).sql; };
  EXPECT_EQ(sql_of(sql::round(amount, 2)),
            "CAST(round(CAST(\"events\".\"amount\" AS NUMERIC), $1) AS DOUBLE PRECISION)");
  EXPECT_EQ(sql_of(sql::extract(sql::datetime_field::year, at)),
            "CAST(EXTRACT(YEAR FROM \"events\".\"at\") AS BIGINT)");
  EXPECT_EQ(sql_of(sql::extract(sql::datetime_field::second, at)),
            "CAST(floor(EXTRACT(SECOND FROM \"events\".\"at\")) AS BIGINT)");
  EXPECT_EQ(sql_of(sql::now()), "CURRENT_TIMESTAMP");
}

TEST(postgresql_dialect, upsert_with_returning) {
  pg_dialect d;
  auto insert = std::make_shared<sql::insert_stmt>();
  insert->table = table("counters");
  insert->columns = {"name", "hits"};
  insert->rows = {{param("home"), param(1)}};
  sql::on_conflict conflict;
  conflict.target_columns = {"name"};
  conflict.set = {{"hits", param(2)}};
  insert->upsert = conflict;
  insert->returning = {column(nullptr, "id")};
  const auto compiled = d.compile(*insert);
  EXPECT_NE(compiled.sql.find("INSERT INTO \"counters\" (\"name\", \"hits\") VALUES ($1, $2)"),
            std::string::npos)
      << compiled.sql;
  EXPECT_NE(compiled.sql.find("ON CONFLICT (\"name\") DO UPDATE SET \"hits\" = $3"), std::string::npos)
      << compiled.sql;
  EXPECT_NE(compiled.sql.find("RETURNING \"id\""), std::string::npos) << compiled.sql;
  EXPECT_EQ(compiled.params.size(), 3u);
}

TEST(postgresql_dialect, autoincrement_keys_are_identity_columns) {
  pg_dialect d;
  sql::table_def t;
  t.name = "users";
  sql::column_def id;
  id.name = "id";
  id.type = {type_kind::big_integer};
  id.nullable = false;
  id.primary_key = true;
  id.autoincrement = true;
  sql::column_def active;
  active.name = "active";
  active.type = {type_kind::boolean};
  active.server_default = value(true);
  t.columns = {id, active};
  const auto statements = d.create_table(t, false);
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_NE(statements[0].find("\"id\" BIGINT GENERATED BY DEFAULT AS IDENTITY"), std::string::npos)
      << statements[0];
  EXPECT_NE(statements[0].find("PRIMARY KEY (\"id\")"), std::string::npos) << statements[0];
  EXPECT_NE(statements[0].find("\"active\" BOOLEAN DEFAULT TRUE"), std::string::npos) << statements[0];
}

}  // namespace
}  // namespace relate::postgresql
