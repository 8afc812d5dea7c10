// SPDX-License-Identifier: MIT
// How the SQLite driver maps a URL onto a database file, and how it fails when
// it cannot open one.
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

namespace relate::sqlite {
namespace {

namespace fs = std::filesystem;
using testing::open;

open_settings settings(const std::string& text, connect_options options = testing::quiet_options()) {
  return open_settings::from_url(url::parse(text), options);
}

TEST(sqlite_url, relative_absolute_and_memory_urls_map_to_file_uris) {
  EXPECT_EQ(settings("sqlite:///rel.db").uri, "file:rel.db");
  EXPECT_EQ(settings("sqlite:///rel.db").path, "rel.db");
  EXPECT_FALSE(settings("sqlite:///rel.db").in_memory);
  EXPECT_EQ(settings("sqlite:////abs/dir/x.db").uri, "file:///abs/dir/x.db");
  EXPECT_EQ(settings("sqlite:////abs/dir/x.db").path, "/abs/dir/x.db");
  EXPECT_TRUE(settings("sqlite://").in_memory);
  EXPECT_TRUE(settings("sqlite:///:memory:").in_memory);
  EXPECT_EQ(settings("sqlite:///:memory:").uri, "file::memory:");
}

TEST(sqlite_url, uri_parameters_are_passed_on_percent_encoded) {
  const auto s = settings("sqlite:////tmp/a%20b%3F%23.db?mode=ro&cache=shared");
  EXPECT_EQ(s.uri, "file:///tmp/a%20b%3F%23.db?mode=ro&cache=shared");
  EXPECT_TRUE(s.read_only);
  EXPECT_TRUE(settings("sqlite:////tmp/x.db?immutable=1").read_only);
  EXPECT_FALSE(settings("sqlite:////tmp/x.db?mode=rwc").read_only);
}

TEST(sqlite_url, driver_options_are_interpreted_not_passed_on) {
  connect_options options = testing::quiet_options();
  options.busy_timeout = std::chrono::milliseconds(1234);
  EXPECT_EQ(settings("sqlite:///x.db", options).busy_timeout, std::chrono::milliseconds(1234));
  const auto s = settings(
      "sqlite:///x.db?timeout=2.5&transaction_mode=immediate&foreign_keys=off&journal_mode=WAL", options);
  EXPECT_EQ(s.busy_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(s.begin_mode, transaction_mode::immediate);
  EXPECT_FALSE(s.foreign_keys);
  EXPECT_EQ(s.journal_mode, "wal");
  EXPECT_EQ(s.uri, "file:x.db");
}

TEST(sqlite_url, unknown_or_malformed_options_are_url_errors) {
  EXPECT_THROW(settings("sqlite:///x.db?timeuot=5"), url_error);
  EXPECT_THROW(settings("sqlite:///x.db?timeout=soon"), url_error);
  EXPECT_THROW(settings("sqlite:///x.db?timeout=-1"), url_error);
  EXPECT_THROW(settings("sqlite:///x.db?mode=readonly"), url_error);
  EXPECT_THROW(settings("sqlite:///x.db?transaction_mode=eager"), url_error);
  EXPECT_THROW(settings("sqlite:///x.db?journal_mode=wal;DROP"), url_error);
  try {
    settings("sqlite:///x.db?check_same_thread=false");
    FAIL() << "an unknown option was accepted";
  } catch (const url_error& e) {
    EXPECT_NE(std::string(e.what()).find("check_same_thread"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos)
        << "lists the known options: " << e.what();
  }
}

class sqlite_open : public testing::temp_dir_test {};

TEST_F(sqlite_open, relative_path_is_relative_to_the_working_directory) {
  const fs::path before = fs::current_path();
  fs::current_path(dir());
  {
    auto conn = open("sqlite:///rel.db");
    conn->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
  }
  fs::current_path(before);
  EXPECT_TRUE(fs::exists(dir() / "rel.db"));
}

TEST_F(sqlite_open, absolute_path_with_special_characters_names_exactly_that_file) {
  const std::string name = "a b?c#d%e.db";
  {
    auto conn = open("sqlite:///" + (dir() / "a%20b%3Fc%23d%25e.db").string());
    conn->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
  }
  EXPECT_TRUE(fs::exists(dir() / name));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir()), fs::directory_iterator{}), 1);
}

TEST_F(sqlite_open, memory_databases_are_private_to_their_connection) {
  auto a = open("sqlite://");
  auto b = open("sqlite:///:memory:");
  a->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
  EXPECT_THROW(b->execute("SELECT * FROM t", {}, fetch_mode::buffered), programming_error);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir()), fs::directory_iterator{}), 0);
}

