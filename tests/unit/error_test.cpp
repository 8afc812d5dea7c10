// SPDX-License-Identifier: MIT
// The exception hierarchy: what() carries driver, code, message and SQL; the
// category picks the class users catch.
#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

relate::error_info sample() {
  return {.driver = "sqlite",
          .sql = "INSERT INTO t (a) VALUES (?)",
          .native_code = "SQLITE_CONSTRAINT_UNIQUE",
          .native_message = "UNIQUE constraint failed: t.a",
          .retryable = false};
}

TEST(error, message_names_driver_code_message_and_sql) {
  const relate::integrity_error e(sample());
  EXPECT_STREQ(
      e.what(),
      "sqlite: (SQLITE_CONSTRAINT_UNIQUE) UNIQUE constraint failed: t.a [SQL: INSERT INTO t (a) VALUES (?)]");
  EXPECT_EQ(e.driver(), "sqlite");
  EXPECT_EQ(e.native_code(), "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_EQ(e.sql(), "INSERT INTO t (a) VALUES (?)");
  EXPECT_EQ(e.category(), relate::error_category::integrity);
}

TEST(error, message_leaves_out_missing_parts) {
  relate::error_info info;
  info.driver = "postgresql";
  info.native_message = "server closed the connection";
  EXPECT_STREQ(relate::operational_error(info).what(), "postgresql: server closed the connection");
}

TEST(error, the_library_s_own_messages_start_with_relate) {
  // A message that does not name its origin gets "relate: "; one that names
  // the API that refused keeps it; database errors keep the driver's name.
  EXPECT_STREQ(relate::usage_error("table name is empty").what(), "relate: table name is empty");
  EXPECT_STREQ(relate::usage_error("relate::query::one(): no row").what(), "relate::query::one(): no row");
  EXPECT_STREQ(relate::url_error("unknown scheme").what(), "relate: unknown scheme");
  EXPECT_STREQ(relate::lazy_load_error("User::posts").what(), "relate: User::posts");
  EXPECT_STREQ(relate::internal_error("lost a row").what(), "relate: internal error: lost a row");
  const relate::plugin_error p(relate::plugin_error::reason::file_missing, "no such file");
  EXPECT_STREQ(p.what(), "relate: no such file");
  EXPECT_EQ(p.why(), relate::plugin_error::reason::file_missing);
}

TEST(error, internal_errors_are_not_usage_errors) {
  // A broken invariant is a bug to report, never caught as the user's mistake.
  try {
    throw relate::internal_error("x");
  } catch (const relate::usage_error&) {
    ADD_FAILURE() << "internal_error caught as usage_error";
  } catch (const relate::library_error&) {
  }
}

template <class Expected>
void expect_thrown_as(relate::error_category category) {
  try {
    relate::throw_database_error(category, sample());
  } catch (const Expected& e) {
    EXPECT_EQ(e.category(), category);
    EXPECT_EQ(e.native_message(), "UNIQUE constraint failed: t.a");
    return;
  } catch (...) {
  }
  ADD_FAILURE() << "wrong exception type for category " << static_cast<int>(category);
}

TEST(error, throw_database_error_picks_the_class) {
  expect_thrown_as<relate::integrity_error>(relate::error_category::integrity);
  expect_thrown_as<relate::operational_error>(relate::error_category::operational);
  expect_thrown_as<relate::programming_error>(relate::error_category::programming);
  expect_thrown_as<relate::data_error>(relate::error_category::data);
  expect_thrown_as<relate::not_supported_error>(relate::error_category::not_supported);
  expect_thrown_as<relate::database_error>(relate::error_category::database);
}

TEST(error, everything_is_a_relate_error) {
  EXPECT_THROW(relate::throw_database_error(relate::error_category::integrity, sample()),
               relate::database_error);
  EXPECT_THROW(relate::throw_database_error(relate::error_category::data, sample()), relate::error);
  EXPECT_THROW(throw relate::plugin_error(relate::plugin_error::reason::file_missing, "x"), relate::error);
  EXPECT_THROW(throw relate::usage_error("x"), std::runtime_error);
}

TEST(error, retryable_flag_travels) {
  auto info = sample();
  info.retryable = true;
  EXPECT_TRUE(relate::operational_error(info).retryable());
}

}  // namespace
