// SPDX-License-Identifier: MIT
// The "relate.sql" logger: echo logs statements and parameters at info,
// otherwise at debug; the library never registers loggers or touches
// spdlog's default; passwords never reach the log.
#include "fake_engine.hpp"

#include <relate/engine.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace {

using relate::testing::test_host;

struct captured_logger {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger;

  explicit captured_logger(spdlog::level::level_enum level) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    sink->set_pattern("%l %v");
    logger = std::make_shared<spdlog::logger>("relate.sql", sink);
    logger->set_level(level);
  }
  std::string text() const { return out.str(); }
};

TEST(engine_logging, echo_logs_statements_and_parameters_at_info) {
  captured_logger log(spdlog::level::info);
  auto engine =
      relate::create_engine("fakedb://" + test_host() + "/db", {.echo = true, .logger = log.logger});
  auto conn = engine.connect();
  conn.execute("INSERT 1", {42, "it's", relate::null});
  conn.commit();
  const auto text = log.text();
  EXPECT_NE(text.find("info BEGIN (implicit)"), std::string::npos) << text;
  EXPECT_NE(text.find("info INSERT 1 [parameters: (42, 'it''s', NULL)]"), std::string::npos) << text;
  EXPECT_NE(text.find("info COMMIT"), std::string::npos) << text;
}

TEST(engine_logging, without_echo_statements_go_to_debug) {
  captured_logger info_log(spdlog::level::info);
  {
    auto engine = relate::create_engine("fakedb://" + test_host() + "/db", {.logger = info_log.logger});
    engine.connect().execute("INSERT 1", {1});
  }
  EXPECT_EQ(info_log.text().find("INSERT 1"), std::string::npos) << info_log.text();

  captured_logger debug_log(spdlog::level::debug);
  auto engine = relate::create_engine("fakedb://" + test_host() + "/db", {.logger = debug_log.logger});
  engine.connect().execute("INSERT 1", {1});
  EXPECT_NE(debug_log.text().find("debug INSERT 1 [parameters: (1)]"), std::string::npos) << debug_log.text();
}

TEST(engine_logging, passwords_never_reach_the_log) {
  captured_logger log(spdlog::level::trace);
  auto engine = relate::create_engine("fakedb://admin:hunter2@" + test_host() + "/db",
                                      {.echo = true, .logger = log.logger});
  engine.connect().execute("INSERT 1");
  EXPECT_NE(log.text().find("admin:***@"), std::string::npos) << log.text();
  EXPECT_EQ(log.text().find("hunter2"), std::string::npos) << log.text();
}

TEST(engine_logging, default_logger_is_private_and_quiet) {
  const auto default_before = spdlog::default_logger();
  ASSERT_EQ(spdlog::get("relate.sql"), nullptr);
  auto quiet = relate::create_engine("fakedb://" + test_host() + "/db");
  auto echo = relate::create_engine("fakedb://" + test_host() + "/db", {.echo = true});
  EXPECT_EQ(spdlog::get("relate.sql"), nullptr) << "the library registered a logger";
  EXPECT_EQ(spdlog::default_logger(), default_before);
  EXPECT_EQ(quiet.logger()->name(), "relate.sql");
  EXPECT_FALSE(quiet.logger()->should_log(spdlog::level::info));
  EXPECT_TRUE(echo.logger()->should_log(spdlog::level::info));
}

TEST(engine_logging, an_application_registered_logger_is_used) {
  captured_logger log(spdlog::level::debug);
  spdlog::register_logger(log.logger);
  auto engine = relate::create_engine("fakedb://" + test_host() + "/db");
  spdlog::drop("relate.sql");
  EXPECT_EQ(engine.logger(), log.logger);
  engine.connect().execute("INSERT 1");
  EXPECT_NE(log.text().find("INSERT 1"), std::string::npos) << log.text();
}

}  // namespace
