// SPDX-License-Identifier: MIT
// The script format without a database: every operation reads back as it was
// written, and a mistake names its file and line.
#include <relate/error.hpp>
#include <relate/migrations/script.hpp>
#include <relate/sql/types.hpp>

#include <gtest/gtest.h>

namespace migration_test {
namespace {

constexpr const char* every_operation = R"(# a comment
id: 20261203_101500
parent: 20261203_100000
message: every operation once

upgrade:
  create_table "odd ""name""" {
    column id big_integer not_null autoincrement
    column title text(200) not_null default 'it''s'
    column price numeric(10, 2) default 1.5
    column flag boolean default true
    column at timestamp_tz default_sql 'CURRENT_TIMESTAMP'
    primary_key (id)
    unique uq_title (title)
    foreign_key fk_parent (id) references parents (id) on_delete cascade on_update set_null
    index ix_at (at, flag) unique
    check ck_price 'price > 0'
  }
  drop_table old
  rename_table a to b
  add_column posts created_at timestamp not_null default_sql 'CURRENT_TIMESTAMP'
  drop_column posts legacy
  alter_column posts title type text(300) nullable default 'x' rename_to headline
  alter_column posts body not_null no_default
  alter_column posts n default_sql 'now()'
  create_index posts ix_posts_title (title) unique
  drop_index posts ix_old
  add_unique posts uq_slug (slug)
  drop_unique posts (slug)
  add_foreign_key posts (user_id) references users (id) on_delete set_default
  drop_foreign_key posts fk_x (user_id) references users (id)
  add_check posts ck_len 'length(title) > 0'
  drop_check posts ck_len
  sql 'UPDATE posts SET n = 1'
  sql postgresql 'SELECT 1'
  call fill_slugs

downgrade:
  drop_table "odd ""name"""
)";

TEST(migration_script, every_operation_reads_back_as_it_was_written) {
  const auto m = relate::migrations::parse_script(every_operation, "every.migration");
  EXPECT_EQ(m.id, "20261203_101500");
  EXPECT_EQ(m.parent, "20261203_100000");
  EXPECT_EQ(m.message, "every operation once");
  ASSERT_EQ(m.upgrade.size(), 19u);
  ASSERT_EQ(m.downgrade.size(), 1u);
  const auto& create = std::get<relate::migrations::op::create_table>(m.upgrade[0]).table;
  EXPECT_EQ(create.name, "odd \"name\"");
  ASSERT_EQ(create.columns.size(), 5u);
  EXPECT_EQ(create.columns[1].server_default, relate::value(std::string("it's")));
  EXPECT_EQ(create.columns[2].type.precision, 10);
  EXPECT_EQ(create.foreign_keys[0].on_update, relate::sql::referential_action::set_null);
  EXPECT_TRUE(create.indexes[0].unique);
  const auto& alter = std::get<relate::migrations::op::alter_column>(m.upgrade[5]);
  EXPECT_EQ(alter.type->length, 300u);
  EXPECT_EQ(alter.nullable, true);
  EXPECT_EQ(alter.new_name, "headline");
  EXPECT_EQ(std::get<relate::migrations::op::execute_sql>(m.upgrade[17]).only_on, "postgresql");

  // Written out and read again, it is the same script.
  const auto text = relate::migrations::format_script(m, {"a note"});
  const auto again = relate::migrations::parse_script(text, "written.migration");
  EXPECT_EQ(relate::migrations::format_script(again, {"a note"}), text);
  EXPECT_NE(text.find("# a note"), std::string::npos);
}

TEST(migration_script, time_interval_uuid_and_json_columns_read_back) {
  // autogenerate writes these types' names; the parser used to refuse them.
  constexpr const char* script = R"(id: 2
parent: 1
message: typed columns

upgrade:
  create_table events {
    column id uuid not_null
    column at_time time
    column lasts interval
    column payload json
    primary_key (id)
  }
  add_column events extra json

downgrade:
  drop_table events
)";
  const auto m = relate::migrations::parse_script(script, "typed.migration");
  const auto& create = std::get<relate::migrations::op::create_table>(m.upgrade[0]).table;
  ASSERT_EQ(create.columns.size(), 4u);
  EXPECT_EQ(create.columns[0].type.kind, relate::sql::type_kind::uuid);
  EXPECT_EQ(create.columns[1].type.kind, relate::sql::type_kind::time);
  EXPECT_EQ(create.columns[2].type.kind, relate::sql::type_kind::interval);
  EXPECT_EQ(create.columns[3].type.kind, relate::sql::type_kind::json);
  EXPECT_EQ(std::get<relate::migrations::op::add_column>(m.upgrade[1]).column.type.kind,
            relate::sql::type_kind::json);
  const auto text = relate::migrations::format_script(m);
  EXPECT_EQ(relate::migrations::format_script(relate::migrations::parse_script(text)), text);
}

TEST(migration_script, an_enum_or_array_column_is_refused_when_written_not_when_read) {
  relate::sql::column_def column;
  column.name = "status";
  column.type.kind = relate::sql::type_kind::enumeration;
  column.type.enumeration = &relate::sql::intern_enum_type("post_status", {"draft", "published"});
  const relate::migrations::operation add = relate::migrations::op::add_column{"posts", column};
  try {
    (void)relate::migrations::format_operation(add);
    FAIL() << "an enum column was written into a script that parse_script cannot read";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("enumeration"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sql"), std::string::npos) << "names the way out: " << e.what();
  }
  column.type = {};
  column.type.kind = relate::sql::type_kind::array;
  column.type.element = relate::sql::type_kind::integer;
  EXPECT_THROW(
      (void)relate::migrations::format_operation(relate::migrations::op::add_column{"posts", column}),
      relate::usage_error);
}

TEST(migration_script, a_mistake_names_the_file_and_line) {
  const std::string bad = "id: 1\nparent: none\nmessage: m\n\nupgrade:\n  add_column posts x texty\n";
  try {
    relate::migrations::parse_script(bad, "bad.migration");
    FAIL() << "accepted an unknown type";
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.migration:6: unknown type"), std::string::npos) << e.what();
  }
  EXPECT_THROW(relate::migrations::parse_script("parent: none\nupgrade:\n", "x"), relate::usage_error);
}

}  // namespace
}  // namespace migration_test
