// SPDX-License-Identifier: MIT
// Reading a cell as a C++ type it does not hold is refused the same way on
// every backend (issue 13): a usage_error naming the column and both types,
// never a quiet conversion -- bytes as their escape text, 2 as true, text as
// bytes, or an integer far outside any calendar as a date.
#include "reliability_support.hpp"
#include "text.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace relate::testing {
namespace {

class strict_reads : public backend_test {
 protected:
  std::string p(int n) { return engine().dialect().placeholder(n); }

  // Reads column `cell` of the only row of sql as T and expects a
  // usage_error whose message names the column and each of parts.
  template <typename T>
  void expect_refused(const std::string& sql, std::initializer_list<value> params,
                      std::initializer_list<std::string_view> parts) {
    SCOPED_TRACE(sql);
    auto conn = engine().connect();
    auto r = conn.execute(sql, std::span<const value>(params.begin(), params.size()));
    auto row = r.begin();
    ASSERT_TRUE(row != r.end());
    try {
      (void)(*row).template get<T>(0);
      ADD_FAILURE() << "read without an error";
    } catch (const relate::usage_error& e) {
      EXPECT_TRUE(contains(e.what(), "cell")) << e.what();
      for (auto part : parts) EXPECT_TRUE(contains(e.what(), part)) << e.what();
    }
  }
};

TEST_P(strict_reads, bytes_are_not_read_as_text) {
  const blob bytes{std::byte{0x00}, std::byte{0xff}};
  expect_refused<std::string>("SELECT " + p(1) + " AS cell", {value(bytes)}, {"text"});
}

TEST_P(strict_reads, an_integer_other_than_0_or_1_is_not_a_boolean) {
  expect_refused<bool>("SELECT 2 AS cell", {}, {"boolean"});
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute("SELECT 1 AS cell").scalar<bool>(), true);
  EXPECT_EQ(conn.execute("SELECT 0 AS cell").scalar<bool>(), false);
}

TEST_P(strict_reads, text_is_not_read_as_a_blob) {
  expect_refused<blob>("SELECT 'abc' AS cell", {}, {"blob"});
}

TEST_P(strict_reads, an_integer_beyond_any_calendar_is_not_a_date_or_a_timestamp) {
  for (std::int64_t v :
       {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    SCOPED_TRACE(v);
    expect_refused<relate::date>("SELECT " + p(1) + " AS cell", {v}, {"date"});
    expect_refused<relate::timestamp>("SELECT " + p(1) + " AS cell", {v}, {"timestamp"});
  }
}

// The same through the ORM: another program wrote a number into a DATE
// column (SQLite keeps it; PostgreSQL's column refuses it outright).
struct dated {
  std::int64_t id{};
  relate::date day{};
};
inline auto relate_mapping(relate::model<dated>) {
  using namespace relate::orm;
  return table<dated>("dated", column(&dated::id, "id", primary_key), column(&dated::day, "day"));
}

TEST_P(strict_reads, an_out_of_range_integer_in_a_date_column_is_refused_when_loaded) {
  relate::metadata meta;
  meta.add<dated>();
  meta.create_all(engine());
  {
    relate::session s(engine());
    s.add(dated{.id = 1, .day = relate::date{}});
    s.commit();
  }
  for (std::int64_t v :
       {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    SCOPED_TRACE(v);
    auto conn = engine().connect();
    try {
      conn.execute("UPDATE dated SET day = " + p(1), {v});
      conn.commit();
    } catch (const relate::database_error& e) {
      EXPECT_EQ(backend(), "postgresql") << e.what();  // the column's type refuses it
      continue;
    }
    relate::session s(engine());
    try {
      auto back = s.get<dated>(1);
      ADD_FAILURE() << "loaded " << relate::format_date(back->day);
    } catch (const relate::usage_error& e) {
      EXPECT_TRUE(contains(e.what(), "day")) << e.what();
    }
  }
}

RELATE_INSTANTIATE_BACKENDS(strict_reads);

}  // namespace
}  // namespace relate::testing
