// SPDX-License-Identifier: MIT
// The edges of every mapped type through the ORM on every backend (the raw-SQL
// edges are in tests/conformance/raw_sql_test.cpp): integer extremes of each
// width, -0.0, infinities and NaN (stored, or refused with a data_error),
// empty strings and blobs versus NULL, timestamps before 1970 with
// microseconds, far dates, and a 16 MiB blob.  Each value is written by a
// session, read back by another, and found again by a query that binds it.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace relate::testing {
namespace {

using namespace std::chrono;
using std::int16_t;
using std::int32_t;
using std::int64_t;

struct edge_row {
  int64_t id{};
  int16_t small{};
  int32_t medium{};
  int64_t big{};
  double real{};
  std::optional<double> maybe_real{};
  std::string text{};
  std::optional<std::string> maybe_text{};
  relate::blob bytes{};
  std::optional<relate::blob> maybe_bytes{};
  relate::timestamp at{};
  std::optional<relate::timestamp> maybe_at{};
  sys_time<seconds> at_seconds{};
  relate::date day{};
  std::optional<relate::date> maybe_day{};
  std::string label{};  // finds the row again
};
inline auto relate_mapping(relate::model<edge_row>) {
  using namespace relate::orm;
  return table<edge_row>("edges", column(&edge_row::id, "id", primary_key), column(&edge_row::small, "small"),
                         column(&edge_row::medium, "medium"), column(&edge_row::big, "big"),
                         column(&edge_row::real, "real_value"), column(&edge_row::maybe_real, "maybe_real"),
                         column(&edge_row::text, "text_value"), column(&edge_row::maybe_text, "maybe_text"),
                         column(&edge_row::bytes, "bytes"), column(&edge_row::maybe_bytes, "maybe_bytes"),
                         column(&edge_row::at, "at"), column(&edge_row::maybe_at, "maybe_at"),
                         column(&edge_row::at_seconds, "at_seconds"), column(&edge_row::day, "day"),
                         column(&edge_row::maybe_day, "maybe_day"), column(&edge_row::label, "label"));
}

class type_edges : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<edge_row>();
    meta.create_all(engine());
  }
  void TearDown() override {
    reader_.reset();  // its transaction would keep PostgreSQL from dropping the scratch schema
    backend_test::TearDown();
  }

  // Stores the row through one session and returns it as another session loads it.
  relate::ptr<edge_row> round_trip(const edge_row& row) {
    reader_.reset();  // its read transaction would hold SQLite's lock against this write
    relate::session s(engine());
    auto added = s.add(row);
    s.commit();
    reader_.emplace(engine());
    auto back = reader_->get<edge_row>(added->id);
    EXPECT_TRUE(back) << "the row was not found";
    return back;
  }

  relate::metadata meta;
  std::optional<relate::session> reader_;
};

TEST_P(type_edges, integer_extremes_of_every_width_round_trip_and_are_found_by_value) {
  using l16 = std::numeric_limits<int16_t>;
  using l32 = std::numeric_limits<int32_t>;
  using l64 = std::numeric_limits<int64_t>;
  const std::vector<edge_row> rows = {
      {.small = l16::min(), .medium = l32::min(), .big = l64::min(), .label = "min"},
      {.small = l16::max(), .medium = l32::max(), .big = l64::max(), .label = "max"},
      {.small = -1, .medium = -1, .big = -1, .label = "minus one"},
      {.small = 0, .medium = 0, .big = int64_t{1} << 53, .label = "2^53"},
      {.small = 1, .medium = 1, .big = (int64_t{1} << 53) + 1, .label = "2^53 + 1"},  // not a double
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto back = round_trip(row);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->small, row.small);
    EXPECT_EQ(back->medium, row.medium);
    EXPECT_EQ(back->big, row.big);
    EXPECT_EQ(reader_->query<edge_row>()
                  .filter_by(&edge_row::big, row.big)
                  .filter_by(&edge_row::medium, row.medium)
                  .filter_by(&edge_row::small, row.small)
                  .one(),
              back);
  }
  relate::session s(engine());
  EXPECT_EQ(s.query<edge_row>().filter(relate::col(&edge_row::big) > l64::max() - 1).one()->label, "max");
  EXPECT_EQ(s.query<edge_row>().filter(relate::col(&edge_row::big) < l64::min() + 1).one()->label, "min");
}

TEST_P(type_edges, finite_doubles_round_trip_exactly) {
  using l = std::numeric_limits<double>;
  for (double v : {0.0, 0.1, -2.5, 1e308, -1e-308, l::max(), l::lowest(), l::min(), l::denorm_min(),
                   l::epsilon(), 3.141592653589793, 1.0 / 3.0, 9007199254740993.0}) {
    SCOPED_TRACE(v);
    auto back = round_trip({.real = v, .maybe_real = v, .label = "d"});
    ASSERT_TRUE(back);
    EXPECT_EQ(back->real, v);
    EXPECT_EQ(back->maybe_real, v);
    EXPECT_TRUE(reader_->query<edge_row>().filter(relate::col(&edge_row::real) == v).count() >= 1);
  }
}

