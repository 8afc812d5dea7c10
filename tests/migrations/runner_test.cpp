// SPDX-License-Identifier: MIT
// The migration runner on every backend: each operation upgrades and
// downgrades with rows in the tables and leaves them intact; a failing
// migration changes nothing; two runners at once apply a migration once.
#include "migration_support.hpp"

#include <relate/migrations/inspection.hpp>
#include <relate/migrations/runner.hpp>

#include <backends.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace migration_test {
namespace {

using relate::migrations::runner;

constexpr const char* base_upgrade = R"(
  create_table authors {
    column id big_integer not_null autoincrement
    column name text(100) not_null
    column email text
    column nickname text
    primary_key (id)
  }
  create_table books {
    column id big_integer not_null autoincrement
    column title text(200) not_null
    column author_id big_integer
    column price integer not_null default 0
    primary_key (id)
    foreign_key (author_id) references authors (id) on_delete cascade
    index ix_books_author (author_id)
  }
  sql 'INSERT INTO authors (name, email, nickname) VALUES (''Ann'', ''ann@example.com'', ''A''), (''Bob'', ''bob@example.com'', ''B'')'
  sql 'INSERT INTO books (title, author_id, price) VALUES (''One'', 1, 10), (''Two'', 1, 20), (''Three'', 2, 30)'
  create_table notes {
    column id big_integer not_null
    column body text
    primary_key (id)
  }
  sql 'INSERT INTO notes (id, body) VALUES (7, ''kept'')'
)";
constexpr const char* base_downgrade = "  drop_table notes\n  drop_table books\n  drop_table authors\n";

class migration_runner : public relate::testing::backend_test {
 public:
  using relate::testing::backend_test::engine;
  std::vector<std::string> books() {
    return rows_of(engine(), "SELECT id, author_id, price FROM books ORDER BY id");
  }
  std::vector<std::string> authors() { return rows_of(engine(), "SELECT id, name FROM authors ORDER BY id"); }
  std::optional<relate::sql::reflected_table> table(const std::string& name) {
    auto conn = engine().connect();
    return relate::migrations::inspect_table(conn, "", name);
  }
  scripts_folder folder;
};

struct step {
  std::string upgrade;
  std::string downgrade;
  // What the upgrade changed, seen by inspection (and undone by the downgrade).
  std::function<bool(migration_runner&)> applied;
};

