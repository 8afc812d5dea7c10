// SPDX-License-Identifier: MIT
// Raw SQL through the engine on every backend: each value type stored and read
// back exactly, typed row access, and the errors portable code relies on.
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace relate::testing {
namespace {

using namespace std::chrono_literals;
using sql::type_kind;

class raw_sql : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto conn = engine().connect();
    conn.execute(
        "CREATE TABLE vals (id BIGINT PRIMARY KEY, b BOOLEAN, i BIGINT, d DOUBLE PRECISION, s TEXT, x " +
        type_name(engine(), type_kind::blob) + ", t " + type_name(engine(), type_kind::timestamp) + ", dt " +
        type_name(engine(), type_kind::date) + ")");
    conn.commit();
  }

  std::string q(std::string_view text) { return portable_sql(engine(), text); }

  // Stores v in column, reads it back as T through a fresh connection, so the
  // value really went through the database.
  template <class T>
  T round_trip(const std::string& column, const value& v) {
    const std::int64_t id = ++next_id_;
    {
      auto conn = engine().connect();
      conn.execute(q("INSERT INTO vals (id, " + column + ") VALUES (?, ?)"), {id, v});
      conn.commit();
    }
    auto conn = engine().connect();
    auto result = conn.execute(q("SELECT " + column + " FROM vals WHERE id = ?"), {id});
    auto it = result.begin();
    if (it == result.end()) {
      ADD_FAILURE() << "the row stored in " << column << " was not found";
      return T{};
    }
    return it->get<T>(0);
  }

  std::int64_t next_id_ = 0;
};

TEST_P(raw_sql, null_round_trips_in_every_column) {
  auto conn = engine().connect();
  conn.execute(q("INSERT INTO vals (id, b, i, d, s, x, t, dt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
               {1, null, null, null, null, null, null, null});
  conn.commit();
  auto result = conn.execute("SELECT b, i, d, s, x, t, dt FROM vals");
  int rows = 0;
  for (const auto& row : result) {
    ++rows;
    for (std::size_t c = 0; c < row.size(); ++c) {
      EXPECT_TRUE(row.is_null(c)) << row.column_name(c);
      EXPECT_EQ(row.kind(c), value_kind::null) << row.column_name(c);
    }
    EXPECT_EQ(row.get<std::optional<bool>>(0), std::nullopt);
    EXPECT_EQ(row.get<std::optional<std::int64_t>>(1), std::nullopt);
    EXPECT_EQ(row.get<std::optional<double>>(2), std::nullopt);
    EXPECT_EQ(row.get<std::optional<std::string>>(3), std::nullopt);
    EXPECT_EQ(row.get<std::optional<blob>>(4), std::nullopt);
    EXPECT_EQ(row.get<std::optional<timestamp>>(5), std::nullopt);
    EXPECT_EQ(row.get<std::optional<date>>(6), std::nullopt);
    EXPECT_TRUE(row.get_value(0).is_null());
  }
  EXPECT_EQ(rows, 1);
}

TEST_P(raw_sql, booleans_round_trip) {
  EXPECT_TRUE(round_trip<bool>("b", true));
  EXPECT_FALSE(round_trip<bool>("b", false));
  EXPECT_EQ(round_trip<std::optional<bool>>("b", true), std::optional<bool>(true));
}

TEST_P(raw_sql, int64_extremes_round_trip) {
  for (std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                         std::int64_t{0}, std::int64_t{-1}, std::int64_t{1} << 53}) {
    EXPECT_EQ(round_trip<std::int64_t>("i", v), v);
  }
  EXPECT_EQ(round_trip<int>("i", 123456), 123456);
}

TEST_P(raw_sql, doubles_round_trip_exactly) {
  for (double v :
       {0.0, 1.5, -2.25, 3.141592653589793, 0.1, 1e308, -1e-308, std::numeric_limits<double>::min(),
        std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()}) {
    EXPECT_EQ(round_trip<double>("d", v), v);
  }
  // -0.0 comes back equal to zero everywhere.  (SQLite stores whole reals as
  // integers in REAL columns, so its sign survives only on some backends.)
  const double zero = round_trip<double>("d", -0.0);
  EXPECT_EQ(zero, 0.0);
}

