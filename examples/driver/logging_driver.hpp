// SPDX-License-Identifier: MIT
// A driver that serves the `logging` scheme by wrapping another driver: each
// statement is written to stderr, then run by the wrapped driver.  It is the
// shape of a driver that adds behaviour (logging, tracing, metrics, retries)
// around a real one; a driver for a new database implements the same three
// interfaces of relate/driver/driver.hpp against its client library instead.
#pragma once

#include <relate/driver/driver.hpp>

#include <memory>
#include <string_view>

namespace logging_driver {

class logging_driver final : public relate::driver {
 public:
  logging_driver();

  std::string_view name() const override { return "logging"; }
  const relate::sql::dialect& dialect() const override { return wrapped_->dialect(); }
  std::unique_ptr<relate::native_connection> connect(const relate::url& target,
                                                     const relate::connect_options& options) override;
  bool single_connection(const relate::url& target) const override {
    return wrapped_->single_connection(target);
  }

 private:
  std::unique_ptr<relate::driver> wrapped_;
};

}  // namespace logging_driver