TEST_P(migration_runner, every_operation_upgrades_and_downgrades_with_the_data_intact) {
  folder.write("000", "", base_upgrade, base_downgrade);
  auto has_column = [](const char* t, const char* c) {
    return [=](migration_runner& f) { return f.table(t) && f.table(t)->def.find_column(c) != nullptr; };
  };
  const std::vector<step> steps = {
      {"  add_column books pages integer default 0", "  drop_column books pages",
       has_column("books", "pages")},
      {"  add_column books created_at timestamp not_null default_sql 'CURRENT_TIMESTAMP'",
       "  drop_column books created_at", has_column("books", "created_at")},
      {"  alter_column books title type text(300)", "  alter_column books title type text(200)",
       [](migration_runner& f) { return f.table("books")->def.find_column("title")->type.length == 300; }},
      {"  alter_column authors email not_null", "  alter_column authors email nullable",
       [](migration_runner& f) { return !f.table("authors")->def.find_column("email")->nullable; }},
      {"  alter_column authors email default 'none'", "  alter_column authors email no_default",
       [](migration_runner& f) {
         return f.table("authors")->def.find_column("email")->server_default_sql.has_value();
       }},
      {"  alter_column books title rename_to headline", "  alter_column books headline rename_to title",
       has_column("books", "headline")},
      {"  create_index books ix_books_price (price)", "  drop_index books ix_books_price",
       [](migration_runner& f) { return f.table("books")->def.indexes.size() == 2; }},
      {"  add_unique authors uq_authors_email (email)", "  drop_unique authors uq_authors_email (email)",
       [](migration_runner& f) { return f.table("authors")->def.uniques.size() == 1; }},
      {"  add_column books editor_id big_integer\n"
       "  add_foreign_key books fk_books_editor (editor_id) references authors (id) on_delete set_null",
       "  drop_foreign_key books fk_books_editor (editor_id) references authors (id)\n  drop_column books "
       "editor_id",
       [](migration_runner& f) { return f.table("books")->def.foreign_keys.size() == 2; }},
      {"  add_check books ck_books_price 'price >= 0'", "  drop_check books ck_books_price",
       [](migration_runner& f) {
         // Where the database does not report checks (SQLite), the check shows by refusing a row.
         auto conn = f.engine().connect();
         try {
           conn.execute("UPDATE books SET price = -1 WHERE id = 1");
         } catch (const relate::integrity_error&) {
           return true;
         }
         return false;
       }},
      {"  drop_foreign_key books (author_id) references authors (id)",
       "  add_foreign_key books (author_id) references authors (id) on_delete cascade",
       [](migration_runner& f) {
         const auto books = f.table("books");
         for (const auto& fk : books->def.foreign_keys)
           if (fk.columns == std::vector<std::string>{"author_id"}) return false;
         return true;
       }},
      {"  drop_column authors nickname", "  add_column authors nickname text",
       [](migration_runner& f) { return !f.table("authors")->def.find_column("nickname"); }},
      {"  drop_table notes",
       "  create_table notes {\n    column id big_integer not_null\n    column body text\n    primary_key "
       "(id)\n  }\n"
       "  sql 'INSERT INTO notes (id, body) VALUES (7, ''kept'')'",
       [](migration_runner& f) { return !f.table("notes"); }},
      {"  rename_table authors to writers", "  rename_table writers to authors",
       [](migration_runner& f) { return f.table("writers").has_value() && !f.table("authors"); }},
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto id = [](std::size_t n) { return std::string(n < 10 ? "00" : "0") + std::to_string(n); };
    folder.write(id(i + 1), id(i), steps[i].upgrade, steps[i].downgrade);
  }
  runner r(engine(), {.folder = folder.path()});
  ASSERT_EQ(r.scripts().size(), steps.size() + 1);
  EXPECT_EQ(r.upgrade("000"), std::vector<std::string>{"000"});
  const auto books_before = books();
  const auto authors_before = authors();
  ASSERT_EQ(books_before.size(), 3u);

  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i + 1) + ": " + steps[i].upgrade);
    ASSERT_EQ(r.upgrade(r.scripts()[i + 1].id).size(), 1u);
    EXPECT_EQ(r.current(), r.scripts()[i + 1].id);
    EXPECT_TRUE(steps[i].applied(*this));
    if (table("books") && table("authors")) {
      EXPECT_EQ(books(), books_before);
      EXPECT_EQ(authors(), authors_before);
    }
    ASSERT_EQ(r.downgrade("-1").size(), 1u);
    EXPECT_FALSE(steps[i].applied(*this));
    EXPECT_EQ(books(), books_before);
    EXPECT_EQ(authors(), authors_before);
    ASSERT_EQ(r.upgrade(r.scripts()[i + 1].id).size(), 1u);  // on to the next step from here
  }
  EXPECT_EQ(r.current(), r.head());
  EXPECT_TRUE(r.upgrade().empty());  // a second run is a no-op
  {
    // The check added by step 11 survived the table rebuilds that came after it (on SQLite).
    auto conn = engine().connect();
    EXPECT_THROW(conn.execute("UPDATE books SET price = -1 WHERE id = 1"), relate::integrity_error);
  }

  // All the way down, then up again.
  r.downgrade("000");
  EXPECT_EQ(books(), books_before);
  EXPECT_EQ(authors(), authors_before);
  EXPECT_EQ(rows_of(engine(), "SELECT id, body FROM notes"), std::vector<std::string>{"7|'kept'|"});
  r.downgrade("base");
  EXPECT_FALSE(table("books"));
  EXPECT_EQ(r.current(), "");
}

TEST_P(migration_runner, a_migration_that_fails_midway_leaves_schema_data_and_version_as_they_were) {
  folder.write("000", "", base_upgrade, base_downgrade);
  folder.write("001", "000",
               "  add_column authors country text(2) not_null default_sql 'upper(''nz'')'\n"
               "  create_index authors ix_authors_name (name)\n"
               "  sql 'UPDATE authors SET name = ''changed'''\n"
               "  sql 'INSERT INTO no_such_table VALUES (1)'\n",
               "  drop_index authors ix_authors_name\n  drop_column authors country\n");
  runner r(engine(), {.folder = folder.path()});
  r.upgrade("000");
  const auto before = table("authors");
  const auto books_before = books();
  const auto authors_before = authors();
  EXPECT_THROW(r.upgrade(), relate::database_error);
  EXPECT_EQ(r.current(), "000");
  EXPECT_EQ(authors(), authors_before);
  EXPECT_EQ(books(), books_before);
  const auto after = table("authors");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->def.columns.size(), before->def.columns.size());
  EXPECT_TRUE(after->def.indexes.empty());
  // The foreign keys still hold: deleting an author deletes its books.
  {
    auto conn = engine().connect();
    conn.execute("DELETE FROM authors WHERE id = 2");
    conn.commit();
  }
  EXPECT_EQ(books().size(), 2u);
}

