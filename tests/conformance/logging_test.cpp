// SPDX-License-Identifier: MIT
// echo=true logs each statement with its parameters on the logger the
// application passes in, and nothing the library logs contains a password.
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/error.hpp>
#include <relate/url.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

namespace relate::testing {
namespace {

class echo_logging : public backend_test {
 protected:
  echo_logging()
      : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(log_)),
        logger_(std::make_shared<spdlog::logger>("relate.sql.capture", sink_)) {
    logger_->set_level(spdlog::level::trace);
    logger_->set_pattern("%l %v");
  }

  engine_options options() const override {
    engine_options o;
    o.echo = true;
    o.logger = logger_;
    return o;
  }

  std::string log() {
    logger_->flush();
    return log_.str();
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_P(echo_logging, statements_and_their_parameters_are_logged_at_info) {
  auto conn = engine().connect();
  conn.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)");
  const std::string insert = portable_sql(engine(), "INSERT INTO notes (id, body) VALUES (?, ?)");
  conn.execute(insert, {7, "logged body"});
  conn.commit();
  const std::string text = log();
  EXPECT_NE(text.find("CREATE TABLE notes"), std::string::npos) << text;
  EXPECT_NE(text.find("info " + insert), std::string::npos) << text;
  EXPECT_NE(text.find("7"), std::string::npos) << text;
  EXPECT_NE(text.find("logged body"), std::string::npos) << text;
}

TEST_P(echo_logging, the_application_logger_is_used_not_a_global_one) {
  EXPECT_EQ(engine().logger(), logger_);
  engine().connect().execute("SELECT 1");
  EXPECT_NE(log().find("SELECT 1"), std::string::npos);
}

// Puts user:password into the scratch database's URL (replacing any password).
std::string with_password(const std::string& text, const std::string& password) {
  const auto scheme_end = text.find("://");
  const auto authority = scheme_end + 3;
  const auto path = text.find('/', authority);
  const auto at = text.find('@', authority);
  if (at != std::string::npos && at < path) {
    const auto colon = text.find(':', authority);
    const auto user_end = (colon != std::string::npos && colon < at) ? colon : at;
    return text.substr(0, user_end) + ":" + password + text.substr(at);
  }
  return text.substr(0, authority) + "relate_user:" + password + "@" + text.substr(authority);
}

TEST_P(echo_logging, a_url_password_never_reaches_the_log_or_an_error) {
  const std::string password = "pw_9f7c2e_secret";
  const std::string url_text = with_password(db().url(), password);
  ASSERT_NE(url_text.find(password), std::string::npos);
  // SQLite refuses a URL with credentials, PostgreSQL with trust auth accepts
  // it: either way the password must stay out of every message.
  try {
    auto e = create_engine(url_text, options());
    EXPECT_EQ(e.get_url().str().find(password), std::string::npos) << e.get_url().str();
    auto conn = e.connect();
    conn.execute("SELECT 1");
    conn.commit();
  } catch (const relate::error& e) {
    EXPECT_EQ(std::string(e.what()).find(password), std::string::npos) << e.what();
  }
  try {
    create_engine("postgresql://relate_user:" + password + "@localhost:not_a_port/db", options());
    ADD_FAILURE() << "a malformed port was accepted";
  } catch (const url_error& e) {
    EXPECT_EQ(std::string(e.what()).find(password), std::string::npos) << e.what();
  }
  EXPECT_EQ(log().find(password), std::string::npos) << log();
}

RELATE_INSTANTIATE_BACKENDS(echo_logging);

}  // namespace
}  // namespace relate::testing
