// SPDX-License-Identifier: MIT
// docs/logging.md: relate's SQL log through an spdlog logger the application
// owns, and a statement listener.  Prints logging.out.
// snippet-begin: logger
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <relate/engine.hpp>

#include <cstddef>
#include <iostream>
#include <memory>
#include <span>
#include <string_view>

int main() {
  // A logger named relate.sql with the sinks the application wants.
  auto logger =
      std::make_shared<spdlog::logger>("relate.sql", std::make_shared<spdlog::sinks::stdout_sink_st>());
  logger->set_pattern("[%n] %v");
  auto engine = relate::create_engine("sqlite:///log.db", {.echo = true, .logger = logger});
  // snippet-end: logger

  // snippet-begin: listener
  std::size_t statements = 0;
  const auto id =
      engine.add_listener([&](std::string_view, std::span<const relate::value>) { ++statements; });
  auto conn = engine.connect();
  conn.execute("CREATE TABLE notes (body TEXT)");
  conn.execute("INSERT INTO notes (body) VALUES (?)", {"hello"});
  conn.commit();
  engine.remove_listener(id);
  logger->flush();
  std::cout << statements << " statements seen by the listener\n";
  // snippet-end: listener
}
