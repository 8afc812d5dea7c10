// SPDX-License-Identifier: MIT
// The value types of relate/types/ without a database: UUID text, the JSON
// parser and writer (strict, with hostile input), PostgreSQL's array text,
// times of day, instants with offsets, enumerations, and what a user type's
// type_conversion gives the SQL layer.
#include <relate/sql/expression.hpp>
#include <relate/types.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace {

using namespace std::chrono;
using relate::json;

TEST(uuid_type, parses_the_usual_spellings_and_nothing_else) {
  const auto u = relate::uuid::parse("550E8400-e29b-41d4-a716-446655440000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->str(), "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(u->hex(), "550e8400e29b41d4a716446655440000");
  EXPECT_EQ(relate::uuid::parse("550e8400e29b41d4a716446655440000"), u);
  EXPECT_EQ(relate::uuid::parse("{550e8400-e29b-41d4-a716-446655440000}"), u);
  for (const char* bad : {"", "550e8400-e29b-41d4-a716-44665544000", "550e8400-e29b-41d4-a716-4466554400000",
                          "550e8400+e29b-41d4-a716-446655440000", "g50e8400e29b41d4a716446655440000"})
    EXPECT_FALSE(relate::uuid::parse(bad)) << bad;
  EXPECT_TRUE(relate::uuid{}.is_nil());
  EXPECT_EQ(relate::uuid::max().str(), "ffffffff-ffff-ffff-ffff-ffffffffffff");
  EXPECT_LT(relate::uuid{}, relate::uuid::max());
}

TEST(uuid_type, random_ones_are_version_4_and_differ) {
  const auto a = relate::uuid::random();
  const auto b = relate::uuid::random();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.str()[14], '4');
  EXPECT_NE(std::string("89ab").find(a.str()[19]), std::string::npos) << a.str();
}

TEST(json_type, parses_and_writes_every_kind) {
  const auto doc = json::parse(R"( {"n": null, "t": true, "f": false, "i": -42, "big": 9223372036854775807,
      "huge": 92233720368547758070, "r": 1.5e-3, "s": "a\"b\\c\/\u00e9\ud83d\ude00\n", "a": [1, [2, {}]],
      "o": {"x": []}} )");
  EXPECT_TRUE(doc.at("n").is_null());
  EXPECT_TRUE(doc.at("t").as_bool());
  EXPECT_EQ(doc.at("i").as_int64(), -42);
  EXPECT_EQ(doc.at("big").as_int64(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(doc.at("huge").type(), json::kind::real) << "past 64 bits: a real";
  EXPECT_DOUBLE_EQ(doc.at("r").as_double(), 0.0015);
  EXPECT_EQ(doc.at("s").as_string(), "a\"b\\c/\u00e9\U0001F600\n");
  EXPECT_EQ(doc.at("a").at(1).at(1).size(), 0U);
  EXPECT_EQ(json::parse(doc.dump()), doc) << doc.dump();
  EXPECT_EQ(json(1.0).dump(), "1.0") << "a real stays a real";
  EXPECT_EQ(json("tab\tctl\x01").dump(), R"("tab\tctl\u0001")");
  EXPECT_EQ(json::object({{"a", 1}, {"b", json::array({true, nullptr})}}).dump(),
            R"({"a":1,"b":[true,null]})");
}

TEST(json_type, equality_ignores_key_order_and_compares_numbers_by_value) {
  EXPECT_EQ(json::parse(R"({"a": 1, "b": [1, 2]})"), json::parse(R"({"b": [1, 2.0], "a": 1.0})"));
  EXPECT_NE(json::parse(R"([1, 2])"), json::parse(R"([2, 1])"));
  EXPECT_NE(json::parse(R"({"a": 1})"), json::parse(R"({"a": 1, "b": 2})"));
  EXPECT_EQ(json::parse(R"({"a": 1, "a": 2})").at("a").as_int64(), 2)
      << "the last duplicate wins, as in JSONB";
  EXPECT_NE(json(nullptr), json(false));
}

TEST(json_type, refuses_what_is_not_strict_json_with_the_place) {
  for (const char* bad :
       {"", "{", "[1,]", "{'a': 1}", "01", "1.", ".5", "+1", "nul", "\"\\x\"", "\"a\nb\"", "[1] 2",
        "\"\\ud800\"", "\"\xff\"", "\"\xc0\xaf\"", "NaN", "\"\\u0000\"", "{\"a\" 1}"})
    EXPECT_FALSE(json::try_parse(bad)) << bad;
  try {
    json::parse("[1, 2,, 3]");
    ADD_FAILURE();
  } catch (const relate::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("at byte 6"), std::string::npos) << e.what();
  }
  // Hostile nesting is refused, not a stack overflow.
  EXPECT_FALSE(json::try_parse(std::string(100000, '[') + std::string(100000, ']')));
  EXPECT_TRUE(json::try_parse(std::string(500, '[') + std::string(500, ']')));
  EXPECT_THROW(json(std::nan("")).dump(), relate::usage_error);
}

