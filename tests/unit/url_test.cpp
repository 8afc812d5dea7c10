// SPDX-License-Identifier: MIT
// Connection URL parsing: the forms issue 2 lists, and clear errors for
// malformed ones that never quote the password.
#include <relate/error.hpp>
#include <relate/url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using relate::url;

TEST(url, sqlite_relative_path) {
  const auto u = url::parse("sqlite:///relative/path.db");
  EXPECT_EQ(u.scheme(), "sqlite");
  EXPECT_EQ(u.dialect(), "sqlite");
  EXPECT_EQ(u.host(), "");
  EXPECT_FALSE(u.port());
  EXPECT_EQ(u.database(), "relative/path.db");
}

TEST(url, sqlite_absolute_path) {
  EXPECT_EQ(url::parse("sqlite:////absolute/path.db").database(), "/absolute/path.db");
}

TEST(url, sqlite_in_memory_forms) {
  EXPECT_EQ(url::parse("sqlite://").database(), "");
  EXPECT_EQ(url::parse("sqlite:///:memory:").database(), ":memory:");
}

TEST(url, sqlite_uri_options_are_query_parameters) {
  const auto u = url::parse("sqlite:///data.db?mode=ro&cache=shared&cache=private");
  EXPECT_EQ(u.database(), "data.db");
  ASSERT_EQ(u.query().size(), 3u);
  EXPECT_EQ(u.query()[0], (std::pair<std::string, std::string>{"mode", "ro"}));
  EXPECT_EQ(u.query_value("cache"), "shared");  // the first of repeated keys
  EXPECT_EQ(u.query()[2].second, "private");
  EXPECT_FALSE(u.query_value("missing"));
}

TEST(url, postgresql_full) {
  const auto u = url::parse("postgresql://user:pa%40ss@host:5432/db?sslmode=disable&connect_timeout=5");
  EXPECT_EQ(u.scheme(), "postgresql");
  EXPECT_EQ(u.username(), "user");
  EXPECT_EQ(u.password(), "pa@ss");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "db");
  EXPECT_EQ(u.query_value("sslmode"), "disable");
  EXPECT_EQ(u.query_value("connect_timeout"), "5");
}

TEST(url, postgres_alias_and_driver_suffix) {
  EXPECT_EQ(url::parse("postgres://h/db").scheme(), "postgres");
  const auto u = url::parse("postgresql+libpq://h/db");
  EXPECT_EQ(u.scheme(), "postgresql+libpq");
  EXPECT_EQ(u.dialect(), "postgresql");
}

TEST(url, scheme_is_case_insensitive) { EXPECT_EQ(url::parse("SQLite:///x.db").scheme(), "sqlite"); }

TEST(url, ipv6_host_in_brackets) {
  const auto u = url::parse("postgresql://user@[::1]:5433/db");
  EXPECT_EQ(u.username(), "user");
  EXPECT_FALSE(u.password());
  EXPECT_EQ(u.host(), "::1");
  EXPECT_EQ(u.port(), 5433);
  EXPECT_EQ(u.database(), "db");
  EXPECT_EQ(url::parse("postgresql://[fe80::1%25eth0]/db").host(), "fe80::1%eth0");
}

TEST(url, unix_socket_hosts) {
  const auto encoded = url::parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db");
  EXPECT_EQ(encoded.host(), "/var/run/postgresql");
  EXPECT_EQ(encoded.database(), "db");
  const auto query = url::parse("postgresql:///db?host=/var/run/postgresql");
  EXPECT_EQ(query.host(), "");
  EXPECT_EQ(query.database(), "db");
  EXPECT_EQ(query.query_value("host"), "/var/run/postgresql");
}

TEST(url, password_may_hold_reserved_characters) {
  const auto u = url::parse("postgresql://me:p/a:s@db.example.com/app");
  EXPECT_EQ(u.username(), "me");
  EXPECT_EQ(u.password(), "p/a:s");
  EXPECT_EQ(u.host(), "db.example.com");
  EXPECT_EQ(u.database(), "app");
}

TEST(url, at_sign_in_query_is_not_userinfo) {
  const auto u = url::parse("postgresql://h:5432/db?application_name=me@x");
  EXPECT_FALSE(u.username());
  EXPECT_EQ(u.host(), "h");
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.query_value("application_name"), "me@x");
}

TEST(url, empty_password_and_user_only) {
  const auto u = url::parse("postgresql://me:@h/db");
  EXPECT_EQ(u.username(), "me");
  EXPECT_EQ(u.password(), "");
  EXPECT_EQ(url::parse("postgresql://me@h").username(), "me");
  EXPECT_EQ(url::parse("postgresql://me@h").database(), "");
}

