// SPDX-License-Identifier: MIT
// Mapping and schema: every column type round-trips, the DDL enforces what
// the mapping declares, defaults apply, and mapping mistakes are reported.
#include "orm_fixture.hpp"

#include <chrono>

namespace orm_test {
namespace {

using namespace std::chrono;

class schema_test : public orm_fixture {};

relate::blob bytes_of(std::string_view s) {
  relate::blob b;
  for (char c : s) b.push_back(static_cast<std::byte>(c));
  return b;
}

TEST_P(schema_test, every_type_round_trips) {
  const relate::timestamp at = sys_days{2024y / 2 / 29} + 13h + 14min + 15s + 123456us;
  Everything full{.small = -12345,
                  .medium = 2'000'000'000,
                  .big = 9'000'000'000'000'000'000,
                  .real = 3.25,
                  .flag = true,
                  .text = "h\xC3\xA9llo 'quoted' \"x\"",
                  .bytes = bytes_of(std::string_view("\0\x01\xff", 3)),
                  .at = at,
                  .at_seconds = time_point_cast<seconds>(at),
                  .day = sys_days{1999y / 12 / 31},
                  .maybe_int = 7,
                  .maybe_real = -0.5,
                  .maybe_flag = false,
                  .maybe_text = "",
                  .maybe_bytes = relate::blob{},
                  .maybe_at = at,
                  .maybe_day = sys_days{2000y / 1 / 1}};
  Everything empty{};
  relate::session s(engine());
  auto a = s.add(full);
  auto b = s.add(empty);
  s.commit();

  relate::session t(engine());
  auto x = t.get<Everything>(a->id);
  ASSERT_TRUE(x);
  EXPECT_EQ(x->small, full.small);
  EXPECT_EQ(x->medium, full.medium);
  EXPECT_EQ(x->big, full.big);
  EXPECT_EQ(x->real, full.real);
  EXPECT_EQ(x->flag, full.flag);
  EXPECT_EQ(x->text, full.text);
  EXPECT_EQ(x->bytes, full.bytes);
  EXPECT_EQ(x->at, full.at);
  EXPECT_EQ(x->at_seconds, full.at_seconds);
  EXPECT_EQ(x->day, full.day);
  EXPECT_EQ(x->maybe_int, full.maybe_int);
  EXPECT_EQ(x->maybe_real, full.maybe_real);
  EXPECT_EQ(x->maybe_flag, full.maybe_flag);
  EXPECT_EQ(x->maybe_text, full.maybe_text);
  EXPECT_EQ(x->maybe_bytes, full.maybe_bytes);
  EXPECT_EQ(x->maybe_at, full.maybe_at);
  EXPECT_EQ(x->maybe_day, full.maybe_day);

  auto y = t.get<Everything>(b->id);
  ASSERT_TRUE(y);
  EXPECT_FALSE(y->maybe_int);
  EXPECT_FALSE(y->maybe_real);
  EXPECT_FALSE(y->maybe_flag);
  EXPECT_FALSE(y->maybe_text);
  EXPECT_FALSE(y->maybe_bytes);
  EXPECT_FALSE(y->maybe_at);
  EXPECT_FALSE(y->maybe_day);
  EXPECT_EQ(y->at, relate::timestamp{});

  // Loaded objects compare equal to their snapshot: nothing to flush.
  EXPECT_FALSE(t.has_changes());
  // And a change of each kind is detected.
  x->maybe_text.reset();
  x->at += 1us;
  EXPECT_TRUE(t.has_changes());
  t.commit();
  relate::session v(engine());
  auto z = v.get<Everything>(a->id);
  EXPECT_FALSE(z->maybe_text);
  EXPECT_EQ(z->at, full.at + 1us);
}

TEST_P(schema_test, filters_on_every_type) {
  relate::session s(engine());
  const relate::timestamp at = sys_days{2024y / 1 / 2} + 3h;
  Everything a{};
  a.flag = true;
  a.text = "a";
  a.at = at;
  a.day = sys_days{2024y / 1 / 2};
  a.maybe_int = 5;
  Everything b{};
  b.text = "b";
  s.add(std::move(a));
  s.add(std::move(b));
  s.commit();
  EXPECT_EQ(s.query<Everything>().filter_by(&Everything::flag, true).one()->text, "a");
  EXPECT_EQ(s.query<Everything>().filter(relate::col(&Everything::at) == at).one()->text, "a");
  EXPECT_EQ(
      s.query<Everything>().filter(relate::col(&Everything::day) == sys_days{2024y / 1 / 2}).one()->text,
      "a");
  EXPECT_EQ(s.query<Everything>().filter(relate::col(&Everything::maybe_int) > 3).one()->text, "a");
  EXPECT_EQ(s.query<Everything>().filter_by(&Everything::maybe_int, std::nullopt).one()->text, "b");
}

TEST_P(schema_test, unique_violation_is_an_integrity_error) {
  relate::session s(engine());
  s.add(Account{.email = "same@x"});
  s.add(Account{.email = "same@x"});
  EXPECT_THROW(s.commit(), relate::integrity_error);
}

TEST_P(schema_test, foreign_key_violation_is_an_integrity_error) {
  relate::session s(engine());
  s.add(Post{.title = "t", .content = "c", .user_id = 999});
  EXPECT_THROW(s.commit(), relate::integrity_error);
}

TEST_P(schema_test, on_delete_cascade_is_in_the_schema) {
  relate::session s(engine());
  auto u = s.add(User{.name = "u"});
  s.flush();
  s.add(Post{.title = "t", .content = "c", .user_id = u->id});
  s.commit();
  auto conn = engine().connect();
  conn.execute("DELETE FROM users");
  conn.commit();
  EXPECT_EQ(committed_rows("posts"), 0);
}

TEST_P(schema_test, check_constraint_is_enforced) {
  relate::session s(engine());
  s.add(Account{.email = "neg@x", .balance = -1});
  EXPECT_THROW(s.commit(), relate::integrity_error);
}

TEST_P(schema_test, not_null_is_enforced) {
  auto conn = engine().connect();
  EXPECT_THROW(conn.execute("INSERT INTO users (name) VALUES (NULL)"), relate::integrity_error);
}

TEST_P(schema_test, server_and_client_defaults) {
  relate::session s(engine());
  auto a = s.add(Account{.email = "d@x"});
  auto b = s.add(Account{.email = "e@x", .status = "vip", .plan = "pro", .tries = 9});
  s.commit();
  EXPECT_EQ(a->status, "new") << "an unset member with a server default is read back";
  EXPECT_EQ(a->plan, "free") << "default_value";
  EXPECT_EQ(a->tries, 3) << "default_fn";
  EXPECT_FALSE(a->note);
  EXPECT_EQ(b->status, "vip");
  EXPECT_EQ(b->plan, "pro");
  EXPECT_EQ(b->tries, 9);
  relate::session t(engine());
  EXPECT_EQ(t.get<Account>(a->id)->status, "new");
}

TEST_P(schema_test, the_ddl_has_the_declared_index) {
  // users.name has `index`: creating the same index name again must fail.
  auto conn = engine().connect();
  EXPECT_THROW(conn.execute("CREATE INDEX " + engine().dialect().quote_identifier("ix_users_name") + " ON " +
                            engine().dialect().quote_identifier("users") + " (name)"),
               relate::database_error);
}

RELATE_INSTANTIATE_BACKENDS(schema_test);

}  // namespace
}  // namespace orm_test
