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
  auto state = std::make_shared<detail::engine_state>(std::move(target), options, std::move(drv));
  state->logger->debug("created engine for {} (driver {})", state->target.str(), state->drv->name());
  if (!options.replicas.empty()) {
    // Each replica: the same options (and so the same logger), its own pool
    // with pre-ping on (a replica that went away is found at checkout, not
    // by the read), and the primary's listeners.
    engine_options replica_options = options;
    replica_options.replicas.clear();
    replica_options.pool_pre_ping = true;
    for (const auto& replica_url : options.replicas) {
      auto replica_target = url::parse(replica_url);
      auto replica_driver =
          detail::plugin_registry::global().driver_for(replica_target.scheme(), plugin_search_path(options));
      if (replica_driver != state->drv)
        throw usage_error("relate::create_engine: the replica " + replica_target.str() + " uses the driver " +
                          std::string(replica_driver->name()) + ", the primary " +
                          std::string(state->drv->name()) + " (a replica is a copy of the same database)");
      state->replicas.push_back(std::make_shared<detail::engine_state>(
          std::move(replica_target), replica_options, std::move(replica_driver), state->hooks, true));
      state->logger->debug("  with the replica {}", state->replicas.back()->target.str());
    }
  }
  return engine(std::move(state));
}

std::vector<std::string> plugin_search_path(const engine_options& options) {
  return detail::plugin_search_folders(options.plugin_path, options.plugin_path_only);
}

connection engine::connect() const {
  auto native = state_->pool.acquire();
  auto checked_out = std::make_shared<detail::pooled_connection>(*this, state_, std::move(native));
  // A listener that throws leaves checked_out to hand the connection back.
  state_->hooks->notify(&engine_listener::on_checkout, checked_out->native());
  return connection(std::move(checked_out));
}

const url& engine::get_url() const noexcept { return state_->target; }
const sql::dialect& engine::dialect() const noexcept { return state_->drv->dialect(); }
std::string_view engine::driver_name() const noexcept { return state_->drv->name(); }
const std::shared_ptr<spdlog::logger>& engine::logger() const noexcept { return state_->logger; }
const engine_options& engine::options() const noexcept { return state_->options; }

std::uint64_t engine::statements_executed() const noexcept {
  return state_->hooks->statements.load(std::memory_order_relaxed);
}

std::size_t engine::add_listener(statement_listener listener) const {
  // The per-parameter-set callback of earlier releases, as an after_execute.
  if (!listener) throw usage_error("relate::engine::add_listener: the listener is empty");
  return state_->hooks->add_listener({.after_execute = [per_set = std::move(listener)](const execution& e) {
    if (!e.is_batch()) return per_set(e.sql, e.params);
    for (const auto& params : e.batch) per_set(e.sql, params);
  }});
}

std::size_t engine::add_listener(engine_listener listener) const {
  return state_->hooks->add_listener(std::move(listener));
}

void engine::remove_listener(std::size_t id) const { state_->hooks->remove_listener(id); }

void engine::dispose() const { state_->pool.dispose(); }

pool_status engine::pool_status() const { return state_->pool.status(); }

}  // namespace relate
