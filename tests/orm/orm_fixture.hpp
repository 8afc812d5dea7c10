// SPDX-License-Identifier: MIT
// The fixture of the ORM suite: a scratch database on each backend with the
// test models' tables created, and a statement counter on the engine.
#pragma once

#include "models.hpp"

#include <backends.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace orm_test {

class orm_fixture : public relate::testing::backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<User, Post, Everything, Membership, Account, Tagged, Versioned>();
    meta.create_all(engine());
    listener_ = engine().add_listener([this](std::string_view sql, std::span<const relate::value>) {
      std::lock_guard lock(mutex_);
      statements_.emplace_back(sql);
    });
  }
  void TearDown() override {
    if (listener_) engine().remove_listener(*listener_);
    backend_test::TearDown();
  }

  /// Statements executed since the last call (and forgets them).
  std::vector<std::string> take_statements() {
    std::lock_guard lock(mutex_);
    return std::exchange(statements_, {});
  }
  static std::size_t count_starting_with(const std::vector<std::string>& statements,
                                         std::string_view prefix) {
    std::size_t n = 0;
    for (const auto& s : statements)
      if (s.rfind(prefix, 0) == 0) ++n;
    return n;
  }
  /// The number of rows in a table, read on a separate connection (so only
  /// committed rows count).
  std::int64_t committed_rows(const std::string& table) {
    auto conn = engine().connect();
    auto r = conn.execute("SELECT count(*) FROM " + engine().dialect().quote_identifier(table));
    return r.scalar<std::int64_t>().value_or(-1);
  }

  relate::metadata meta;

 private:
  std::optional<std::size_t> listener_;
  std::mutex mutex_;
  std::vector<std::string> statements_;
};

}  // namespace orm_test
