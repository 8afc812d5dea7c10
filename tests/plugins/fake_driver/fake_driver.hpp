// SPDX-License-Identifier: MIT
// "fakedb": a scripted in-memory driver, built outside core like a
// third-party driver would be.  It proves the plugin contract is enough to
// add a driver, and lets the engine tests watch what the engine asks of a
// driver: every call lands in a journal (one per URL host, so tests do not
// see each other) that the SQL "SELECT journal" returns.
//
// Statements it understands (anything else succeeds with no rows):
//   SELECT journal        one column "event": "c<id> <call>" lines so far, of
//                         this host, or of host W with the URL option ?watch=W
//   SELECT params         one row, columns p1..pn holding the bound values
//   SELECT connection_id  one row, the native connection's number
//   KILL                  the connection reports is_open() == false from now on
//   FAIL <category>       throws the database_error of that category
// URLs: fakedb://anything; database ":memory:" asks for a single shared
// connection; ?fail_connect=1 makes connect() throw operational_error.
#pragma once

#include <relate/driver/driver.hpp>
#include <relate/sql/dialect.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fakedb {

/// What happened to the connections of one URL host (tests use one host each).
class journal {
 public:
  void add(std::string event);
  std::vector<std::string> events() const;
  int next_connection_id() { return ++connections_; }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
  std::atomic<int> connections_{0};
};

class dialect final : public relate::sql::dialect {
 public:
  std::string_view name() const override { return "fake"; }
  const relate::sql::dialect_capabilities& capabilities() const override { return capabilities_; }
  std::string placeholder(std::size_t) const override { return "?"; }
  std::string type_name(const relate::sql::sql_type&) const override { return "ANY"; }

 private:
  relate::sql::dialect_capabilities capabilities_{};
};

class driver final : public relate::driver {
 public:
  std::string_view name() const override { return "fakedb"; }
  const relate::sql::dialect& dialect() const override { return dialect_; }
  std::unique_ptr<relate::native_connection> connect(const relate::url& target,
                                                     const relate::connect_options& options) override;
  bool single_connection(const relate::url& target) const override { return target.database() == ":memory:"; }

 private:
  fakedb::dialect dialect_;
  std::mutex mutex_;
  std::map<std::string, journal> journals_;  // by URL host; entries never move
};

}  // namespace fakedb
