// SPDX-License-Identifier: MIT
// Values to PostgreSQL's wire format and back, without a server: the type
// OIDs chosen for parameters, the text and bytea decoders.
#include "pg_statement_cache.hpp"
#include "pg_values.hpp"

#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace relate::postgresql {
namespace {

TEST(postgresql_values, parameter_types_follow_postgresql_literal_typing) {
  using namespace std::chrono;
  const std::vector<value> params{null,
                                  true,
                                  std::int64_t{42},
                                  std::int64_t{5'000'000'000},
                                  2.5,
                                  "text",
                                  blob{std::byte{0}, std::byte{1}},
                                  timestamp(sys_days(year(2024) / 2 / 29) + hours(13) + microseconds(5)),
                                  date(sys_days(year(2024) / 2 / 29))};
  const wire_params wire = encode_params(params);
  ASSERT_EQ(wire.count(), 9);
  EXPECT_EQ(wire.values[0], nullptr);  // NULL
  EXPECT_EQ(wire.types[0], oid::unspecified);
  EXPECT_EQ(wire.types[1], oid::boolean);
  EXPECT_STREQ(wire.values[1], "true");
  EXPECT_EQ(wire.types[2], oid::int4);
  EXPECT_STREQ(wire.values[2], "42");
  EXPECT_EQ(wire.types[3], oid::int8);  // does not fit int4
  EXPECT_STREQ(wire.values[3], "5000000000");
  EXPECT_EQ(wire.types[4], oid::float8);
  EXPECT_STREQ(wire.values[4], "2.5");
  EXPECT_EQ(wire.types[5], oid::unspecified);  // inferred from context, like a quoted literal
  EXPECT_STREQ(wire.values[5], "text");
  EXPECT_EQ(wire.types[6], oid::bytea);
  EXPECT_EQ(wire.formats[6], 1);  // binary: NUL bytes need no escaping
  EXPECT_EQ(wire.lengths[6], 2);
  EXPECT_EQ(wire.values[6][0], '\0');
  EXPECT_EQ(wire.types[7], oid::timestamp);
  EXPECT_STREQ(wire.values[7], "2024-02-29 13:00:00.000005");
  EXPECT_EQ(wire.types[8], oid::date);
  EXPECT_STREQ(wire.values[8], "2024-02-29");
  for (int i = 0; i < 9; ++i) {
    if (i != 6) {
      EXPECT_EQ(wire.formats[i], 0) << i;
    }
  }
}

TEST(postgresql_values, empty_blob_is_not_null) {
  const std::vector<value> params{blob{}};
  const wire_params wire = encode_params(params);
  EXPECT_NE(wire.values[0], nullptr);
  EXPECT_EQ(wire.lengths[0], 0);
}

// libpq sends a text parameter as a C string: "a\0b" would arrive as "a".
TEST(postgresql_values, text_with_a_nul_byte_is_refused_not_truncated) {
  using namespace std::string_literals;
  const std::vector<value> params{"fine", "cut\0short"s};
  try {
    encode_params(params, "INSERT INTO t VALUES ($1, $2)");
    FAIL() << "a text parameter with NUL was encoded";
  } catch (const data_error& e) {
    EXPECT_EQ(e.driver(), "postgresql");
    EXPECT_EQ(e.sql(), "INSERT INTO t VALUES ($1, $2)");
    EXPECT_EQ(e.native_code(), "22021");
    EXPECT_NE(std::string(e.what()).find("$2"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("short"), std::string::npos) << "no parameter values in errors";
  }
  const std::vector<value> blob_param{blob{std::byte{0}, std::byte{1}}};
  EXPECT_EQ(encode_params(blob_param).lengths[0], 2) << "blobs carry NUL bytes";
}

TEST(postgresql_values, doubles_keep_special_values_and_negative_zero) {
  EXPECT_EQ(format_double(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(format_double(-0.0), "-0");
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(parse_double(format_double(1.0 / 3.0)), 1.0 / 3.0);

  EXPECT_TRUE(std::isnan(*parse_double("NaN")));
  EXPECT_EQ(*parse_double("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*parse_double("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::signbit(*parse_double("-0")));
  EXPECT_EQ(*parse_double("1e-07"), 1e-7);
  EXPECT_FALSE(parse_double("1.5x"));
  EXPECT_FALSE(parse_double(""));
}

TEST(postgresql_values, integers_and_booleans_parse_strictly) {
  EXPECT_EQ(parse_int64("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(parse_int64("9223372036854775808"));  // overflow
  EXPECT_FALSE(parse_int64("12abc"));
  EXPECT_FALSE(parse_int64(""));
  EXPECT_EQ(parse_bool("t"), true);
  EXPECT_EQ(parse_bool("f"), false);
  EXPECT_FALSE(parse_bool("yes please"));
}

TEST(postgresql_values, bytea_hex_and_escape_formats_decode) {
  const blob expected{std::byte{0x00}, std::byte{0xff}, std::byte{0x5c}, std::byte{'a'}};
  EXPECT_EQ(decode_bytea("\\x00ff5c61"), expected);
  EXPECT_EQ(decode_bytea("\\x00FF5C61"), expected);
  EXPECT_EQ(decode_bytea("\\000\\377\\\\a"), expected);
  EXPECT_EQ(decode_bytea("\\x"), blob{});
  EXPECT_FALSE(decode_bytea("\\x0"));   // odd number of digits
  EXPECT_FALSE(decode_bytea("\\xzz"));  // not hex
  EXPECT_FALSE(decode_bytea("\\9"));    // bad escape
}

TEST(postgresql_values, column_kinds_come_from_type_oids) {
  EXPECT_EQ(kind_of_type(oid::boolean), value_kind::boolean);
  EXPECT_EQ(kind_of_type(oid::int2), value_kind::integer);
  EXPECT_EQ(kind_of_type(oid::int8), value_kind::integer);
  EXPECT_EQ(kind_of_type(oid::float8), value_kind::real);
  EXPECT_EQ(kind_of_type(oid::bytea), value_kind::blob);
  EXPECT_EQ(kind_of_type(oid::timestamptz), value_kind::timestamp);
  EXPECT_EQ(kind_of_type(oid::date), value_kind::date);
  EXPECT_EQ(kind_of_type(oid::numeric), value_kind::text);  // exact: never squeezed into a double
}

TEST(postgresql_statement_cache, names_are_unique_and_eviction_is_least_recently_used) {
  statement_cache cache(2);
  const std::string a = cache.next_name(), b = cache.next_name(), c = cache.next_name();
  EXPECT_EQ(a, "relate_1");
  EXPECT_NE(a, b);
  EXPECT_FALSE(cache.insert("A", a));
  EXPECT_FALSE(cache.insert("B", b));
  ASSERT_NE(cache.find("A"), nullptr);  // A is now the most recently used
  EXPECT_EQ(*cache.find("A"), a);
  const auto evicted = cache.insert("C", c);
  ASSERT_TRUE(evicted);
  EXPECT_EQ(*evicted, b);
  EXPECT_EQ(cache.find("B"), nullptr);
  EXPECT_NE(cache.find("C"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
  cache.erase("A");
  EXPECT_EQ(cache.find("A"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
TEST(postgresql_values, intervals_in_the_postgres_style_parse_to_microseconds) {
  using std::chrono::microseconds;
  constexpr std::int64_t day = 86'400'000'000;
  EXPECT_EQ(parse_interval("00:00:05.000001"), microseconds(5'000'001));
  EXPECT_EQ(parse_interval("-00:00:00.000001"), microseconds(-1));
  EXPECT_EQ(parse_interval("960:00:00"), microseconds(40 * day)) << "hours past 24, as relate writes them";
  EXPECT_EQ(parse_interval("3 days 04:05:06.7"), microseconds(3 * day + 14'706'700'000));
  EXPECT_EQ(parse_interval("1 day -00:00:05"), microseconds(day - 5'000'000));
  EXPECT_EQ(parse_interval("-1 days +02:00:00"), microseconds(-day + 7'200'000'000));
  EXPECT_EQ(parse_interval("1 year 2 mons"), microseconds(365 * day + day / 4 + 60 * day))
      << "a month is 30 days and a year 365.25, as EXTRACT(EPOCH) counts them";
  for (const char* bad : {"", "5 fortnights", "1 day x", "ab:cd"}) EXPECT_FALSE(parse_interval(bad)) << bad;
  EXPECT_EQ(format_interval(microseconds(-90061000001)), "-90061000001 microseconds");
  const value params[] = {value(std::chrono::seconds(2))};
  const auto wire = encode_params(params);
  EXPECT_EQ(wire.types[0], oid::interval);
  EXPECT_EQ(wire.text[0], "2000000 microseconds");
  EXPECT_EQ(kind_of_type(oid::interval), value_kind::interval);
}

}  // namespace relate::postgresql
