// SPDX-License-Identifier: MIT
#include "fake_driver.hpp"

#include "fake_cursor.hpp"

#include <relate/error.hpp>
#include <relate/plugin/export.hpp>

namespace fakedb {

void journal::add(std::string event) {
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(event));
}

std::vector<std::string> journal::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

namespace {

relate::error_category category_named(std::string_view name) {
  static const std::map<std::string_view, relate::error_category> categories{
      {"integrity", relate::error_category::integrity},
      {"operational", relate::error_category::operational},
      {"programming", relate::error_category::programming},
      {"data", relate::error_category::data}};
  const auto it = categories.find(name);
  return it == categories.end() ? relate::error_category::database : it->second;
}

class connection final : public relate::native_connection {
 public:
  connection(int id, journal& log, journal& watched) : id_(id), journal_(log), watched_(watched) {
    note("open");
  }
  ~connection() override { note("close"); }

  std::unique_ptr<relate::native_cursor> execute(std::string_view sql, std::span<const relate::value> params,
                                                 relate::fetch_mode) override {
    if (!open_) fail(relate::error_category::operational, "connection is dead", sql);
    if (sql == "SELECT journal") {
      std::vector<std::vector<relate::value>> rows;
      for (auto& e : watched_.events()) rows.push_back({relate::value(std::move(e))});
      return std::make_unique<cursor>(std::vector<std::string>{"event"}, std::move(rows), 0);
    }
    note("exec " + std::string(sql));
    if (sql == "SELECT params") {
      std::vector<std::string> names;
      for (std::size_t i = 1; i <= params.size(); ++i) names.push_back("p" + std::to_string(i));
      return std::make_unique<cursor>(
          std::move(names), std::vector<std::vector<relate::value>>{{params.begin(), params.end()}}, 0);
    }
    if (sql == "SELECT connection_id")
      return std::make_unique<cursor>(std::vector<std::string>{"id"},
                                      std::vector<std::vector<relate::value>>{{relate::value(id_)}}, 0);
    if (sql == "KILL") open_ = false;
    if (sql.starts_with("FAIL ")) fail(category_named(sql.substr(5)), "scripted failure", sql);
    return std::make_unique<cursor>(std::vector<std::string>{}, std::vector<std::vector<relate::value>>{}, 1);
  }

  void begin(const relate::transaction_options&) override { note("begin"); }
  void commit() override { note("commit"); }
  void rollback() override { note("rollback"); }
  void savepoint(std::string_view name) override { note("savepoint " + std::string(name)); }
  void release_savepoint(std::string_view name) override { note("release " + std::string(name)); }
  void rollback_to_savepoint(std::string_view name) override { note("rollback_to " + std::string(name)); }
  bool is_open() const override { return open_; }
  bool ping() override {
    note("ping");
    return open_;
  }

 private:
  void note(const std::string& what) { journal_.add("c" + std::to_string(id_) + " " + what); }
  [[noreturn]] static void fail(relate::error_category category, std::string message, std::string_view sql) {
    relate::throw_database_error(category, {.driver = "fakedb",
                                            .sql = std::string(sql),
                                            .native_code = "FAKE",
                                            .native_message = std::move(message),
                                            .retryable = false});
  }

  int id_;
  journal& journal_;
  journal& watched_;
  bool open_ = true;
};

}  // namespace

std::unique_ptr<relate::native_connection> driver::connect(const relate::url& target,
                                                           const relate::connect_options& options) {
  if (target.query_value("fail_connect"))
    relate::throw_database_error(relate::error_category::operational,
                                 {.driver = "fakedb",
                                  .sql = "",
                                  .native_code = "FAKE",
                                  .native_message = "connection refused (scripted)",
                                  .retryable = false});
  if (options.logger == nullptr)
    throw relate::usage_error("fakedb: connect_options.logger must never be null");
  std::lock_guard lock(mutex_);
  auto& log = journals_[target.host()];
  const auto watch = target.query_value("watch");
  auto& watched = watch ? journals_[*watch] : log;
  return std::make_unique<connection>(log.next_connection_id(), log, watched);
}

}  // namespace fakedb

RELATE_DEFINE_PLUGIN(fakedb::driver, "fakedb", "1.0 (test double)", "fakedb", "fake+scripted")
