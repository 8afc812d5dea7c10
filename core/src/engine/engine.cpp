// SPDX-License-Identifier: MIT
// create_engine() and the engine handle: a URL, a driver from the plugin
// loader, a pool and a logger, shared by every copy of the handle.
#include "engine/engine_state.hpp"
#include "plugin_loader.hpp"

#include <spdlog/logger.h>

namespace relate {

engine create_engine(std::string_view url_text, engine_options options) {
  auto target = url::parse(url_text);
  auto drv = detail::plugin_registry::global().driver_for(target.scheme(), plugin_search_path(options));
  auto state = std::make_shared<detail::engine_state>(std::move(target), std::move(options), std::move(drv));
  state->logger->debug("created engine for {} (driver {})", state->target.str(), state->drv->name());
  return engine(std::move(state));
}

std::vector<std::string> plugin_search_path(const engine_options& options) {
  return detail::plugin_search_folders(options.plugin_path, options.plugin_path_only);
}

connection engine::connect() const {
  auto native = state_->pool.acquire();
  auto checked_out = std::make_shared<detail::pooled_connection>(*this, state_, std::move(native));
  // A listener that throws leaves checked_out to hand the connection back.
  state_->notify(&engine_listener::on_checkout, checked_out->native());
  return connection(std::move(checked_out));
}

const url& engine::get_url() const noexcept { return state_->target; }
const sql::dialect& engine::dialect() const noexcept { return state_->drv->dialect(); }
std::string_view engine::driver_name() const noexcept { return state_->drv->name(); }
const std::shared_ptr<spdlog::logger>& engine::logger() const noexcept { return state_->logger; }
const engine_options& engine::options() const noexcept { return state_->options; }

std::uint64_t engine::statements_executed() const noexcept {
  return state_->statements.load(std::memory_order_relaxed);
}

std::size_t engine::add_listener(statement_listener listener) const {
  // The per-parameter-set callback of earlier releases, as an after_execute.
  if (!listener) throw usage_error("relate::engine::add_listener: the listener is empty");
  return state_->add_listener({.after_execute = [per_set = std::move(listener)](const execution& e) {
    if (!e.is_batch()) return per_set(e.sql, e.params);
    for (const auto& params : e.batch) per_set(e.sql, params);
  }});
}

std::size_t engine::add_listener(engine_listener listener) const {
  return state_->add_listener(std::move(listener));
}

void engine::remove_listener(std::size_t id) const { state_->remove_listener(id); }

void engine::dispose() const { state_->pool.dispose(); }

pool_status engine::pool_status() const { return state_->pool.status(); }

}  // namespace relate