TEST_F(sqlite_open, missing_file_is_created) {
  open(file_url("new.db"));
  EXPECT_TRUE(fs::exists(dir() / "new.db"));
}

TEST_F(sqlite_open, read_only_open_of_a_missing_file_fails_clearly_and_creates_nothing) {
  try {
    open(file_url("missing.db", "mode=ro"));
    FAIL() << "opened a missing file read-only";
  } catch (const operational_error& e) {
    EXPECT_EQ(e.driver(), "sqlite");
    EXPECT_NE(e.native_code().find("SQLITE_CANTOPEN"), std::string::npos) << e.native_code();
    EXPECT_NE(e.native_message().find("does not exist"), std::string::npos) << e.native_message();
    EXPECT_NE(e.native_message().find("mode=ro"), std::string::npos) << e.native_message();
  }
  EXPECT_FALSE(fs::exists(dir() / "missing.db"));
}

TEST_F(sqlite_open, read_only_connection_refuses_writes_with_operational_error) {
  open(file_url("ro.db"))->execute("CREATE TABLE t (x INTEGER)", {}, fetch_mode::buffered);
  auto conn = open(file_url("ro.db", "mode=ro"));
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM t"), 0);
  try {
    conn->execute("INSERT INTO t VALUES (1)", {}, fetch_mode::buffered);
    FAIL() << "wrote through a read-only connection";
  } catch (const operational_error& e) {
    EXPECT_EQ(e.native_code().rfind("SQLITE_READONLY", 0), 0u) << e.native_code();
  }
}

TEST_F(sqlite_open, missing_directory_is_an_operational_error_naming_it) {
  try {
    open(file_url("no/such/dir/x.db"));
    FAIL() << "opened a file in a missing directory";
  } catch (const operational_error& e) {
    EXPECT_NE(e.native_message().find("directory"), std::string::npos) << e.native_message();
    EXPECT_NE(e.native_message().find((dir() / "no/such/dir").string()), std::string::npos)
        << e.native_message();
    EXPECT_NE(e.native_message().find("does not exist"), std::string::npos) << e.native_message();
  }
}

// A read-only directory: tests/reliability/faults_test.cpp
// (sqlite_file_faults.a_read_only_directory_is_an_operational_error_even_for_root),
// which drops root's privileges in a child process so it runs in CI too.

TEST_F(sqlite_open, a_file_that_is_not_a_database_is_an_operational_error) {
  std::ofstream(dir() / "text.db")
      << "this is not a database, just some text that is long enough to have a header";
  auto conn = open(file_url("text.db"));  // SQLite reads the header lazily
  EXPECT_THROW(conn->execute("SELECT * FROM sqlite_master", {}, fetch_mode::buffered), operational_error);
}

TEST_F(sqlite_open, foreign_keys_are_enforced_unless_turned_off) {
  EXPECT_EQ(testing::scalar_int(*open(file_url("fk.db")), "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(testing::scalar_int(*open(file_url("fk.db", "foreign_keys=off")), "PRAGMA foreign_keys"), 0);
}

TEST_F(sqlite_open, journal_mode_option_is_applied) {
  auto conn = open(file_url("wal.db", "journal_mode=wal"));
  auto cursor = conn->execute("PRAGMA journal_mode", {}, fetch_mode::buffered);
  ASSERT_TRUE(cursor->next());
  EXPECT_EQ(cursor->get_text(0), "wal");
}

TEST_F(sqlite_open, ping_and_is_open) {
  auto conn = open(file_url("p.db"));
  EXPECT_TRUE(conn->is_open());
  EXPECT_TRUE(conn->ping());
}

TEST(sqlite_driver_object, names_itself_and_reports_in_memory_databases_as_single_connection) {
  sqlite_driver d;
  EXPECT_EQ(d.name(), "sqlite");
  EXPECT_EQ(d.dialect().name(), "sqlite");
  EXPECT_TRUE(d.single_connection(url::parse("sqlite://")));
  EXPECT_TRUE(d.single_connection(url::parse("sqlite:///:memory:")));
  EXPECT_FALSE(d.single_connection(url::parse("sqlite:////tmp/x.db")));
  EXPECT_NE(std::string(driver_version()).find(sqlite3_libversion()), std::string::npos);
}

}  // namespace
}  // namespace relate::sqlite
