// SPDX-License-Identifier: MIT
// A whole SQL script through one execute(): the Chinook sample, as the
// project ships it, loads into SQLite with every row and every foreign key.
#include "sqlite_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace relate::sqlite {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(sqlite_script, chinook_sample_loads_through_one_execute) {
  const std::string script = read_file(RELATE_TEST_DATA_DIR "/chinook/Chinook_Sqlite.sql");
  ASSERT_GT(script.size(), 500'000u) << "Chinook_Sqlite.sql not found under " RELATE_TEST_DATA_DIR;
  auto conn = testing::open("sqlite://");
  conn->begin({});
  conn->execute(script, {}, fetch_mode::buffered);
  conn->commit();
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM Artist"), 275);
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM Track"), 3503);
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM PlaylistTrack"), 8715);
  EXPECT_EQ(testing::rows(*conn, "PRAGMA foreign_key_check").size(), 0u);
  EXPECT_EQ(testing::scalar_int(*conn, "SELECT count(*) FROM Employee WHERE ReportsTo IS NULL"), 1);
}

TEST(sqlite_script, a_failing_statement_stops_the_script_and_names_itself) {
  auto conn = testing::open("sqlite://");
  try {
    conn->execute("CREATE TABLE a (x INTEGER); INSERT INTO nowhere VALUES (1); CREATE TABLE b (y INTEGER);",
                  {}, fetch_mode::buffered);
    FAIL() << "the script did not fail";
  } catch (const programming_error& e) {
    EXPECT_NE(e.sql().find("nowhere"), std::string::npos) << e.sql();
    EXPECT_EQ(e.sql().find("CREATE TABLE a"), std::string::npos) << "names the failing part: " << e.sql();
  }
  EXPECT_EQ(testing::rows(*conn, "SELECT name FROM sqlite_master WHERE name = 'b'").size(), 0u);
  EXPECT_EQ(testing::rows(*conn, "SELECT name FROM sqlite_master WHERE name = 'a'").size(), 1u);
}

}  // namespace
}  // namespace relate::sqlite