TEST_P(raw_sql, infinities_and_nan_round_trip_or_are_refused_as_data_errors) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {inf, -inf, std::numeric_limits<double>::quiet_NaN()}) {
    try {
      const double back = round_trip<double>("d", v);
      if (std::isnan(v)) {
        EXPECT_TRUE(std::isnan(back)) << back;
      } else {
        EXPECT_EQ(back, v);
      }
    } catch (const data_error& e) {
      // A backend that cannot store the value says so (SQLite would turn NaN into NULL).
      EXPECT_FALSE(std::string(e.what()).empty());
    }
  }
}

TEST_P(raw_sql, texts_round_trip_byte_for_byte) {
  const std::vector<std::string> texts = {
      "",
      "plain",
      "it's \"quoted\" `three` ways",
      "'; DROP TABLE vals; --",
      "back\\slash and 100% _wild_",
      "unicode: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\x8F rtl",
      "line\nbreak\ttab",
      std::string(100'000, 'x'),
  };
  for (const auto& text : texts) EXPECT_EQ(round_trip<std::string>("s", text), text);
  // The empty string is not NULL.
  EXPECT_EQ(round_trip<std::optional<std::string>>("s", ""), std::optional<std::string>(""));
}

TEST_P(raw_sql, blobs_round_trip_with_nul_bytes) {
  blob all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<std::byte>(i));
  const blob with_nuls{std::byte{0}, std::byte{0}, std::byte{'a'}, std::byte{0}};
  EXPECT_EQ(round_trip<blob>("x", all_bytes), all_bytes);
  EXPECT_EQ(round_trip<blob>("x", with_nuls), with_nuls);
  EXPECT_EQ(round_trip<std::optional<blob>>("x", blob{}), std::optional<blob>(blob{}));
}

