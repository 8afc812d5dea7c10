// SPDX-License-Identifier: MIT
// URL -> libpq keywords, without a server: what users put in a URL is what
// libpq receives, and the password never leaks into a description or error.
#include "pg_conninfo.hpp"

#include <relate/error.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace relate::postgresql {
namespace {

connect_options options(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  connect_options o;
  o.connect_timeout = timeout;
  return o;
}

std::string value_of(const conninfo& info, std::string_view keyword) {
  const std::string* v = info.find(keyword);
  return v ? *v : "<absent>";
}

TEST(postgresql_conninfo, maps_every_part_of_the_url) {
  const auto info = build_conninfo(
      url::parse(
          "postgresql://alice:pa%40ss@db.example.com:6543/orders?sslmode=disable&application_name=shop"),
      options());
  EXPECT_EQ(value_of(info, "host"), "db.example.com");
  EXPECT_EQ(value_of(info, "port"), "6543");
  EXPECT_EQ(value_of(info, "user"), "alice");
  EXPECT_EQ(value_of(info, "password"), "pa@ss");
  EXPECT_EQ(value_of(info, "dbname"), "orders");
  EXPECT_EQ(value_of(info, "sslmode"), "disable");
  EXPECT_EQ(value_of(info, "application_name"), "shop");
}

TEST(postgresql_conninfo, arrays_for_libpq_are_null_terminated_and_parallel) {
  const auto info = build_conninfo(url::parse("postgres://bob@localhost/db"), options());
  const auto keywords = info.keywords();
  const auto values = info.values();
  ASSERT_EQ(keywords.size(), values.size());
  ASSERT_EQ(keywords.size(), info.entries().size() + 1);
  EXPECT_EQ(keywords.back(), nullptr);
  EXPECT_EQ(values.back(), nullptr);
  EXPECT_STREQ(keywords[0], "host");
  EXPECT_STREQ(values[0], "localhost");
}

TEST(postgresql_conninfo, ipv6_host_loses_its_brackets) {
  const auto info = build_conninfo(url::parse("postgresql://u@[::1]:5433/db"), options());
  EXPECT_EQ(value_of(info, "host"), "::1");
  EXPECT_EQ(value_of(info, "port"), "5433");
}

TEST(postgresql_conninfo, unix_socket_folder_from_the_query_or_an_encoded_host) {
  const auto query = build_conninfo(url::parse("postgresql:///app?host=/var/run/postgresql"), options());
  EXPECT_EQ(value_of(query, "host"), "/var/run/postgresql");
  EXPECT_EQ(value_of(query, "dbname"), "app");

  const auto encoded = build_conninfo(url::parse("postgresql://%2Ftmp%2Fpg/app"), options());
  EXPECT_EQ(value_of(encoded, "host"), "/tmp/pg");
}

TEST(postgresql_conninfo, query_parameters_override_the_url_parts) {
  const auto info = build_conninfo(url::parse("postgresql://u@hostA:1/db?host=hostB&port=2"), options());
  EXPECT_EQ(value_of(info, "host"), "hostB");
  EXPECT_EQ(value_of(info, "port"), "2");
  // One entry per keyword: libpq must not see two hosts.
  int hosts = 0;
  for (const auto& entry : info.entries()) hosts += entry.first == "host";
  EXPECT_EQ(hosts, 1);
}

TEST(postgresql_conninfo, every_query_parameter_is_passed_through) {
  const auto info = build_conninfo(
      url::parse(
          "postgresql://u@h/db?options=-c%20search_path%3Dmine&target_session_attrs=read-write&keepalives=1"),
      options());
  EXPECT_EQ(value_of(info, "options"), "-c search_path=mine");
  EXPECT_EQ(value_of(info, "target_session_attrs"), "read-write");
  EXPECT_EQ(value_of(info, "keepalives"), "1");
}

TEST(postgresql_conninfo, connect_timeout_defaults_from_the_options_in_whole_seconds) {
  EXPECT_EQ(
      value_of(build_conninfo(url::parse("postgresql://u@h/db"), options(std::chrono::milliseconds(2500))),
               "connect_timeout"),
      "3");
  EXPECT_EQ(
      value_of(build_conninfo(url::parse("postgresql://u@h/db"), options(std::chrono::milliseconds(10))),
               "connect_timeout"),
      "1");  // never 0, which libpq reads as "wait forever"
  EXPECT_EQ(value_of(build_conninfo(url::parse("postgresql://u@h/db?connect_timeout=7"), options()),
                     "connect_timeout"),
            "7");
}

TEST(postgresql_conninfo, absent_parts_are_left_to_libpq_defaults) {
  const auto info = build_conninfo(url::parse("postgresql://"), options());
  EXPECT_EQ(info.find("host"), nullptr);
  EXPECT_EQ(info.find("user"), nullptr);
  EXPECT_EQ(info.find("password"), nullptr);
  EXPECT_EQ(info.find("dbname"), nullptr);
  EXPECT_EQ(value_of(info, "client_encoding"), "UTF8");
}

TEST(postgresql_conninfo, describe_masks_the_password) {
  const auto info = build_conninfo(
      url::parse("postgresql://alice:hunter2secret@h/db?sslmode=require&sslpassword=keyPass9"), options());
  const std::string text = info.describe();
  EXPECT_EQ(text.find("hunter2secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("keyPass9"), std::string::npos) << text;  // the client key's passphrase
  EXPECT_NE(text.find(" password=***"), std::string::npos) << text;
  EXPECT_NE(text.find("sslpassword=***"), std::string::npos) << text;
  EXPECT_NE(text.find("user=alice"), std::string::npos) << text;
  EXPECT_NE(text.find("sslmode=require"), std::string::npos) << text;
}

TEST(postgresql_conninfo, unknown_option_is_a_url_error_naming_the_key_but_not_the_password) {
  try {
    build_conninfo(url::parse("postgresql://alice:hunter2secret@h/db?sslmod=disable"), options());
    FAIL() << "expected url_error";
  } catch (const url_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("sslmod"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2secret"), std::string::npos) << what;
  }
}

}  // namespace
TEST(postgresql_conninfo, several_hosts_become_libpq_lists) {
  const auto info = build_conninfo(
      url::parse("postgresql://u@127.0.0.1:5432,[::1],db2:5433/app?target_session_attrs=read-write"),
      options());
  EXPECT_EQ(value_of(info, "host"), "127.0.0.1,::1,db2");
  EXPECT_EQ(value_of(info, "port"), "5432,,5433");  // empty: the default port for that host
  EXPECT_EQ(value_of(info, "target_session_attrs"), "read-write");
  const auto no_ports = build_conninfo(url::parse("postgresql://u@a,b/app"), options());
  EXPECT_EQ(value_of(no_ports, "host"), "a,b");
  EXPECT_EQ(value_of(no_ports, "port"), "<absent>");
}

TEST(postgresql_conninfo, prepared_statements_is_relates_option_not_libpqs) {
  const auto off = url::parse("postgresql://u@h/db?prepared_statements=false");
  EXPECT_EQ(value_of(build_conninfo(off, options()), "prepared_statements"), "<absent>");
  EXPECT_FALSE(prepared_statements_enabled(off, options()));
  EXPECT_TRUE(prepared_statements_enabled(url::parse("postgresql://u@h/db"), options()));
  auto engine_off = options();
  engine_off.prepared_statements = false;
  EXPECT_FALSE(prepared_statements_enabled(url::parse("postgresql://u@h/db"), engine_off));
  EXPECT_TRUE(
      prepared_statements_enabled(url::parse("postgresql://u@h/db?prepared_statements=on"), engine_off));
  EXPECT_THROW(
      prepared_statements_enabled(url::parse("postgresql://u@h/db?prepared_statements=maybe"), options()),
      url_error);
}

}  // namespace relate::postgresql