TEST(json_type, builds_and_reads_members) {
  json doc;
  doc["user"] = "ann";
  doc["tags"].push_back("a");
  doc["tags"].push_back(json::object({{"deep", 1}}));
  EXPECT_EQ(doc.dump(), R"({"user":"ann","tags":["a",{"deep":1}]})");
  EXPECT_EQ(doc.size(), 2U);
  EXPECT_TRUE(doc.contains("tags"));
  EXPECT_EQ(doc.find("missing"), nullptr);
  EXPECT_THROW(doc.at("missing"), relate::usage_error);
  EXPECT_THROW(doc.at("tags").at(5), relate::usage_error);
  EXPECT_THROW(doc.at("user").as_int64(), relate::usage_error);
}

TEST(array_text, round_trips_every_element_exactly) {
  const std::vector<std::optional<std::string>> elements = {
      "plain", std::nullopt, "", "NULL", "a, b", "{x}", "q\"uote", "back\\slash", " spaced "};
  const auto text = relate::detail::format_array_literal(elements);
  EXPECT_EQ(relate::detail::parse_array_literal(text), elements) << text;
  // As PostgreSQL prints it: quotes only where needed.
  EXPECT_EQ(relate::detail::parse_array_literal(R"({1,NULL,"NULL","",abc,"a\"b"})"),
            (std::vector<std::optional<std::string>>{"1", std::nullopt, "NULL", "", "abc", "a\"b"}));
  EXPECT_EQ(relate::detail::parse_array_literal("{}"), std::vector<std::optional<std::string>>{});
  for (const char* bad : {"", "{", "1,2", "{1,,2}", "{{1,2},{3,4}}", "{\"open}", "{1,}"})
    EXPECT_FALSE(relate::detail::parse_array_literal(bad)) << bad;
}

TEST(array_text, vectors_convert_through_their_elements) {
  using conv = relate::type_conversion<std::vector<std::optional<std::int32_t>>>;
  EXPECT_EQ(conv::to_base({1, std::nullopt, -3}), R"({"1",NULL,"-3"})");
  EXPECT_EQ(conv::from_base("{1,NULL,-3}"), (std::vector<std::optional<std::int32_t>>{1, std::nullopt, -3}));
  EXPECT_FALSE(conv::from_base("{1,99999999999}")) << "out of the element's range";
  using plain = relate::type_conversion<std::vector<std::int32_t>>;
  EXPECT_FALSE(plain::from_base("{1,NULL}")) << "a NULL element needs std::optional elements";
  EXPECT_EQ(plain::sql_type().kind, relate::sql::type_kind::array);
  EXPECT_EQ(plain::sql_type().element, relate::sql::type_kind::integer);
}