TEST_P(raw_sql, a_16_mib_blob_round_trips) {
  blob big(16u << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>((i * 2654435761u) >> 13);
  EXPECT_TRUE(round_trip<blob>("x", big) == big);
}

TEST_P(raw_sql, timestamps_round_trip_with_microseconds_before_and_after_1970) {
  const std::vector<timestamp> times = {
      std::chrono::sys_days(std::chrono::year{2021} / 1 / 1) + 0us,
      std::chrono::sys_days(std::chrono::year{2024} / 2 / 29) + 23h + 59min + 59s + 999999us,
      std::chrono::sys_days(std::chrono::year{1969} / 12 / 31) + 23h + 59min + 59s + 1us,
      std::chrono::sys_days(std::chrono::year{1900} / 3 / 1) + 12h + 123456us,
      timestamp(0us),
      std::chrono::sys_days(std::chrono::year{2100} / 12 / 31) + 1s,
  };
  for (const auto& t : times) EXPECT_EQ(round_trip<timestamp>("t", t), t) << format_timestamp(t);
}

TEST_P(raw_sql, dates_round_trip) {
  for (date d : {date(std::chrono::sys_days(std::chrono::year{1970} / 1 / 1)),
                 date(std::chrono::sys_days(std::chrono::year{1969} / 12 / 31)),
                 date(std::chrono::sys_days(std::chrono::year{2000} / 2 / 29)),
                 date(std::chrono::sys_days(std::chrono::year{1066} / 10 / 14))}) {
    EXPECT_EQ(round_trip<date>("dt", d), d) << format_date(d);
  }
}

TEST_P(raw_sql, rows_are_read_by_index_and_by_name) {
  auto conn = engine().connect();
  conn.execute(q("INSERT INTO vals (id, i, s, d) VALUES (?, ?, ?, ?)"), {1, 10, "ten", 10.5});
  conn.execute(q("INSERT INTO vals (id, i, s, d) VALUES (?, ?, ?, ?)"), {2, 20, "twenty", 20.5});
  std::vector<std::string> seen;
  for (const auto& row :
       conn.execute(q("SELECT id, i AS amount, s FROM vals WHERE id > ? ORDER BY id"), {0})) {
    EXPECT_EQ(row.size(), 3u);
    EXPECT_EQ(row.column_name(1), "amount");
    EXPECT_EQ(row.get<std::int64_t>(1), row.get<std::int64_t>("amount"));
    EXPECT_EQ(row.get<std::int64_t>("id") * 10, row.get<std::int64_t>(1));
    EXPECT_EQ(row.get<std::string_view>("s"), row.get<std::string>(2));
    EXPECT_EQ(row.index_of("s"), 2u);
    EXPECT_THROW(row.index_of("missing"), usage_error);
    EXPECT_THROW(row.get<std::int64_t>("missing"), usage_error);
    seen.push_back(row.get<std::string>("s"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ten", "twenty"}));
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 2);
  EXPECT_EQ(conn.execute(q("SELECT i FROM vals WHERE id = ?"), {99}).scalar<std::int64_t>(), std::nullopt);
}

TEST_P(raw_sql, execute_many_and_streamed_results) {
  auto conn = engine().connect();
  std::vector<std::vector<value>> rows;
  for (std::int64_t id = 1; id <= 50; ++id) rows.push_back({id, id * id, "row " + std::to_string(id)});
  conn.execute_many(q("INSERT INTO vals (id, i, s) VALUES (?, ?, ?)"), rows);
  const std::vector<value> params{value(10)};
  auto result =
      conn.execute(q("SELECT id, i, s FROM vals WHERE id > ? ORDER BY id"), params, fetch_mode::streamed);
  std::int64_t expected = 11;
  for (const auto& row : result) {
    EXPECT_EQ(row.get<std::int64_t>(0), expected);
    EXPECT_EQ(row.get<std::int64_t>(1), expected * expected);
    EXPECT_EQ(row.get<std::string>(2), "row " + std::to_string(expected));
    ++expected;
  }
  EXPECT_EQ(expected, 51);
}

TEST_P(raw_sql, execute_many_returns_each_executions_row_count_in_order) {
  auto conn = engine().connect();
  std::vector<std::vector<value>> rows;
  for (std::int64_t id = 1; id <= 700; ++id) rows.push_back({id, id % 7});
  conn.execute_many(q("INSERT INTO vals (id, i) VALUES (?, ?)"), rows);
  // 700 UPDATEs: more than one pipeline's worth on PostgreSQL, and the
  // parameter types change along the way (NULL, small and large integers),
  // which splits the runs into several prepared statements.
  std::vector<std::vector<value>> sets;
  std::vector<std::int64_t> expected;
  for (std::int64_t k = 0; k < 700; ++k) {
    const value new_s = k % 3 == 0 ? value(null) : value("s" + std::to_string(k));
    const value match = k % 100 == 50 ? value(std::int64_t{5'000'000'000}) : value(k % 7);
    sets.push_back({new_s, match});
    expected.push_back(k % 100 == 50 ? 0 : 100);  // each i from 0 to 6 has 100 rows
  }
  const auto counts = conn.execute_many(q("UPDATE vals SET s = ? WHERE i = ?"), sets);
  EXPECT_EQ(counts, expected);
  // The last write to each i is the one that stays.
  EXPECT_EQ(conn.execute(q("SELECT coalesce(s, 'null') FROM vals WHERE id = ?"), {7}).scalar<std::string>(),
            "null")
      << "i = 0, last written by k = 693 (NULL)";
  EXPECT_EQ(conn.execute(q("SELECT s FROM vals WHERE id = ?"), {1}).scalar<std::string>(), "s694");
  EXPECT_TRUE(conn.execute_many(q("UPDATE vals SET s = ? WHERE i = ?"), {}).empty());
}

TEST_P(raw_sql, execute_many_stops_at_the_first_failure_and_the_transaction_rolls_back) {
  auto conn = engine().connect();
  std::vector<std::vector<value>> rows;
  for (std::int64_t id = 1; id <= 300; ++id) rows.push_back({id == 150 ? std::int64_t{1} : id, id});
  try {
    conn.execute_many(q("INSERT INTO vals (id, i) VALUES (?, ?)"), rows);
    FAIL() << "a duplicate key in the middle was accepted";
  } catch (const integrity_error& e) {
    EXPECT_EQ(e.driver(), backend());
    EXPECT_NE(e.sql().find("INSERT INTO vals"), std::string::npos) << e.sql();
  }
  conn.rollback();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 0);
  // The connection works normally afterwards.
  const std::vector<std::vector<value>> two{{value(1), value(1)}, {value(2), value(2)}};
  EXPECT_EQ(conn.execute_many(q("INSERT INTO vals (id, i) VALUES (?, ?)"), two),
            (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 2);
}

TEST_P(raw_sql, execute_many_keeps_the_executions_before_a_value_the_backend_refuses) {
  // A value each backend refuses before sending it: NaN on SQLite, text with a
  // NUL byte on PostgreSQL.
  const bool sqlite = backend() == "sqlite";
  const std::string sql =
      q(sqlite ? "INSERT INTO vals (id, d) VALUES (?, ?)" : "INSERT INTO vals (id, s) VALUES (?, ?)");
  const value good = sqlite ? value(1.5) : value("fine");
  const value bad = sqlite ? value(std::numeric_limits<double>::quiet_NaN()) : value(std::string("a\0b", 3));
  std::vector<std::vector<value>> rows;
  for (std::int64_t id = 1; id <= 4; ++id) rows.push_back({id, id == 3 ? bad : good});
  auto conn = engine().connect();
  EXPECT_THROW(conn.execute_many(sql, rows), data_error);
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 2)
      << "the two executions before the refused value stay in the open transaction";
  conn.rollback();
}

TEST_P(raw_sql, update_and_delete_report_rows_affected) {
  auto conn = engine().connect();
  for (int id = 1; id <= 5; ++id) conn.execute(q("INSERT INTO vals (id, i) VALUES (?, ?)"), {id, id * 10});
  EXPECT_EQ(conn.execute(q("UPDATE vals SET s = ? WHERE i >= ?"), {"big", 30}).rows_affected(), 3);
  EXPECT_EQ(conn.execute(q("DELETE FROM vals WHERE i < ?"), {20}).rows_affected(), 1);
  EXPECT_EQ(conn.execute(q("UPDATE vals SET s = ? WHERE i > ?"), {"none", 1000}).rows_affected(), 0);
}

TEST_P(raw_sql, null_into_a_non_optional_is_a_usage_error_naming_the_column) {
  auto conn = engine().connect();
  conn.execute(q("INSERT INTO vals (id) VALUES (?)"), {1});
  auto result = conn.execute("SELECT id, i AS missing_amount FROM vals");
  for (const auto& row : result) {
    try {
      row.get<std::int64_t>(1);
      FAIL() << "NULL read into a non-optional";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("missing_amount"), std::string::npos) << e.what();
    }
    EXPECT_THROW(row.get<std::string>("missing_amount"), usage_error);
    EXPECT_EQ(row.get<std::optional<std::int64_t>>(1), std::nullopt);
  }
}

TEST_P(raw_sql, type_mismatch_is_a_usage_error_naming_the_column) {
  auto conn = engine().connect();
  conn.execute(q("INSERT INTO vals (id, s, x) VALUES (?, ?, ?)"), {1, "not a number", blob{std::byte{1}}});
  auto result = conn.execute("SELECT s AS label, x FROM vals");
  for (const auto& row : result) {
    try {
      row.get<std::int64_t>(0);
      FAIL() << "text read as an integer";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("label"), std::string::npos) << e.what();
    }
    EXPECT_THROW(row.get<double>(0), usage_error);
    EXPECT_THROW(row.get<timestamp>(0), usage_error);
    EXPECT_THROW(row.get<std::int64_t>(1), usage_error);
  }
}

TEST_P(raw_sql, unique_violation_is_an_integrity_error) {
  auto conn = engine().connect();
  conn.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT UNIQUE NOT NULL)");
  const std::string insert = q("INSERT INTO users (id, email) VALUES (?, ?)");
  conn.execute(insert, {1, "a@example.com"});
  try {
    conn.execute(insert, {2, "a@example.com"});
    FAIL() << "duplicate accepted";
  } catch (const integrity_error& e) {
    EXPECT_EQ(e.category(), error_category::integrity);
    EXPECT_EQ(e.driver(), backend());
    EXPECT_EQ(e.sql(), insert);
    EXPECT_FALSE(e.native_code().empty());
    EXPECT_FALSE(e.native_message().empty());
    EXPECT_EQ(std::string(e.what()).find("a@example.com"), std::string::npos)
        << "parameter values must not appear in errors: " << e.what();
  }
  conn.rollback();
}

TEST_P(raw_sql, foreign_key_violation_is_an_integrity_error) {
  auto conn = engine().connect();
  conn.execute("CREATE TABLE parents (id BIGINT PRIMARY KEY)");
  conn.execute("CREATE TABLE children (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parents (id))");
  conn.execute(q("INSERT INTO parents (id) VALUES (?)"), {1});
  conn.execute(q("INSERT INTO children (id, parent_id) VALUES (?, ?)"), {1, 1});
  EXPECT_THROW(conn.execute(q("INSERT INTO children (id, parent_id) VALUES (?, ?)"), {2, 42}),
               integrity_error);
  conn.rollback();
}

TEST_P(raw_sql, a_database_error_is_catchable_at_every_level) {
  auto conn = engine().connect();
  conn.execute("CREATE TABLE once (id BIGINT PRIMARY KEY)");
  conn.execute("INSERT INTO once (id) VALUES (1)");
  EXPECT_THROW(conn.execute("INSERT INTO once (id) VALUES (1)"), database_error);
  conn.rollback();
  EXPECT_THROW(conn.execute("INSERT INTO nowhere (id) VALUES (1)"), relate::error);
  conn.rollback();
}

TEST_P(raw_sql, syntax_error_is_a_programming_error_carrying_the_sql) {
  auto conn = engine().connect();
  const std::string bad = "SELEKT id FROM vals";
  try {
    conn.execute(bad);
    FAIL() << "bad SQL accepted";
  } catch (const programming_error& e) {
    EXPECT_EQ(e.sql(), bad);
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
  }
  conn.rollback();
  EXPECT_THROW(conn.execute("SELECT nothing FROM no_such_table"), programming_error);
  conn.rollback();
}

TEST_P(raw_sql, values_are_bound_never_pasted) {
  auto conn = engine().connect();
  const std::string hostile = "x'); DROP TABLE vals; --";
  conn.execute(q("INSERT INTO vals (id, s) VALUES (?, ?)"), {1, hostile});
  conn.commit();
  EXPECT_EQ(conn.execute(q("SELECT s FROM vals WHERE s = ?"), {hostile}).scalar<std::string>(), hostile);
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 1);
}

TEST_P(raw_sql, hostile_identifiers_are_quoted_not_executed) {
  const auto& d = engine().dialect();
  const std::vector<std::string> names = {
      "select",    "we\"ird",   "it's", "x; DROP TABLE vals; --", "caf\xC3\xA9 \xF0\x9F\x98\x80",
      "MixedCase", "with space"};
  auto conn = engine().connect();
  for (const auto& name : names) {
    const std::string table = d.quote_identifier("t_" + name);
    const std::string column = d.quote_identifier(name);
    conn.execute("CREATE TABLE " + table + " (" + column + " TEXT)");
    conn.execute(q("INSERT INTO " + table + " (" + column + ") VALUES (?)"), {name});
    auto result = conn.execute("SELECT " + column + " FROM " + table);
    auto it = result.begin();
    ASSERT_NE(it, result.end()) << name;
    EXPECT_EQ(it->get<std::string>(0), name);
    EXPECT_EQ(it->column_name(0), name);
  }
  conn.commit();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM vals").scalar<std::int64_t>(), 0) << "vals is intact";
}

RELATE_INSTANTIATE_BACKENDS(raw_sql);

}  // namespace
}  // namespace relate::testing
