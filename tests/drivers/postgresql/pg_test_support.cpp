// SPDX-License-Identifier: MIT
#include "pg_test_support.hpp"

#include <backends.hpp>

#include <atomic>
#include <random>

#include <unistd.h>

namespace relate::postgresql::testing {

std::vector<capture_sink::entry> capture_sink::entries() {
  std::lock_guard lock(mutex_);
  return entries_;
}

bool capture_sink::contains(spdlog::level::level_enum level, std::string_view text) {
  for (const auto& e : entries())
    if (e.level == level && e.text.find(text) != std::string::npos) return true;
  return false;
}

std::string capture_sink::all_text() {
  std::string text;
  for (const auto& e : entries()) text += e.text + "\n";
  return text;
}

void capture_sink::sink_it_(const spdlog::details::log_msg& msg) {
  entries_.push_back({msg.level, std::string(msg.payload.data(), msg.payload.size())});
}

void pg_test::SetUp() {
  url_ = relate::testing::require_postgres();
  sink_ = std::make_shared<capture_sink>();
  auto logger = std::make_shared<spdlog::logger>("relate.sql.pgtest", sink_);
  logger->set_level(spdlog::level::trace);
  options_.logger = logger;
  options_.connect_timeout = std::chrono::seconds(10);
}

void pg_test::TearDown() {
  if (url_.empty() || tables_.empty()) return;
  try {
    auto conn = connect();
    for (const auto& t : tables_) run(*conn, "DROP TABLE IF EXISTS " + t + " CASCADE");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleanup failed: " << e.what();
  }
}

std::unique_ptr<pg_connection> pg_test::connect(std::size_t statement_cache_size,
                                                const std::string& extra_query) {
  std::string text = url_;
  if (!extra_query.empty()) text += (text.find('?') == std::string::npos ? "?" : "&") + extra_query;
  return std::make_unique<pg_connection>(url::parse(text), options_, statement_cache_size);
}

std::string pg_test::unique_table(const std::string& base) {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  std::string name = "relate_pgtest_" + base + "_" + std::to_string(::getpid()) + "_" +
                     std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
  tables_.push_back(name);
  return name;
}

std::unique_ptr<native_cursor> run(native_connection& conn, std::string_view sql, std::vector<value> params) {
  return conn.execute(sql, params, fetch_mode::buffered);
}

std::string scalar_text(native_connection& conn, std::string_view sql, std::vector<value> params) {
  auto cursor = run(conn, sql, std::move(params));
  if (!cursor->next()) throw std::runtime_error("no row from: " + std::string(sql));
  return std::string(cursor->get_text(0));
}

std::int64_t scalar_int(native_connection& conn, std::string_view sql, std::vector<value> params) {
  auto cursor = run(conn, sql, std::move(params));
  if (!cursor->next()) throw std::runtime_error("no row from: " + std::string(sql));
  return cursor->get_int64(0);
}

}  // namespace relate::postgresql::testing