TEST(url, str_masks_the_password) {
  const auto u = url::parse("postgresql://user:s3cr%40t@host:5432/db?sslmode=disable");
  const auto text = u.str();
  EXPECT_EQ(text, "postgresql://user:***@host:5432/db?sslmode=disable");
  EXPECT_EQ(text.find("s3cr"), std::string::npos);
}

TEST(url, str_round_trips_without_password) {
  for (const char* text :
       {"sqlite:///relative/path.db", "sqlite:////abs/x.db", "sqlite://",
        "sqlite:///:memory:", "postgresql://u@[::1]:5432/db", "postgresql://h/db?a=1&b=2"}) {
    const auto u = url::parse(text);
    const auto again = url::parse(u.str());
    EXPECT_EQ(again.database(), u.database()) << text;
    EXPECT_EQ(again.host(), u.host()) << text;
    EXPECT_EQ(again.port(), u.port()) << text;
    EXPECT_EQ(again.query(), u.query()) << text;
  }
}

// Found by fuzz/fuzz_url: a bracketed host was printed undecoded, so a
// control character or a '/' in it reached the "safe to log" text raw.
TEST(url, str_encodes_a_bracketed_host) {
  const auto u = url::parse("postgres://u:pw@[::%0f%2F]:5432/db");
  EXPECT_EQ(u.host(), "::\x0f/");
  EXPECT_EQ(u.str(), "postgres://u:***@[::%0F%2F]:5432/db");
  EXPECT_EQ(url::parse(u.str()).host(), u.host());
  EXPECT_EQ(url::parse("postgresql://u@[fe80::1%25eth0]/db").str(), "postgresql://u@[fe80::1%25eth0]/db");
}

// The error says what is wrong, and never contains the password.
void expect_url_error(const std::string& text, const std::string& says, const std::string& secret = "") {
  try {
    (void)url::parse(text);
    ADD_FAILURE() << "no url_error for " << text;
  } catch (const relate::url_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(says), std::string::npos) << message;
    if (!secret.empty()) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
  }
}

TEST(url, malformed_urls) {
  expect_url_error("", "empty");
  expect_url_error("sqlite:/x.db", "expected '<scheme>://");
  expect_url_error("://host/db", "scheme");
  expect_url_error("1sql://host/db", "scheme");
  expect_url_error("post gres://h/db", "space");
  expect_url_error("postgresql://h:99999/db", "port");
  expect_url_error("postgresql://h:abc/db", "port");
  expect_url_error("postgresql://h:/db", "port");
  expect_url_error("postgresql://[::1/db", "']'");
  expect_url_error("postgresql://::1/db", "brackets");
  expect_url_error("postgresql://h/d%zzb", "percent");
  expect_url_error("postgresql://h/db?=x", "no name");
  expect_url_error("postgresql://h/db#frag", "'#'");
}

TEST(url, errors_never_quote_the_password) {
  expect_url_error("postgresql://user:hunter2@h:99999/db", "port", "hunter2");
  expect_url_error("postgresql://user:hunter2%zz@h/db", "password", "hunter2");
  expect_url_error("postgresql://user:hunter2@[::1/db", "']'", "hunter2");
  expect_url_error("postgresql://user:hunter2@h/db#x", "'#'", "hunter2");
  expect_url_error("postgresql:/user:hunter2@h/db", "expected", "hunter2");
  expect_url_error("postgresql://user:hun ter2@h/db", "space", "hun");
}

TEST(url, url_error_is_a_relate_error) { EXPECT_THROW((void)url::parse("nonsense"), relate::error); }

TEST(url, several_hosts_for_libpq_failover) {
  const auto u = url::parse("postgresql://u@h1:5432,h2:5433,[::1],h4/db?target_session_attrs=read-write");
  ASSERT_EQ(u.hosts().size(), 4u);
  EXPECT_EQ(u.hosts()[0], (url::endpoint{"h1", 5432}));
  EXPECT_EQ(u.hosts()[1], (url::endpoint{"h2", 5433}));
  EXPECT_EQ(u.hosts()[2], (url::endpoint{"::1", std::nullopt}));
  EXPECT_EQ(u.hosts()[3], (url::endpoint{"h4", std::nullopt}));
  EXPECT_EQ(u.host(), "h1");  // the first, for code that knows one host
  EXPECT_EQ(u.port(), 5432);
  EXPECT_EQ(u.database(), "db");
  EXPECT_EQ(u.str(), "postgresql://u@h1:5432,h2:5433,[::1],h4/db?target_session_attrs=read-write");
  EXPECT_EQ(url::parse(u.str()).hosts(), u.hosts());
  EXPECT_THROW(url::parse("postgresql://u@h1,,h2/db"), relate::url_error);
  EXPECT_THROW(url::parse("postgresql://u@h1,/db"), relate::url_error);
  EXPECT_THROW(url::parse("postgresql://u@h1:99999,h2/db"), relate::url_error);
}

}  // namespace