TEST_P(type_edges, negative_zero_comes_back_equal_to_zero_and_with_its_sign_where_the_backend_keeps_it) {
  auto back = round_trip({.real = -0.0, .maybe_real = -0.0, .label = "-0"});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->real, 0.0);
  EXPECT_EQ(back->maybe_real, 0.0);
  // SQLite writes a whole number in a REAL column as an integer, so the sign
  // of -0.0 is lost there (SQLite's storage, documented in the README).
  // PostgreSQL's double precision keeps it.
  if (backend() == "postgresql") {
    EXPECT_TRUE(std::signbit(back->real));
    EXPECT_TRUE(std::signbit(*back->maybe_real));
  }
}

TEST_P(type_edges, infinities_and_nan_round_trip_or_are_refused_with_a_data_error) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {inf, -inf, std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(v);
    relate::session s(engine());
    auto added = s.add(edge_row{.real = v, .maybe_real = v, .label = "special"});
    try {
      s.commit();
    } catch (const relate::data_error& e) {
      // Refused clearly (SQLite would store NaN as NULL), nothing stored, and
      // the session goes on.
      EXPECT_EQ(e.driver(), backend());
      if (std::isnan(v)) {
        EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << e.what();
      }
      EXPECT_EQ(added.status(), relate::object_status::pending);
      added->real = 1.0;
      added->maybe_real = std::nullopt;
      s.commit();
      EXPECT_EQ(committed_count(engine(), "edges"), 1);
      s.remove(added);
      s.commit();
      continue;
    }
    relate::session t(engine());
    auto back = t.get<edge_row>(added->id);
    ASSERT_TRUE(back);
    ASSERT_TRUE(back->maybe_real.has_value()) << "a special double must not come back as NULL";
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(back->real));
      EXPECT_TRUE(std::isnan(*back->maybe_real));
    } else {
      EXPECT_EQ(back->real, v);
      EXPECT_EQ(*back->maybe_real, v);
      EXPECT_EQ(t.query<edge_row>().filter(relate::col(&edge_row::real) == v).one(), back);
    }
    t.remove(back);
    t.commit();
  }
  EXPECT_EQ(committed_count(engine(), "edges"), 0);
}

TEST_P(type_edges, empty_strings_and_blobs_are_not_null) {
  relate::session s(engine());
  auto empty = s.add(edge_row{.maybe_text = "", .maybe_bytes = relate::blob{}, .label = "empty"});
  auto null = s.add(edge_row{.label = "null"});
  s.commit();
  relate::session t(engine());
  auto e = t.get<edge_row>(empty->id);
  auto n = t.get<edge_row>(null->id);
  ASSERT_TRUE(e && n);
  EXPECT_EQ(e->maybe_text, std::optional<std::string>(""));
  EXPECT_EQ(e->maybe_bytes, std::optional<relate::blob>(relate::blob{}));
  EXPECT_EQ(e->text, "");
  EXPECT_EQ(e->bytes, relate::blob{});
  EXPECT_EQ(n->maybe_text, std::nullopt);
  EXPECT_EQ(n->maybe_bytes, std::nullopt);
  // Queries tell them apart too.
  EXPECT_EQ(t.query<edge_row>().filter_by(&edge_row::maybe_text, std::string()).one(), e);
  EXPECT_EQ(t.query<edge_row>().filter_by(&edge_row::maybe_text, std::nullopt).one(), n);
  EXPECT_EQ(t.query<edge_row>().filter(relate::col(&edge_row::maybe_bytes).is_null()).one(), n);
  EXPECT_EQ(t.query<edge_row>().filter(relate::col(&edge_row::maybe_bytes) == relate::blob{}).one(), e);
  // Changing "" to NULL and back is a change each way.
  e->maybe_text = std::nullopt;
  n->maybe_text = "";
  EXPECT_TRUE(t.has_changes());
  t.commit();
  relate::session v(engine());
  EXPECT_EQ(v.get<edge_row>(empty->id)->maybe_text, std::nullopt);
  EXPECT_EQ(v.get<edge_row>(null->id)->maybe_text, std::optional<std::string>(""));
}

