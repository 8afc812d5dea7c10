// SPDX-License-Identifier: MIT
// Inspection and drift on every backend: a schema create_all made compares
// equal to its model; changes made behind the model's back are each reported
// once, in one readable line; create_all warns about them or, strict, refuses.
#include "models.hpp"

#include <relate/migrations/drift.hpp>
#include <relate/migrations/inspection.hpp>

#include <backends.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace migration_test {
namespace {

using relate::migrations::difference_kind;

std::string lines(const std::vector<relate::migrations::difference>& diffs) {
  std::string s;
  for (const auto& d : diffs) s += d.describe() + "\n";
  return s;
}

class inspection : public relate::testing::backend_test {};

TEST_P(inspection, a_schema_made_by_create_all_has_no_drift) {
  relate::metadata meta;
  add_all(meta);
  meta.create_all(engine(), {.drift = relate::orm::on_drift::error});
  auto conn = engine().connect();
  const auto diffs = relate::migrations::compare(conn, meta);
  EXPECT_TRUE(diffs.empty()) << lines(diffs);
  // Running create_all again, strict, finds nothing to complain about.
  EXPECT_NO_THROW(meta.create_all(engine(), {.drift = relate::orm::on_drift::error}));
}

TEST_P(inspection, reflects_columns_keys_indexes_and_constraints) {
  relate::metadata meta;
  add_all(meta);
  meta.create_all(engine());
  auto conn = engine().connect();
  const auto schema = relate::migrations::inspect(conn);
  std::vector<std::string> names;
  for (const auto& t : schema.tables) names.push_back(t.def.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"employees", "entries", "everything", "memberships", "widgets"}));

  const auto* everything = schema.find("everything");
  ASSERT_NE(everything, nullptr);
  const auto& e = everything->def;
  EXPECT_EQ(e.primary_key, std::vector<std::string>{"id"});
  EXPECT_TRUE(e.find_column("id")->autoincrement);
  EXPECT_EQ(e.find_column("code")->type.kind, relate::sql::type_kind::text);
  EXPECT_EQ(e.find_column("code")->type.length, 12u);
  EXPECT_EQ(e.find_column("price")->type.precision, 10);
  EXPECT_EQ(e.find_column("price")->type.scale, 2);
  EXPECT_EQ(e.find_column("day")->type.kind, relate::sql::type_kind::date);
  EXPECT_FALSE(e.find_column("small")->nullable);
  EXPECT_TRUE(e.find_column("maybe_int")->nullable);
  ASSERT_TRUE(e.find_column("at")->server_default_sql);
  EXPECT_NE(e.find_column("at")->server_default_sql->find("CURRENT_TIMESTAMP"), std::string::npos);
  ASSERT_EQ(e.uniques.size(), 1u);
  EXPECT_EQ(e.uniques[0].columns, std::vector<std::string>{"code"});
  ASSERT_EQ(e.indexes.size(), 2u);
  EXPECT_EQ(e.indexes[0].name, "ix_everything_maybe_text");
  EXPECT_EQ(e.indexes[1].columns, (std::vector<std::string>{"small", "medium"}));
  ASSERT_EQ(everything->native_types.size(), e.columns.size());
  ASSERT_EQ(e.checks.size(), 1u);  // SQLite's read from the CREATE TABLE text
  EXPECT_EQ(e.checks[0].name, "ck_everything_maybe_int");
  EXPECT_NE(e.checks[0].expression.find("maybe_int > 0"), std::string::npos) << e.checks[0].expression;

  const auto& m = schema.find("memberships")->def;
  EXPECT_EQ(m.primary_key, (std::vector<std::string>{"group_id", "member"}));
  EXPECT_FALSE(m.find_column("group_id")->autoincrement);

  const auto& emp = schema.find("employees")->def;
  ASSERT_EQ(emp.foreign_keys.size(), 1u);
  EXPECT_EQ(emp.foreign_keys[0].ref_table, "employees");
  EXPECT_EQ(emp.foreign_keys[0].ref_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(emp.foreign_keys[0].on_delete, relate::sql::referential_action::set_null);
  ASSERT_EQ(schema.find("widgets")->def.foreign_keys.size(), 1u);
  EXPECT_EQ(schema.find("widgets")->def.foreign_keys[0].ref_table, "entries");
  EXPECT_EQ(schema.find("entries")->def.foreign_keys[0].on_delete, relate::sql::referential_action::cascade);

  EXPECT_FALSE(relate::migrations::inspect_table(conn, "", "no_such_table"));
}

