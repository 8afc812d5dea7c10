// SPDX-License-Identifier: MIT
// SQLite result codes translated into relate's error hierarchy, from the
// table and from real failures.
#include "sqlite_errors.hpp"
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

namespace relate::sqlite {
namespace {

TEST(sqlite_errors, codes_are_named_by_their_extended_name) {
  EXPECT_EQ(code_name(SQLITE_CONSTRAINT_UNIQUE), "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_EQ(code_name(SQLITE_CONSTRAINT_FOREIGNKEY), "SQLITE_CONSTRAINT_FOREIGNKEY");
  EXPECT_EQ(code_name(SQLITE_BUSY), "SQLITE_BUSY");
  EXPECT_EQ(code_name(SQLITE_IOERR_FSYNC), "SQLITE_IOERR_FSYNC");
  EXPECT_EQ(code_name(SQLITE_ERROR), "SQLITE_ERROR");
  // An extended code this build does not know falls back to its primary code.
  EXPECT_EQ(code_name(SQLITE_CONSTRAINT | (99 << 8)), "SQLITE_CONSTRAINT");
  EXPECT_EQ(code_name(250), "SQLITE_UNKNOWN(250)");
}

TEST(sqlite_errors, categories_follow_the_primary_code) {
  for (int code : {SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_FOREIGNKEY,
                   SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_CHECK}) {
    EXPECT_EQ(category_of(code), error_category::integrity) << code_name(code);
    EXPECT_FALSE(is_retryable(code));
  }
  for (int code : {SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED, SQLITE_LOCKED_SHAREDCACHE}) {
    EXPECT_EQ(category_of(code), error_category::operational) << code_name(code);
    EXPECT_TRUE(is_retryable(code)) << code_name(code);
  }
  for (int code : {SQLITE_CANTOPEN, SQLITE_IOERR_READ, SQLITE_READONLY, SQLITE_FULL, SQLITE_NOTADB}) {
    EXPECT_EQ(category_of(code), error_category::operational) << code_name(code);
    EXPECT_FALSE(is_retryable(code));
  }
  EXPECT_EQ(category_of(SQLITE_ERROR), error_category::programming);
  for (int code : {SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE}) {
    EXPECT_EQ(category_of(code), error_category::data) << code_name(code);
  }
}

class sqlite_error_translation : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = testing::open("sqlite://");
    run("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)");
    run("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), n INTEGER "
        "CHECK (n > 0))");
    run("INSERT INTO parent (id, name) VALUES (1, 'a')");
  }
  void run(std::string_view sql, std::vector<value> params = {}) {
    conn_->execute(sql, params, fetch_mode::buffered);
  }

  template <class Error>
  Error expect_error(std::string_view sql, std::vector<value> params = {}) {
    try {
      run(sql, params);
    } catch (const Error& e) {
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "wrong exception for " << sql << ": " << e.what();
      throw;
    }
    ADD_FAILURE() << "no exception for " << sql;
    throw std::logic_error("no exception");
  }

  std::unique_ptr<sqlite_connection> conn_;
};

TEST_F(sqlite_error_translation, unique_violation_is_integrity_error_with_sql_code_and_message) {
  const std::string sql = "INSERT INTO parent (id, name) VALUES (?, ?)";
  const auto e = expect_error<integrity_error>(sql, {value(2), value("a")});
  EXPECT_EQ(e.category(), error_category::integrity);
  EXPECT_EQ(e.driver(), "sqlite");
  EXPECT_EQ(e.sql(), sql);
  EXPECT_EQ(e.native_code(), "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_NE(e.native_message().find("parent.name"), std::string::npos) << e.native_message();
  EXPECT_EQ(std::string(e.what()).find("'a'"), std::string::npos)
      << "parameter values stay out: " << e.what();
}

TEST_F(sqlite_error_translation, other_constraints_are_integrity_errors) {
  EXPECT_EQ(expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (1, 'b')").native_code(),
            "SQLITE_CONSTRAINT_PRIMARYKEY");
  EXPECT_EQ(expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (3, NULL)").native_code(),
            "SQLITE_CONSTRAINT_NOTNULL");
  // Proves PRAGMA foreign_keys=ON: SQLite's default would accept this row.
  EXPECT_EQ(expect_error<integrity_error>("INSERT INTO child (parent_id, n) VALUES (42, 1)").native_code(),
            "SQLITE_CONSTRAINT_FOREIGNKEY");
  EXPECT_EQ(expect_error<integrity_error>("INSERT INTO child (parent_id, n) VALUES (1, 0)").native_code(),
            "SQLITE_CONSTRAINT_CHECK");
}

TEST_F(sqlite_error_translation, bad_sql_is_programming_error_naming_the_statement) {
  const auto syntax = expect_error<programming_error>("SELEC 1");
  EXPECT_EQ(syntax.sql(), "SELEC 1");
  EXPECT_EQ(syntax.native_code(), "SQLITE_ERROR");
  EXPECT_NE(syntax.native_message().find("syntax error"), std::string::npos);
  const auto missing = expect_error<programming_error>("SELECT * FROM nowhere");
  EXPECT_NE(missing.native_message().find("no such table"), std::string::npos);
}

TEST_F(sqlite_error_translation, wrong_parameter_count_is_programming_error) {
  const auto e = expect_error<programming_error>("INSERT INTO parent (id, name) VALUES (?, ?)", {value(5)});
  EXPECT_NE(e.native_message().find("2 parameter"), std::string::npos) << e.native_message();
}

TEST_F(sqlite_error_translation, datatype_mismatch_is_data_error) {
  // A rowid alias accepts only integers.
  EXPECT_EQ(expect_error<data_error>("INSERT INTO parent (id, name) VALUES ('x', 'y')").native_code(),
            "SQLITE_MISMATCH");
}

TEST_F(sqlite_error_translation, nan_is_refused_instead_of_stored_as_null) {
  run("CREATE TABLE reals (x DOUBLE PRECISION)");
  expect_error<data_error>("INSERT INTO reals VALUES (?)", {value(std::numeric_limits<double>::quiet_NaN())});
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT count(*) FROM reals"), 0);
}

TEST_F(sqlite_error_translation, a_failed_statement_leaves_the_connection_usable) {
  expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (1, 'dup')");
  run("INSERT INTO parent (id, name) VALUES (2, 'b')");
  EXPECT_EQ(testing::scalar_int(*conn_, "SELECT count(*) FROM parent"), 2);
}

}  // namespace
}  // namespace relate::sqlite
