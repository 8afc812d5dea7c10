// SPDX-License-Identifier: MIT
// Engine tests run on the fakedb plugin: each test uses its own URL host,
// whose journal records every call the engine made on the driver.
#pragma once

#include <relate/engine.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace relate::testing {

/// A host name unique to the running test.
inline std::string test_host() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(info->test_suite_name()) + "-" + info->name();
}

/// The calls made on the connections of host, in order ("c1 begin", ...),
/// read through an observer engine so that reading does not add to them.
inline std::vector<std::string> journal_of(const std::string& host) {
  auto observer = create_engine("fakedb://observer/?watch=" + host);
  auto conn = observer.connect();
  std::vector<std::string> events;
  for (const auto& row : conn.execute("SELECT journal")) events.push_back(row.get<std::string>(0));
  return events;
}

}  // namespace relate::testing
