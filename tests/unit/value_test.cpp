// SPDX-License-Identifier: MIT
// Values: kinds, log text, and the timestamp/date text round trip drivers rely on.
#include <relate/value.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace std::chrono;
using relate::timestamp;

timestamp make_ts(int y, unsigned mo, unsigned d, int h, int mi, int s, int us) {
  return timestamp{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}

TEST(value, kinds) {
  EXPECT_EQ(relate::value().kind(), relate::value_kind::null);
  EXPECT_TRUE(relate::value(relate::null).is_null());
  EXPECT_TRUE(relate::value(std::optional<int>{}).is_null());
  EXPECT_EQ(relate::value(true).kind(), relate::value_kind::boolean);
  EXPECT_EQ(relate::value(42).kind(), relate::value_kind::integer);
  EXPECT_EQ(relate::value(std::uint16_t{7}).kind(), relate::value_kind::integer);
  EXPECT_EQ(relate::value(1.5).kind(), relate::value_kind::real);
  EXPECT_EQ(relate::value("x").kind(), relate::value_kind::text);
  EXPECT_EQ(relate::value(relate::blob{std::byte{1}}).kind(), relate::value_kind::blob);
  EXPECT_EQ(relate::value(make_ts(2024, 1, 2, 3, 4, 5, 6)).kind(), relate::value_kind::timestamp);
  EXPECT_EQ(relate::value(relate::date{year{2024} / 1 / 2}).kind(), relate::value_kind::date);
  EXPECT_EQ(*relate::value(std::optional<int>{9}).get_if<std::int64_t>(), 9);
}

TEST(value, kind_names) {
  EXPECT_EQ(relate::to_string(relate::value_kind::integer), "integer");
  EXPECT_EQ(relate::to_string(relate::value_kind::timestamp), "timestamp");
  EXPECT_EQ(relate::to_string(relate::value_kind::null), "null");
}

TEST(value, log_strings) {
  EXPECT_EQ(relate::to_log_string(relate::value()), "NULL");
  EXPECT_EQ(relate::to_log_string(relate::value(true)), "true");
  EXPECT_EQ(relate::to_log_string(relate::value(-12)), "-12");
  EXPECT_EQ(relate::to_log_string(relate::value(0.25)), "0.25");
  EXPECT_EQ(relate::to_log_string(relate::value("it's")), "'it''s'");
  EXPECT_EQ(relate::to_log_string(relate::value(relate::blob{std::byte{0xde}, std::byte{0xad}})), "x'dead'");
  EXPECT_EQ(relate::to_log_string(relate::value(make_ts(2024, 2, 29, 23, 59, 1, 5))),
            "'2024-02-29 23:59:01.000005'");
  EXPECT_EQ(relate::to_log_string(relate::value(relate::date{year{1999} / 12 / 31})), "'1999-12-31'");
}

TEST(value, log_strings_cut_long_values) {
  const auto text = relate::to_log_string(relate::value(std::string(1000, 'a')));
  EXPECT_LT(text.size(), 300u);
  EXPECT_NE(text.find("1000 bytes"), std::string::npos) << text;
  const auto blob_text = relate::to_log_string(relate::value(relate::blob(100, std::byte{0})));
  EXPECT_NE(blob_text.find("100 bytes"), std::string::npos) << blob_text;
}

TEST(value, format_timestamp) {
  EXPECT_EQ(relate::format_timestamp(make_ts(2024, 1, 2, 3, 4, 5, 123456)), "2024-01-02 03:04:05.123456");
  EXPECT_EQ(relate::format_timestamp(make_ts(1970, 1, 1, 0, 0, 0, 0)), "1970-01-01 00:00:00.000000");
  // Before 1970 the day must floor, not truncate toward the epoch.
  EXPECT_EQ(relate::format_timestamp(make_ts(1969, 12, 31, 23, 59, 59, 999999)),
            "1969-12-31 23:59:59.999999");
  EXPECT_EQ(relate::format_timestamp(make_ts(1900, 3, 1, 12, 0, 0, 1)), "1900-03-01 12:00:00.000001");
}

TEST(value, format_date) {
  EXPECT_EQ(relate::format_date(relate::date{year{2024} / 2 / 29}), "2024-02-29");
  EXPECT_EQ(relate::format_date(relate::date{year{1066} / 10 / 14}), "1066-10-14");
}

TEST(value, parse_timestamp_round_trips) {
  for (const auto t : {make_ts(2024, 1, 2, 3, 4, 5, 123456), make_ts(1969, 12, 31, 23, 59, 59, 999999),
                       make_ts(1850, 6, 15, 0, 0, 0, 0), make_ts(2100, 12, 31, 23, 59, 59, 1)}) {
    EXPECT_EQ(relate::parse_timestamp(relate::format_timestamp(t)), t) << relate::format_timestamp(t);
  }
}

TEST(value, parse_timestamp_variants) {
  const auto expected = make_ts(2024, 1, 2, 3, 4, 5, 120000);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02T03:04:05.12"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04:05.120"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04:05.12Z"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04:05.12+00"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 05:34:05.12+02:30"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 05:34:05.12+0230"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-01 22:04:05.12-05"), expected);
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04:05"), make_ts(2024, 1, 2, 3, 4, 5, 0));
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04"), make_ts(2024, 1, 2, 3, 4, 0, 0));
  EXPECT_EQ(relate::parse_timestamp("2024-01-02"), make_ts(2024, 1, 2, 0, 0, 0, 0));
  // Nanoseconds are truncated to microseconds.
  EXPECT_EQ(relate::parse_timestamp("2024-01-02 03:04:05.123456789"), make_ts(2024, 1, 2, 3, 4, 5, 123456));
}

TEST(value, parse_timestamp_rejects_garbage) {
  for (const char* bad : {"", "2024", "2024-13-01 00:00:00", "2024-02-30 00:00:00", "2024-01-02 24:00:00",
                          "2024-01-02 03:60:00", "2024-01-02 03:04:05.", "2024-01-02 03:04:05+5",
                          "2024-01-02 03:04:05 junk", "2024-01-02X03:04:05", "2024/01/02 03:04:05"}) {
    EXPECT_FALSE(relate::parse_timestamp(bad)) << bad;
  }
}

TEST(value, parse_date) {
  EXPECT_EQ(relate::parse_date("2024-02-29"), (relate::date{year{2024} / 2 / 29}));
  EXPECT_EQ(relate::parse_date("1969-07-20"), (relate::date{year{1969} / 7 / 20}));
  EXPECT_FALSE(relate::parse_date("2023-02-29"));
  EXPECT_FALSE(relate::parse_date("2024-02-29 00:00:00"));
  EXPECT_FALSE(relate::parse_date("24-02-29"));
}

}  // namespace
