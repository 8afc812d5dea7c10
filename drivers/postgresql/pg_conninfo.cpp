// SPDX-License-Identifier: MIT
#include "pg_conninfo.hpp"

#include <relate/error.hpp>

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace relate::postgresql {
namespace {

// The keywords this libpq understands.  Checked here rather than left to
// PQconnectdbParams so a typo in a URL is a url_error naming the key, before
// any network traffic.
const std::set<std::string, std::less<>>& known_keywords() {
  static const std::set<std::string, std::less<>> keywords = [] {
    std::set<std::string, std::less<>> names;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> defaults(PQconndefaults(), &PQconninfoFree);
    for (const PQconninfoOption* option = defaults.get(); option && option->keyword; ++option)
      names.insert(option->keyword);
    return names;
  }();
  return keywords;
}

constexpr std::string_view prepared_statements_key = "prepared_statements";

std::string strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::string(host);
}

std::string timeout_seconds(std::chrono::milliseconds timeout) {
  // libpq takes whole seconds; round up so a sub-second timeout is not "0" (= wait forever).
  const auto seconds = std::max<std::int64_t>(1, (timeout.count() + 999) / 1000);
  return std::to_string(seconds);
}

}  // namespace

void conninfo::set(std::string keyword, std::string value) {
  auto same = [&](const auto& entry) { return entry.first == keyword; };
  if (auto it = std::find_if(entries_.begin(), entries_.end(), same); it != entries_.end())
    it->second = std::move(value);
  else
    entries_.emplace_back(std::move(keyword), std::move(value));
}

const std::string* conninfo::find(std::string_view keyword) const {
  for (const auto& [key, value] : entries_)
    if (key == keyword) return &value;
  return nullptr;
}

std::string conninfo::describe() const {
  std::string text;
  for (const auto& [key, value] : entries_) {
    if (!text.empty()) text += ' ';
    text += key;
    text += '=';
    // password, and sslpassword (the client key's passphrase).
    text += key.find("password") != std::string::npos ? "***" : value;
  }
  return text;
}

std::vector<const char*> conninfo::keywords() const {
  std::vector<const char*> result;
  for (const auto& entry : entries_) result.push_back(entry.first.c_str());
  result.push_back(nullptr);
  return result;
}

std::vector<const char*> conninfo::values() const {
  std::vector<const char*> result;
  for (const auto& entry : entries_) result.push_back(entry.second.c_str());
  result.push_back(nullptr);
  return result;
}

conninfo build_conninfo(const url& target, const connect_options& options) {
  conninfo info;
  // Several hosts become libpq's comma-separated host and port lists (an
  // empty port entry means the default port for that host).
  std::string hosts, ports;
  bool any_host = false, any_port = false;
  for (std::size_t i = 0; i < target.hosts().size(); ++i) {
    const auto& [host, port] = target.hosts()[i];
    if (i > 0) {
      hosts += ',';
      ports += ',';
    }
    hosts += strip_brackets(host);
    any_host = any_host || !host.empty();
    if (port) ports += std::to_string(*port);
    any_port = any_port || port.has_value();
  }
  if (any_host) info.set("host", hosts);
  if (any_port) info.set("port", ports);
  if (target.username()) info.set("user", *target.username());
  if (target.password()) info.set("password", *target.password());
  if (!target.database().empty()) info.set("dbname", target.database());

  for (const auto& [key, value] : target.query()) {
    if (key == prepared_statements_key) continue;
    if (!known_keywords().contains(key))
      throw url_error("unknown PostgreSQL connection option '" + key +
                      "' in the URL query (every query parameter is passed to libpq as a keyword; see "
                      "libpq's \"Parameter Key Words\")");
    info.set(key, value);
  }

  if (!info.find("connect_timeout")) info.set("connect_timeout", timeout_seconds(options.connect_timeout));
  // The driver decodes text results as UTF-8; an application name makes the
  // connection recognisable in pg_stat_activity unless the URL names one.
  if (!info.find("client_encoding")) info.set("client_encoding", "UTF8");
  if (!info.find("fallback_application_name")) info.set("fallback_application_name", "relate");
  return info;
}

bool prepared_statements_enabled(const url& target, const connect_options& options) {
  const auto text = target.query_value(prepared_statements_key);
  if (!text) return options.prepared_statements;
  std::string v = *text;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw url_error("prepared_statements in the URL must be true or false");
}

}  // namespace relate::postgresql