TEST_P(inspection, reports_each_change_made_behind_the_models_back_in_one_line) {
  relate::metadata meta;
  add_all(meta);
  meta.create_all(engine());
  {
    auto conn = engine().connect();
    const auto& d = engine().dialect();
    conn.execute("DROP INDEX " + d.quote_identifier("ix_everything_maybe_text"));
    conn.execute("CREATE INDEX " + d.quote_identifier("ix_extra") + " ON " + d.quote_identifier("employees") +
                 " (" + d.quote_identifier("name") + ")");
    conn.execute("ALTER TABLE " + d.quote_identifier("employees") + " ADD COLUMN " +
                 d.quote_identifier("nickname") + " TEXT");
    conn.execute("CREATE TABLE " + d.quote_identifier("stray") + " (x INTEGER)");
    conn.commit();
  }
  auto conn = engine().connect();
  const auto diffs = relate::migrations::compare(conn, meta);
  std::set<std::pair<difference_kind, std::string>> found;
  for (const auto& d : diffs) found.emplace(d.kind, d.table + "/" + d.name);
  EXPECT_EQ(found, (std::set<std::pair<difference_kind, std::string>>{
                       {difference_kind::missing_index, "everything/ix_everything_maybe_text"},
                       {difference_kind::extra_index, "employees/ix_extra"},
                       {difference_kind::extra_column, "employees/nickname"},
                       {difference_kind::extra_table, "stray/"},
                   }))
      << lines(diffs);
  for (const auto& d : diffs) EXPECT_EQ(d.describe().find('\n'), std::string::npos);
  EXPECT_NE(lines(diffs).find("employees: column \"nickname\" is in the database but not in the model"),
            std::string::npos)
      << lines(diffs);
}

// Version 1 of a table, then version 2 of its model: what a user sees first.
struct author_v1 {
  std::int64_t id{};
  std::string name{};
};
inline auto relate_mapping(relate::model<author_v1>) {
  using namespace relate::orm;
  return table<author_v1>("authors", column(&author_v1::id, "id", primary_key),
                          column(&author_v1::name, "name", length(50)));
}
struct author_v2 {
  std::int64_t id{};
  std::optional<std::string> name{};
  std::string country{};
};
inline auto relate_mapping(relate::model<author_v2>) {
  using namespace relate::orm;
  return table<author_v2>("authors", column(&author_v2::id, "id", primary_key),
                          column(&author_v2::name, "name", length(80)),
                          column(&author_v2::country, "country", length(2), server_default("NZ")));
}

TEST_P(inspection, create_all_warns_about_drift_of_existing_tables_and_strict_mode_refuses) {
  relate::metadata v1;
  v1.add<author_v1>();
  v1.create_all(engine());
  relate::metadata v2;
  v2.add<author_v2>();
  auto conn = engine().connect();
  const auto diffs = relate::migrations::compare(conn, v2);
  conn.close();
  std::set<difference_kind> kinds;
  for (const auto& d : diffs) kinds.insert(d.kind);
  EXPECT_EQ(kinds, (std::set<difference_kind>{difference_kind::missing_column, difference_kind::type_changed,
                                              difference_kind::nullability_changed}))
      << lines(diffs);
  EXPECT_NE(lines(diffs).find("authors.name: type differs: model VARCHAR(80), database VARCHAR(50)"),
            std::string::npos)
      << lines(diffs);

  try {
    v2.create_all(engine(), {.drift = relate::orm::on_drift::error});
    FAIL() << "strict create_all accepted a drifted table";
  } catch (const relate::migrations::schema_drift_error& e) {
    EXPECT_EQ(e.differences().size(), 3u);
    EXPECT_NE(std::string(e.what()).find("column \"country\" is missing from the database"),
              std::string::npos)
        << e.what();
  }
  // The default mode logs and goes on.
  EXPECT_NO_THROW(v2.create_all(engine()));
}

RELATE_INSTANTIATE_BACKENDS(inspection);