TEST_P(migration_runner, a_migration_that_breaks_a_foreign_key_is_refused_and_undone) {
  folder.write("000", "", base_upgrade, base_downgrade);
  // On SQLite the rebuild runs with foreign keys off; the check before COMMIT finds the orphans.
  folder.write("001", "000",
               "  alter_column books price type big_integer\n"
               "  sql sqlite 'DELETE FROM authors WHERE id = 2'\n"
               "  sql postgresql 'DELETE FROM authors WHERE id = 2'\n"
               "  sql postgresql 'INSERT INTO books (title, author_id) VALUES (''orphan'', 99)'\n"
               "  sql sqlite 'INSERT INTO books (title, author_id) VALUES (''orphan'', 99)'\n",
               "  alter_column books price type integer\n");
  runner r(engine(), {.folder = folder.path()});
  r.upgrade("000");
  const auto books_before = books();
  EXPECT_THROW(r.upgrade(), relate::integrity_error);
  EXPECT_EQ(r.current(), "000");
  EXPECT_EQ(books(), books_before);
  EXPECT_EQ(authors().size(), 2u);
}

TEST_P(migration_runner, two_runners_at_once_apply_a_migration_once) {
  folder.write("000", "",
               "  create_table log {\n    column id big_integer not_null\n    primary_key (id)\n  }\n",
               "  drop_table log\n");
  // Slow enough that the second runner arrives while the first holds the lock.
  folder.write(
      "001", "000",
      "  sql 'INSERT INTO log (id) VALUES (1)'\n"
      "  sql postgresql 'SELECT pg_sleep(0.5)'\n"
      "  sql sqlite 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) "
      "SELECT count(*) FROM c'\n",
      "  sql 'DELETE FROM log'\n");
  auto other = relate::create_engine(db().url());
  std::vector<std::string> first, second;
  std::exception_ptr failure;
  std::thread a([&] {
    try {
      first = runner(engine(), {.folder = folder.path()}).upgrade();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::thread b([&] {
    try {
      second = runner(other, {.folder = folder.path()}).upgrade();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  a.join();
  b.join();
  if (failure) std::rethrow_exception(failure);
  EXPECT_EQ(first.size() + second.size(), 2u) << "each migration applied once, by one runner or the other";
  EXPECT_EQ(rows_of(engine(), "SELECT count(*) FROM log"), std::vector<std::string>{"1|"});
  EXPECT_EQ(runner(engine(), {.folder = folder.path()}).current(), "001");
}

TEST_P(migration_runner, a_cpp_step_runs_inside_the_migration) {
  folder.write("000", "", base_upgrade, base_downgrade);
  folder.write("001", "000", "  add_column authors initials text\n  call fill_initials\n",
               "  drop_column authors initials\n");
  relate::migrations::runner_options options{.folder = folder.path()};
  options.steps["fill_initials"] = [](relate::connection& conn) {
    conn.execute("UPDATE authors SET initials = substr(name, 1, 1)");
  };
  runner r(engine(), options);
  r.upgrade();
  EXPECT_EQ(rows_of(engine(), "SELECT initials FROM authors ORDER BY id"),
            (std::vector<std::string>{"'A'|", "'B'|"}));
}

TEST_P(migration_runner, a_json_column_added_later_refuses_text_that_is_not_json) {
  // CREATE TABLE gives a JSON column its check where the database has no JSON
  // type (SQLite: json_valid); a column added by a migration must get it too.
  folder.write("000", "", base_upgrade, base_downgrade);
  folder.write("001", "000", "  add_column notes meta json\n", "  drop_column notes meta\n");
  runner(engine(), {.folder = folder.path()}).upgrade();
  auto conn = engine().connect();
  conn.execute("UPDATE notes SET meta = '{\"a\": [1, 2]}' WHERE id = 7");
  EXPECT_THROW(conn.execute("UPDATE notes SET meta = 'not json' WHERE id = 7"), relate::database_error);
  EXPECT_EQ(rows_of(engine(), "SELECT body FROM notes"), std::vector<std::string>{"'kept'|"});
}

TEST_P(migration_runner, stamp_marks_a_database_made_by_create_all_without_running_anything) {
  folder.write("000", "", base_upgrade, base_downgrade);
  folder.write("001", "000", "  create_index books ix_books_price (price)\n",
               "  drop_index books ix_books_price\n");
  runner r(engine(), {.folder = folder.path()});
  r.upgrade("000");
  r.stamp("head");  // as if 001 had run
  EXPECT_EQ(r.current(), "001");
  EXPECT_TRUE(r.upgrade().empty());
  EXPECT_TRUE(table("books")->def.indexes.size() == 1);  // only the base script's index
  r.stamp("base");
  EXPECT_EQ(r.current(), "");
  // Offline downgrade from where the database is: nothing to print at base.
  EXPECT_TRUE(r.downgrade_sql("base").empty());
}

TEST_P(migration_runner, scripts_that_do_not_form_one_chain_are_refused) {
  folder.write("000", "", base_upgrade, base_downgrade);
  folder.write("001", "000", "  drop_table notes\n", "");
  folder.write("002", "000", "  drop_table books\n", "");
  EXPECT_THROW(runner(engine(), {.folder = folder.path()}), relate::usage_error);
}

RELATE_INSTANTIATE_BACKENDS(migration_runner);

}  // namespace
}  // namespace migration_test