TEST_P(type_edges, timestamps_before_and_after_1970_keep_their_microseconds) {
  const std::vector<relate::timestamp> times = {
      sys_days{1969y / 12 / 31} + 23h + 59min + 59s + 999999us,  // one microsecond before the epoch
      sys_days{1969y / 12 / 31} + 23h + 59min + 59s +
          500000us,  // negative and half a second: floor, not trunc
      sys_days{1970y / 1 / 1} + 1us,
      relate::timestamp{},
      sys_days{1900y / 3 / 1} + 12h + 123456us,
      sys_days{1000y / 1 / 1} + 1us,
      sys_days{1y / 1 / 1} + 0us,
      sys_days{2000y / 2 / 29} + 12h + 1us,
      sys_days{2038y / 1 / 19} + 3h + 14min + 8s + 1us,  // past 32-bit time_t
      sys_days{9999y / 12 / 31} + 23h + 59min + 59s + 999999us,
  };
  for (const auto& t : times) {
    SCOPED_TRACE(relate::format_timestamp(t));
    const auto secs = floor<seconds>(t);
    auto back = round_trip({.at = t, .maybe_at = t, .at_seconds = secs, .label = "t"});
    ASSERT_TRUE(back);
    EXPECT_EQ(back->at, t);
    EXPECT_EQ(back->maybe_at, t);
    EXPECT_EQ(back->at_seconds, secs);
    EXPECT_EQ(reader_->query<edge_row>()
                  .filter(relate::col(&edge_row::at) == t)
                  .filter(relate::col(&edge_row::label) == std::string("t"))
                  .count(),
              1);
  }
  // Ordering by a timestamp is chronological across the epoch and across years < 1000.
  relate::session s(engine());
  auto sorted = s.query<edge_row>().order_by(relate::asc(&edge_row::at)).all();
  ASSERT_EQ(sorted.size(), times.size());
  for (std::size_t i = 1; i < sorted.size(); ++i) EXPECT_LT(sorted[i - 1]->at, sorted[i]->at);
}

TEST_P(type_edges, dates_round_trip_far_from_1970) {
  for (relate::date d : {relate::date{sys_days{1970y / 1 / 1}}, relate::date{sys_days{1969y / 12 / 31}},
                         relate::date{sys_days{2000y / 2 / 29}}, relate::date{sys_days{1900y / 3 / 1}},
                         relate::date{sys_days{1y / 1 / 1}}, relate::date{sys_days{9999y / 12 / 31}}}) {
    SCOPED_TRACE(relate::format_date(d));
    auto back = round_trip({.day = d, .maybe_day = d, .label = "d"});
    ASSERT_TRUE(back);
    EXPECT_EQ(back->day, d);
    EXPECT_EQ(back->maybe_day, d);
    EXPECT_EQ(reader_->query<edge_row>().filter(relate::col(&edge_row::day) == d).one(), back);
  }
}

TEST_P(type_edges, a_16_mib_blob_and_a_16_mib_text_round_trip_through_the_orm) {
  relate::blob big(16u << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>((i * 2654435761u) >> 13);
  std::string text(16u << 20, 'x');
  for (std::size_t i = 0; i < text.size(); i += 4099) text[i] = static_cast<char>('a' + i % 26);
  auto back = round_trip({.text = text, .bytes = big, .maybe_bytes = big, .label = "big"});
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->bytes == big);
  EXPECT_TRUE(back->maybe_bytes == big);
  EXPECT_TRUE(back->text == text);
  EXPECT_FALSE(reader_->has_changes());
  // Changed in one byte: found as a change, written, read back.
  back->bytes[big.size() / 2] ^= std::byte{1};
  reader_->commit();
  relate::session t(engine());
  auto again = t.get<edge_row>(back->id);
  EXPECT_TRUE(again->bytes == back->bytes);
  EXPECT_FALSE(again->bytes == big);
}

// A value a member cannot hold must not be cut down to fit.  SQLite keeps
// whatever integer a column is given, so a row written by another program can
// hold 100000 in a SMALLINT column: the ORM's loader refuses it with a
// usage_error naming the column, as relate::row::get<int16_t> does, instead
// of casting it (100000 would become -31072).
TEST_P(type_edges, an_out_of_range_integer_is_refused_when_loaded_not_truncated) {
  relate::session s(engine());
  auto row = s.add(edge_row{.label = "narrow"});
  s.commit();
  auto conn = engine().connect();
  try {
    conn.execute("UPDATE edges SET small = 100000, medium = 5000000000");
    conn.commit();
  } catch (const relate::data_error& e) {
    // PostgreSQL: the column itself refuses the value; nothing can be truncated later.
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    return;
  }
  relate::session t(engine());
  try {
    auto back = t.get<edge_row>(row->id);
    ADD_FAILURE() << "loaded small = " << back->small << ", medium = " << back->medium;
  } catch (const relate::error& e) {
    EXPECT_NE(std::string(e.what()).find("small"), std::string::npos) << e.what();
  }
}

RELATE_INSTANTIATE_BACKENDS(type_edges);

}  // namespace
}  // namespace relate::testing