std::string read_chinook(const std::string& name) {
  std::ifstream in(std::string(RELATE_CHINOOK_DIR) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(chinook_inspection, the_sqlite_file_relate_did_not_create) {
  relate::testing::scratch_database db("sqlite");
  auto conn = db.engine().connect();
  conn.execute(read_chinook("Chinook_Sqlite.sql"));
  conn.commit();
  const auto schema = relate::migrations::inspect(conn);
  ASSERT_EQ(schema.tables.size(), 11u);
  const auto& track = schema.find("Track")->def;
  EXPECT_EQ(track.primary_key, std::vector<std::string>{"TrackId"});
  EXPECT_TRUE(track.find_column("TrackId")->autoincrement);  // INTEGER PRIMARY KEY: the rowid
  EXPECT_EQ(track.find_column("Name")->type.length, 200u);
  EXPECT_FALSE(track.find_column("Name")->nullable);
  EXPECT_EQ(track.find_column("UnitPrice")->type.kind, relate::sql::type_kind::numeric);
  EXPECT_EQ(schema.find("Track")->native_types[1], "NVARCHAR(200)");
  ASSERT_EQ(track.foreign_keys.size(), 3u);
  EXPECT_EQ(track.indexes.size(), 3u);
  const auto& line = schema.find("PlaylistTrack")->def;
  EXPECT_EQ(line.primary_key, (std::vector<std::string>{"PlaylistId", "TrackId"}));
  const auto& employee = schema.find("Employee")->def;
  ASSERT_EQ(employee.foreign_keys.size(), 1u);
  EXPECT_EQ(employee.foreign_keys[0].ref_table, "Employee");
  EXPECT_EQ(employee.find_column("HireDate")->type.kind, relate::sql::type_kind::timestamp);
}

TEST(chinook_inspection, the_postgresql_script_relate_did_not_create) {
  if (relate::testing::require_postgres().empty()) return;
  relate::testing::scratch_database db("postgresql");
  auto conn = db.engine().connect();
  auto script = read_chinook("Chinook_PostgreSql.sql");
  script = script.substr(script.find('\n', script.find("\\c chinook;")) + 1);
  conn.execute(script);
  conn.commit();
  const auto schema = relate::migrations::inspect(conn);
  ASSERT_EQ(schema.tables.size(), 11u);
  const auto& track = schema.find("track")->def;
  EXPECT_EQ(track.primary_key, std::vector<std::string>{"track_id"});
  EXPECT_FALSE(track.find_column("track_id")->autoincrement);  // plain INT, no sequence
  EXPECT_EQ(schema.find("track")->native_types[1], "character varying(200)");
  EXPECT_EQ(track.find_column("name")->type.length, 200u);
  EXPECT_EQ(track.find_column("unit_price")->type.precision, 10);
  ASSERT_EQ(track.foreign_keys.size(), 3u);
  EXPECT_FALSE(track.foreign_keys[0].name.empty());
  EXPECT_EQ(track.indexes.size(), 3u);
  const auto& employee = schema.find("employee")->def;
  EXPECT_EQ(employee.find_column("hire_date")->type.kind, relate::sql::type_kind::timestamp);
  // The same schema through the named schema rather than the search_path.
  const auto named = relate::migrations::inspect(conn, db.schema());
  EXPECT_EQ(named.tables.size(), 11u);
}

}  // namespace
}  // namespace migration_test

namespace migration_test {
namespace {

TEST(sqlite_inspection, an_attached_database_is_inspected_as_a_schema) {
  relate::testing::scratch_database db("sqlite");
  auto conn = db.engine().connect();
  // ATTACH cannot run inside a transaction.
  conn.native().execute("ATTACH DATABASE ':memory:' AS aux", {}, relate::fetch_mode::buffered);
  conn.native().execute("CREATE TABLE aux.things (id INTEGER PRIMARY KEY, label TEXT NOT NULL)", {},
                        relate::fetch_mode::buffered);
  const auto aux = relate::migrations::inspect(conn, "aux");
  ASSERT_EQ(aux.tables.size(), 1u);
  EXPECT_EQ(aux.tables[0].def.name, "things");
  EXPECT_EQ(aux.tables[0].def.schema, "aux");
  EXPECT_FALSE(aux.tables[0].def.find_column("label")->nullable);
  EXPECT_TRUE(relate::migrations::inspect(conn).tables.empty());  // main has none
  conn.rollback();  // inspection reads in a transaction, which holds the attached database
  conn.native().execute("DETACH DATABASE aux", {}, relate::fetch_mode::buffered);
}

}  // namespace
}  // namespace migration_test
