// SPDX-License-Identifier: MIT
// Database limits give clear, typed errors before anything is sent, and the
// ORM stays within them (issue 13): an IN list longer than PostgreSQL's
// 65,535 parameters runs (as one array parameter), raw SQL with too many
// parameters is a programming_error saying the limit, a value over 1 GB is a
// data_error, and a PostgreSQL session ended by
// idle_in_transaction_session_timeout says so.
#include "reliability_support.hpp"
#include "text.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace relate::testing {
namespace {

struct limited {
  std::int64_t id{};
  std::string name{};
};
inline auto relate_mapping(relate::model<limited>) {
  using namespace relate::orm;
  return table<limited>("limited", column(&limited::id, "id", primary_key), column(&limited::name, "name"));
}

class limits : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::metadata meta;
    meta.add<limited>();
    meta.create_all(engine());
    relate::session s(engine());
    for (int i = 1; i <= 10; ++i) s.add(limited{.id = i * 10, .name = "n" + std::to_string(i * 10)});
    s.commit();
  }
  std::size_t max_parameters() { return engine().dialect().capabilities().max_parameters; }
};

TEST_P(limits, an_in_list_longer_than_the_parameter_limit_runs_through_the_orm) {
  constexpr std::size_t n = 70'000;  // over PostgreSQL's 65,535
  if (max_parameters() < n && !engine().dialect().capabilities().array_in_lists_over)
    GTEST_SKIP() << "this SQLite library takes " << max_parameters() << " parameters";
  std::vector<std::int64_t> ids;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    ids.push_back(static_cast<std::int64_t>(i) * 5);  // every other multiple of 10 is in
    names.push_back("n" + std::to_string(i * 5));
  }
  relate::session s(engine());
  EXPECT_EQ(s.query<limited>().filter(relate::col(&limited::id).in_(ids)).count(), 10);
  EXPECT_EQ(s.query<limited>().filter(relate::col(&limited::name).in_(names)).count(), 10);
  EXPECT_EQ(s.query<limited>().filter(!relate::col(&limited::id).in_(ids)).count(), 0);
  // Quotes and backslashes survive the array form.
  names.push_back("it's \"quoted\" \\ {x}");
  s.add(limited{.id = 1, .name = names.back()});
  s.flush();
  EXPECT_EQ(s.query<limited>().filter(relate::col(&limited::name).in_(names)).count(), 11);
}

TEST_P(limits, raw_sql_over_the_parameter_limit_is_a_programming_error_naming_it) {
  const std::size_t n = max_parameters() + 1;
  std::string sql = "SELECT 1 WHERE 1 IN (";
  std::vector<relate::value> params;
  for (std::size_t i = 0; i < n; ++i) {
    sql += (i ? ", " : "") + engine().dialect().placeholder(i + 1);
    params.emplace_back(static_cast<std::int64_t>(i));
  }
  sql += ")";
  auto conn = engine().connect();
  try {
    conn.execute(sql, params);
    ADD_FAILURE() << "ran with " << n << " parameters";
  } catch (const relate::programming_error& e) {
    // PostgreSQL's limit is the protocol's, checked before sending; SQLite
    // says it in its own words.
    const std::string says = backend() == "postgresql" ? "at most 65535" : "too many SQL variables";
    EXPECT_TRUE(contains(e.what(), says)) << std::string(e.what()).substr(0, 300);
  }
  // The connection is still usable.
  conn.rollback();
  EXPECT_EQ(conn.execute("SELECT 1").scalar<std::int64_t>(), 1);
}

TEST_P(limits, a_value_over_one_gigabyte_is_a_data_error_and_the_connection_survives) {
  std::string huge(std::size_t{1} << 30, 'x');
  auto conn = engine().connect();
  const std::string sql = "SELECT length(" + engine().dialect().placeholder(1) + ")";
  EXPECT_THROW(conn.execute(sql, {relate::value(std::move(huge))}), relate::data_error);
  conn.rollback();
  EXPECT_EQ(conn.execute("SELECT 1").scalar<std::int64_t>(), 1);
}

TEST_P(limits, a_session_ended_by_the_idle_in_transaction_timeout_says_so) {
  if (backend() != "postgresql") GTEST_SKIP() << "PostgreSQL's idle_in_transaction_session_timeout";
  auto conn = engine().connect();
  conn.execute("SET idle_in_transaction_session_timeout = '200ms'");
  conn.execute("SELECT 1");  // in a transaction, then idle
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  try {
    conn.execute("SELECT 1");
    ADD_FAILURE() << "the statement ran after the timeout";
  } catch (const relate::operational_error& e) {
    EXPECT_EQ(e.info().native_code, "25P03") << e.what();
    EXPECT_TRUE(contains(e.what(), "idle-in-transaction timeout")) << e.what();
  }
}

RELATE_INSTANTIATE_BACKENDS(limits);

}  // namespace
}  // namespace relate::testing
