// SPDX-License-Identifier: MIT
// The SQL the SQLite dialect writes, checked without a database (label unit),
// plus the DDL run against SQLite where only SQLite can say whether it works
// (a rowid alias is a property of the created table, not of the text).
#include "sqlite_test_support.hpp"

#include <relate/sql/ast.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/expression.hpp>

#include <gtest/gtest.h>

#include <sqlite3.h>

namespace relate::sqlite {
namespace {

using sql::sql_type;
using sql::type_kind;

TEST(sqlite_dialect, placeholders_are_question_marks) {
  sqlite_dialect d;
  EXPECT_EQ(d.placeholder(1), "?");
  EXPECT_EQ(d.placeholder(7), "?");
  EXPECT_EQ(d.name(), "sqlite");
}

TEST(sqlite_dialect, identifiers_are_double_quoted_with_quotes_doubled) {
  sqlite_dialect d;
  EXPECT_EQ(d.quote_identifier("users"), "\"users\"");
  EXPECT_EQ(d.quote_identifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(d.quote_identifier("'; DROP TABLE users; --"), "\"'; DROP TABLE users; --\"");
}

TEST(sqlite_dialect, type_names_match_what_sqlalchemy_emits_for_sqlite) {
  sqlite_dialect d;
  EXPECT_EQ(d.type_name({type_kind::boolean}), "BOOLEAN");
  EXPECT_EQ(d.type_name({type_kind::small_integer}), "SMALLINT");
  EXPECT_EQ(d.type_name({type_kind::integer}), "INTEGER");
  EXPECT_EQ(d.type_name({type_kind::big_integer}), "BIGINT");
  EXPECT_EQ(d.type_name({type_kind::real}), "FLOAT");
  EXPECT_EQ(d.type_name({type_kind::numeric}), "NUMERIC");
  EXPECT_EQ(d.type_name({.kind = type_kind::numeric, .precision = 10, .scale = 2}), "NUMERIC(10, 2)");
  EXPECT_EQ(d.type_name({type_kind::text}), "TEXT");
  EXPECT_EQ(d.type_name({.kind = type_kind::text, .length = 40}), "VARCHAR(40)");
  EXPECT_EQ(d.type_name({type_kind::blob}), "BLOB");
  EXPECT_EQ(d.type_name({type_kind::timestamp}), "DATETIME");
  EXPECT_EQ(d.type_name({type_kind::timestamp_tz}), "DATETIME");
  EXPECT_EQ(d.type_name({type_kind::date}), "DATE");
}

TEST(sqlite_dialect, the_types_sqlite_lacks_are_stored_as_sqlalchemy_stores_them) {
  sqlite_dialect d;
  EXPECT_EQ(d.type_name({type_kind::uuid}), "CHAR(32)");
  EXPECT_EQ(d.type_name({type_kind::json}), "TEXT");
  EXPECT_EQ(d.type_name({type_kind::time}), "TIME");
  EXPECT_EQ(d.type_name({type_kind::interval}), "DATETIME");
  const auto& mood = sql::intern_enum_type("mood", {"happy", "melancholic"});
  EXPECT_EQ(d.type_name({.kind = type_kind::enumeration, .enumeration = &mood}), "VARCHAR(11)");
  EXPECT_THROW(d.type_name({.kind = type_kind::array, .element = type_kind::integer}), not_supported_error);
  EXPECT_FALSE(d.capabilities().arrays);
  EXPECT_FALSE(d.capabilities().native_enums);

  sql::column_def feeling;
  feeling.name = "feeling";
  feeling.type = {.kind = type_kind::enumeration, .enumeration = &mood};
  EXPECT_EQ(d.type_check(feeling), "\"feeling\" IN ('happy', 'melancholic')");
  sql::column_def doc;
  doc.name = "doc";
  doc.type = {type_kind::json};
  doc.nullable = false;
  EXPECT_EQ(d.type_check(doc), "json_valid(\"doc\")");
  doc.nullable = true;
  EXPECT_EQ(d.type_check(doc), "\"doc\" IS NULL OR json_valid(\"doc\")");
  sql::table_def t;
  t.name = "people";
  t.columns = {feeling, doc};
  const auto ddl = d.create_table(t, false).front();
  EXPECT_NE(ddl.find("CONSTRAINT \"ck_people_feeling\" CHECK (\"feeling\" IN ('happy', 'melancholic'))"),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find("CONSTRAINT \"ck_people_doc\" CHECK"), std::string::npos) << ddl;
  EXPECT_EQ(d.render_literal(value(std::chrono::seconds(90))), "'1970-01-01 00:01:30.000000'");
}

TEST(sqlite_dialect, json_keys_are_quoted_paths_and_indexes_stay_integers) {
  sqlite_dialect d;
  auto data = std::make_shared<sql::column_ref>();
  data->name = "data";
  auto path = sql::detail::make_json_step(sql::detail::make_json_step(data, value("a.b")), value(2));
  const auto compiled = d.compile(*sql::detail::make_json_text(path));
  EXPECT_EQ(compiled.sql, "(\"data\" -> ('$.\"' || ? || '\"') ->> ?)");
  ASSERT_EQ(compiled.params.size(), 2u);
  EXPECT_EQ(compiled.params[0], value("a.b"));
  EXPECT_EQ(compiled.params[1], value(2));
}

TEST(sqlite_dialect, capabilities_follow_the_library_version) {
  const sqlite_dialect old_library(3'031'001, 999);
  EXPECT_FALSE(old_library.capabilities().returning);
  EXPECT_TRUE(old_library.capabilities().nulls_ordering);
  EXPECT_EQ(old_library.capabilities().max_parameters, 999u);

  const sqlite_dialect older_library(3'028'000, 999);
  EXPECT_FALSE(older_library.capabilities().nulls_ordering);

  const sqlite_dialect new_library(3'040'001, 32766);
  const auto& caps = new_library.capabilities();
  EXPECT_TRUE(caps.returning);
  EXPECT_TRUE(caps.upsert);
  EXPECT_TRUE(caps.nulls_ordering);
  EXPECT_TRUE(caps.savepoints);
  EXPECT_FALSE(caps.native_ilike);
  EXPECT_FALSE(caps.for_update);
  EXPECT_FALSE(caps.native_boolean);
  EXPECT_EQ(caps.max_parameters, 32766u);
}

TEST(sqlite_dialect, default_capabilities_come_from_the_loaded_library) {
  sqlite_dialect d;
  EXPECT_EQ(d.capabilities().returning, sqlite3_libversion_number() >= 3'035'000);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  EXPECT_EQ(d.capabilities().max_parameters,
            static_cast<std::size_t>(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1)));
  sqlite3_close(db);
}

sql::column_def column(std::string name, sql_type type, bool nullable) {
  sql::column_def c;
  c.name = std::move(name);
  c.type = type;
  c.nullable = nullable;
  return c;
}

sql::table_def notes_table(type_kind id_kind) {
  sql::table_def t;
  t.name = "notes";
  auto id = column("id", {id_kind}, false);
  id.primary_key = true;
  id.autoincrement = true;
  t.columns.push_back(id);
  t.columns.push_back(column("body", {.kind = type_kind::text, .length = 200}, true));
  auto done = column("done", {type_kind::boolean}, false);
  done.server_default = value(false);
  t.columns.push_back(done);
  return t;
}

TEST(sqlite_dialect, autoincrement_key_is_declared_integer_primary_key_whatever_its_width) {
  sqlite_dialect d;
  for (auto kind : {type_kind::small_integer, type_kind::integer, type_kind::big_integer}) {
    const auto statements = d.create_table(notes_table(kind), false);
    ASSERT_EQ(statements.size(), 1u);
    EXPECT_NE(statements[0].find("\"id\" INTEGER NOT NULL PRIMARY KEY"), std::string::npos) << statements[0];
    EXPECT_EQ(statements[0].find("BIGINT"), std::string::npos) << statements[0];
    EXPECT_EQ(statements[0].find("IDENTITY"), std::string::npos) << statements[0];
    EXPECT_NE(statements[0].find("\"body\" VARCHAR(200)"), std::string::npos) << statements[0];
    EXPECT_NE(statements[0].find("\"done\" BOOLEAN NOT NULL DEFAULT 0"), std::string::npos) << statements[0];
  }
}

TEST(sqlite_dialect, select_compiles_with_positional_placeholders_and_quoted_names) {
  sqlite_dialect d;
  auto table = std::make_shared<sql::table_ref>();
  table->name = "notes";
  auto id = std::make_shared<sql::column_ref>();
  id->table = table;
  id->name = "id";
  auto p1 = std::make_shared<sql::bind_param>();
  p1->value = value(5);
  auto cond = std::make_shared<sql::binary_op>();
  cond->op = sql::binary_operator::gt;
  cond->left = id;
  cond->right = p1;
  auto select = std::make_shared<sql::select_stmt>();
  select->columns.push_back(id);
  select->from.push_back(table);
  select->where = cond;
  select->limit = 10;

  const auto compiled = d.compile(*select);
  EXPECT_EQ(compiled.sql.find('$'), std::string::npos) << compiled.sql;
  EXPECT_NE(compiled.sql.find("\"notes\""), std::string::npos) << compiled.sql;
  EXPECT_NE(compiled.sql.find("\"id\" > ?"), std::string::npos) << compiled.sql;
  ASSERT_EQ(compiled.params.size(), 2u);  // the value and the LIMIT
  EXPECT_EQ(compiled.params[0], value(5));
  EXPECT_EQ(compiled.params[1], value(10));
}

TEST(sqlite_dialect, distinct_from_and_casts_use_spellings_every_sqlite_understands) {
  sqlite_dialect d;
  auto column = std::make_shared<sql::column_ref>();
  column->name = "c";
  auto param = std::make_shared<sql::bind_param>();
  param->value = value(1);
  auto distinct = std::make_shared<sql::binary_op>();
  distinct->op = sql::binary_operator::is_distinct_from;
  distinct->left = column;
  distinct->right = param;
  EXPECT_EQ(d.make_compiler()->compile(*distinct).sql, "\"c\" IS NOT ?");
  auto same = std::make_shared<sql::binary_op>(*distinct);
  same->op = sql::binary_operator::is_not_distinct_from;
  EXPECT_EQ(d.make_compiler()->compile(*same).sql, "\"c\" IS ?");

  auto cast = std::make_shared<sql::cast_expr>();
  cast->operand = column;
  cast->type = {type_kind::timestamp};
  EXPECT_EQ(d.make_compiler()->compile(*cast).sql, "CAST(\"c\" AS TEXT)");
  cast->type = {type_kind::date};
  EXPECT_EQ(d.make_compiler()->compile(*cast).sql, "CAST(\"c\" AS TEXT)");
  cast->type = {type_kind::boolean};
  EXPECT_EQ(d.make_compiler()->compile(*cast).sql, "CAST(\"c\" AS INTEGER)");
  cast->type = {type_kind::big_integer};
  EXPECT_EQ(d.make_compiler()->compile(*cast).sql, "CAST(\"c\" AS BIGINT)");
}

TEST(sqlite_dialect, extract_is_strftime_and_round_takes_any_number) {
  sqlite_dialect d;
  auto events = sql::table("events");
  sql::column<timestamp> at(events, "at");
  sql::column<double> amount(events, "amount");
  const auto sql_of = [&](const auto& e) { return d.make_compiler()->compile(*e.node()).sql; };
  using part = sql::datetime_field;
  EXPECT_EQ(sql_of(sql::extract(part::year, at)), "CAST(strftime('%Y', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::extract(part::month, at)), "CAST(strftime('%m', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::extract(part::day, at)), "CAST(strftime('%d', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::extract(part::hour, at)), "CAST(strftime('%H', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::extract(part::minute, at)), "CAST(strftime('%M', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::extract(part::second, at)), "CAST(strftime('%S', \"events\".\"at\") AS INTEGER)");
  EXPECT_EQ(sql_of(sql::round(amount, 2)), "round(\"events\".\"amount\", ?)");
  EXPECT_EQ(sql_of(sql::now()), "CURRENT_TIMESTAMP");
  sql::known_function_call broken;
  broken.function = sql::known_function::extract;
  EXPECT_THROW(d.make_compiler()->compile(broken), usage_error) << "extract of nothing";
}

// ---- the DDL against SQLite --------------------------------------------------

TEST(sqlite_ddl, autoincrement_key_is_a_rowid_alias_even_for_a_64_bit_mapping) {
  sqlite_dialect d;
  auto conn = testing::open("sqlite://");
  for (const auto& statement : d.create_table(notes_table(type_kind::big_integer), false)) {
    conn->execute(statement, {}, fetch_mode::buffered);
  }
  conn->execute("INSERT INTO notes (body) VALUES (?)", std::vector<value>{value("a")}, fetch_mode::buffered);
  conn->execute("INSERT INTO notes (body) VALUES (?)", std::vector<value>{value("b")}, fetch_mode::buffered);
  // An alias of the rowid is filled in by SQLite and equals rowid.
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM notes WHERE id = rowid AND id IS NOT NULL"), 2);
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT max(id) FROM notes"), 2);
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT done FROM notes WHERE id = 1"), 0);
}

}  // namespace
}  // namespace relate::sqlite
