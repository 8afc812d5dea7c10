// SPDX-License-Identifier: MIT
// The fixture of the relationship suite: a scratch database on each backend
// with every model's table, a log of the statements the engine ran, and
// reads through a second connection (so only what was committed counts).
#pragma once

#include "models.hpp"

#include <backends.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rel_test {

class relationship_test : public relate::testing::backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<User, Post, Tag, PostTag, Profile, Message, Author, Book, Folder, Document, Employee, Node, Loop,
             Widget, Entry>();
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
  /// The number of statements executed since the last take_statements()/forget().
  std::size_t statement_count() { return take_statements().size(); }
  void forget_statements() { take_statements(); }

  /// The rows of a query on a second connection, each row's cells joined by '|'.
  std::vector<std::string> committed(const std::string& sql) {
    auto conn = engine().connect();
    std::vector<std::string> out;
    for (const auto& row : conn.execute(sql)) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) line += '|';
        const relate::value v = row.get_value(i);
        if (v.is_null())
          line += "NULL";
        else if (auto n = v.get_if<std::int64_t>())
          line += std::to_string(*n);
        else if (auto t = v.get_if<std::string>())
          line += *t;
        else
          line += relate::to_log_string(v);
      }
      out.push_back(line);
    }
    return out;
  }
  std::int64_t committed_count(const std::string& table) {
    auto conn = engine().connect();
    return conn.execute("SELECT count(*) FROM " + table).scalar<std::int64_t>().value_or(-1);
  }

  relate::metadata meta;

 private:
  std::optional<std::size_t> listener_;
  std::mutex mutex_;
  std::vector<std::string> statements_;
};

}  // namespace rel_test
