// SPDX-License-Identifier: MIT
#include "logging_driver.hpp"

#include "wrapped_plugin.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace logging_driver {
namespace {

// Writes the statement, then forwards every call to the wrapped connection.
class logging_connection final : public relate::native_connection {
 public:
  explicit logging_connection(std::unique_ptr<relate::native_connection> wrapped)
      : wrapped_(std::move(wrapped)) {}

  std::unique_ptr<relate::native_cursor> execute(std::string_view sql, std::span<const relate::value> params,
                                                 relate::fetch_mode mode) override {
    log(sql, params.size());
    return wrapped_->execute(sql, params, mode);
  }
  std::vector<std::int64_t> execute_batch(std::string_view sql,
                                          std::span<const std::vector<relate::value>> param_sets) override {
    log(sql, param_sets.empty() ? 0 : param_sets.front().size(), param_sets.size());
    return wrapped_->execute_batch(sql, param_sets);
  }
  void begin(const relate::transaction_options& options) override { wrapped_->begin(options); }
  void commit() override { wrapped_->commit(); }
  void rollback() override { wrapped_->rollback(); }
  void savepoint(std::string_view name) override { wrapped_->savepoint(name); }
  void release_savepoint(std::string_view name) override { wrapped_->release_savepoint(name); }
  void rollback_to_savepoint(std::string_view name) override { wrapped_->rollback_to_savepoint(name); }
  bool is_open() const override { return wrapped_->is_open(); }
  bool ping() override { return wrapped_->ping(); }
  bool reset() override { return wrapped_->reset(); }

 private:
  // Parameter values are not written: they may be passwords or personal data.
  static void log(std::string_view sql, std::size_t parameters, std::size_t times = 1) {
    std::clog << "logging driver: " << sql << " [" << parameters << " parameters";
    if (times != 1) std::clog << ", " << times << " times";
    std::clog << "]\n";
  }

  std::unique_ptr<relate::native_connection> wrapped_;
};

}  // namespace

logging_driver::logging_driver() : wrapped_(open_wrapped_driver(RELATE_LOGGING_WRAPPED_PLUGIN)) {}

std::unique_ptr<relate::native_connection> logging_driver::connect(const relate::url& target,
                                                                   const relate::connect_options& options) {
  return std::make_unique<logging_connection>(wrapped_->connect(target, options));
}

}  // namespace logging_driver