TEST(time_types, times_of_day_parse_and_print) {
  EXPECT_EQ(relate::time_of_day(23h, 59min, 59s, 999999us).str(), "23:59:59.999999");
  EXPECT_EQ(relate::time_of_day::parse("07:05")->since_midnight(), 7h + 5min);
  EXPECT_EQ(relate::time_of_day::parse("12:34:56.7")->since_midnight(), 12h + 34min + 56s + 700ms);
  EXPECT_EQ(relate::time_of_day::parse("24:00:00")->since_midnight(), 24h) << "PostgreSQL's end of the day";
  for (const char* bad : {"", "7:05", "24:00:01", "12:60", "12:00:00x", "12:00:00."})
    EXPECT_FALSE(relate::time_of_day::parse(bad)) << bad;
  EXPECT_THROW(relate::time_of_day(-1us), std::out_of_range);
}

TEST(time_types, an_instant_is_the_same_whatever_offset_it_was_given_in) {
  const auto utc = *relate::timestamp_tz::parse("2024-03-10T07:30:00Z");
  EXPECT_EQ(*relate::timestamp_tz::parse("2024-03-10T02:30:00-05:00"), utc);
  EXPECT_EQ(*relate::timestamp_tz::parse("2024-03-10 13:00:00+05:30"), utc);
  EXPECT_EQ(relate::timestamp_tz::at_offset(local_days{2024y / March / 10} + 2h + 30min, -5h), utc);
  EXPECT_EQ(utc.str(), "2024-03-10 07:30:00.000000+00:00");
  EXPECT_FALSE(relate::timestamp_tz::parse("2024-03-10T07:30:00+25:00"));
}

enum class color { red, green };
inline auto relate_enum(relate::model<color>) {
  return relate::enumeration<color>("color", {{color::red, "red"}, {color::green, "green"}});
}
enum class broken { a, b };

TEST(enumeration_type, labels_both_ways_and_mistakes_refused) {
  using conv = relate::type_conversion<color>;
  EXPECT_EQ(conv::to_base(color::green), "green");
  EXPECT_EQ(conv::from_base("red"), color::red);
  EXPECT_FALSE(conv::from_base("blue"));
  EXPECT_THROW(conv::to_base(static_cast<color>(7)), relate::usage_error);
  EXPECT_EQ(conv::sql_type().enumeration->labels, (std::vector<std::string>{"red", "green"}));
  using relate::enumeration;
  EXPECT_THROW(enumeration<broken>("b", {{broken::a, "x"}, {broken::b, "x"}}), relate::usage_error);
  EXPECT_THROW(enumeration<broken>("b", {{broken::a, "x"}, {broken::a, "y"}}), relate::usage_error);
  EXPECT_THROW(enumeration<broken>("b", {}), relate::usage_error);
  EXPECT_THROW(enumeration<broken>("", {{broken::a, "x"}}), relate::usage_error);
}

TEST(sql_layer_types, user_types_bind_as_their_base_type_with_their_column_type) {
  relate::sql::column<relate::uuid> id(relate::sql::table("t"), "id");
  EXPECT_EQ(id.node() ? relate::sql::sql_type_of<relate::uuid>().kind : relate::sql::type_kind::text,
            relate::sql::type_kind::uuid);
  const auto condition = id == relate::uuid::max();
  static_assert(relate::sql::comparable_with<relate::sql::column<color>, color>);
  static_assert(relate::sql::comparable_with<relate::sql::column<std::chrono::seconds>, std::chrono::hours>);
  static_assert(!relate::sql::comparable_with<relate::sql::column<std::chrono::seconds>, int>);
  EXPECT_TRUE(condition.node());
  EXPECT_EQ(relate::detail::to_value(color::green), relate::value("green"));
  EXPECT_EQ(relate::detail::to_value(std::optional<color>{}), relate::value());
  EXPECT_EQ(relate::value(1500ms).kind(), relate::value_kind::interval);
}

}  // namespace
