// SPDX-License-Identifier: MIT
// The typed SQL functions (issue 18) on every backend: the values they return
// where the databases spell them differently (round goes through NUMERIC on
// PostgreSQL, extract is strftime on SQLite), how NULL propagates, and that
// both count the characters, not the bytes, of UTF-8 text.  The SQL text
// itself is checked in tests/unit and in the drivers' dialect tests.
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/statements.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace relate::testing {
namespace {

using namespace relate::sql;
using namespace std::chrono;
using std::int64_t;
using opt_i64 = std::optional<int64_t>;
using opt_f64 = std::optional<double>;
using opt_str = std::optional<std::string>;

class functions : public backend_test {
 protected:
  // readings: one row of values, one of NULLs.
  table_ptr readings = table("readings");
  column<int64_t> id{readings, "id"};
  column<opt_str> label{readings, "label"};
  column<opt_f64> amount{readings, "amount"};
  column<opt_i64> delta{readings, "delta"};
  column<std::optional<timestamp>> at{readings, "at"};
  column<std::optional<date>> day{readings, "day"};

  const timestamp when = sys_days{2024y / 2 / 29} + 13h + 45min + 59s + 750ms;

  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto conn = engine().connect();
    conn.execute(
        "CREATE TABLE readings (id BIGINT PRIMARY KEY, label TEXT, amount DOUBLE PRECISION, "
        "delta BIGINT, at " +
        type_name(engine(), type_kind::timestamp) + ", day " + type_name(engine(), type_kind::date) + ")");
    conn.execute(*insert(readings)
                      .columns(id, label, amount, delta, at, day)
                      .values(1, opt_str("héllo wörld"), opt_f64(2.567), opt_i64(-7), when,
                              std::optional<date>(sys_days{2024y / 2 / 29}))
                      .values(2, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt)
                      .node());
    conn.commit();
  }

  /// The first row of a one-row select.
  template <class... Ts, class Q>
  std::tuple<Ts...> row_of(const Q& statement) {
    auto conn = engine().connect();
    auto r = conn.execute(*statement.node());
    auto it = r.begin();
    if (it == r.end()) {
      ADD_FAILURE() << "no row";
      return {};
    }
    return read<Ts...>(*it, std::index_sequence_for<Ts...>{});
  }
  template <class... Ts, std::size_t... I>
  static std::tuple<Ts...> read(const row& r, std::index_sequence<I...>) {
    return std::tuple<Ts...>(r.template get<Ts>(I)...);
  }
};

TEST_P(functions, round_and_abs) {
  static_assert(std::is_same_v<decltype(round(amount, 2))::value_type, opt_f64>);
  static_assert(std::is_same_v<decltype(abs(delta))::value_type, opt_i64>);
  EXPECT_EQ(
      (row_of<opt_f64, opt_f64, opt_f64, opt_i64, opt_f64>(
          select(round(amount, 2), round(amount), round(delta, 1), abs(delta), abs(-amount)).where(id == 1))),
      std::make_tuple(opt_f64(2.57), opt_f64(3.0), opt_f64(-7.0), opt_i64(7), opt_f64(2.567)));
  // Half away from zero on both, and NULL stays NULL.
  EXPECT_EQ((row_of<double, double>(select(round(literal(2.5)), round(literal(-2.5))))),
            std::make_tuple(3.0, -3.0));
  EXPECT_EQ((row_of<opt_f64, opt_i64>(select(round(amount, 2), abs(delta)).where(id == 2))),
            std::make_tuple(opt_f64(), opt_i64()));
  EXPECT_THROW((void)round(amount, -1), usage_error) << "databases differ on negative places";
}

TEST_P(functions, length_counts_characters_of_utf8_text) {
  // "héllo wörld": 11 characters in 13 bytes; both databases count characters.
  EXPECT_EQ((row_of<opt_i64>(select(length(label)).where(id == 1))), std::make_tuple(opt_i64(11)));
  EXPECT_EQ((row_of<opt_i64>(select(length(label)).where(id == 2))), std::make_tuple(opt_i64()));
  EXPECT_EQ((row_of<int64_t>(select(id).where(length(label) > 10))), std::make_tuple(int64_t{1}));
}

TEST_P(functions, extract_parts_of_timestamps_and_dates) {
  using part = datetime_field;
  EXPECT_EQ((row_of<opt_i64, opt_i64, opt_i64, opt_i64, opt_i64, opt_i64>(
                select(extract(part::year, at), extract(part::month, at), extract(part::day, at),
                       extract(part::hour, at), extract(part::minute, at), extract(part::second, at))
                    .where(id == 1))),
            std::make_tuple(opt_i64(2024), opt_i64(2), opt_i64(29), opt_i64(13), opt_i64(45), opt_i64(59)))
      << "seconds are whole: 59.75 is 59";
  EXPECT_EQ((row_of<opt_i64, opt_i64, opt_i64>(
                select(extract(part::year, day), extract(part::day, day), extract(part::hour, day))
                    .where(id == 1))),
            std::make_tuple(opt_i64(2024), opt_i64(29), opt_i64(0)))
      << "a date's time is midnight";
  EXPECT_EQ((row_of<opt_i64>(select(extract(part::year, at)).where(id == 2))), std::make_tuple(opt_i64()));
  // A bound value, and a filter.
  const timestamp new_year = sys_days{2025y / 1 / 1} + 1h;
  EXPECT_EQ((row_of<int64_t>(select(extract(part::month, literal(new_year))))), std::make_tuple(int64_t{1}));
  EXPECT_EQ((row_of<int64_t>(select(id).where(extract(part::year, at) == 2024))),
            std::make_tuple(int64_t{1}));
}

TEST_P(functions, now_is_the_current_time_in_utc) {
  const auto [t] = row_of<timestamp>(select(now()));
  const auto drift = t - time_point_cast<microseconds>(system_clock::now());
  EXPECT_LT(std::abs(duration_cast<seconds>(drift).count()), 120) << "in UTC, give or take a slow machine";
  EXPECT_EQ((row_of<int64_t>(select(id).where(at < now()))), std::make_tuple(int64_t{1}));
}

TEST_P(functions, coalesce_and_concatenation_with_null) {
  static_assert(std::is_same_v<decltype(coalesce(label, "none"))::value_type, std::string>);
  static_assert(std::is_same_v<decltype(concat(label, "!"))::value_type, opt_str>);
  EXPECT_EQ((row_of<std::string>(select(coalesce(label, "none")).where(id == 2))),
            std::make_tuple(std::string("none")));
  EXPECT_EQ((row_of<opt_str>(select(coalesce(label, opt_str())).where(id == 2))), std::make_tuple(opt_str()));
  EXPECT_EQ((row_of<opt_str>(select(concat(label, " / ", label)).where(id == 1))),
            std::make_tuple(opt_str("héllo wörld / héllo wörld")));
  EXPECT_EQ((row_of<opt_str>(select(concat(label, "!")).where(id == 2))), std::make_tuple(opt_str()))
      << "|| with NULL is NULL";
}

RELATE_INSTANTIATE_BACKENDS(functions);

}  // namespace
}  // namespace relate::testing
