// SPDX-License-Identifier: MIT
// Many executions of one statement in libpq's pipeline mode: the ORM's
// UPDATEs and DELETEs of a flush and connection::execute_many.  Without it
// every execution waits a round trip for its reply; with it a run of them
// costs one (https://www.postgresql.org/docs/current/libpq-pipeline-mode.html).
#include "pg_connection.hpp"
#include "pg_errors.hpp"

#include <algorithm>

namespace relate::postgresql {

std::vector<std::int64_t> pg_connection::execute_batch(std::string_view sql,
                                                       std::span<const std::vector<value>> param_sets) {
  check_usable(sql);
  flush_deallocations();
  if (param_sets.size() < 2) return native_connection::execute_batch(sql, param_sets);
  send_deferred_begin();
  read_only_queries_ = false;
  std::vector<std::int64_t> counts;
  counts.reserve(param_sets.size());
  std::vector<wire_params> wires;
  std::string run_key, run_name;
  for (std::size_t i = 0; i <= param_sets.size(); ++i) {
    wire_params wire;
    std::string key;
    if (i < param_sets.size()) {
      try {
        wire = encode_params(param_sets[i], sql);
      } catch (...) {
        // A value that cannot be sent (data_error): the executions before it
        // still run, as execute_many promises, then the error is reported.
        if (!wires.empty()) run_pipeline(sql, run_name, run_key, wires, counts);
        throw;
      }
      key = statement_key(sql, wire.types);
    }
    // A run ends where the parameter types change (another prepared statement),
    // at pipeline_chunk executions, and at the end.
    if (!wires.empty() && (i == param_sets.size() || key != run_key || wires.size() == pipeline_chunk)) {
      run_pipeline(sql, run_name, run_key, wires, counts);
      wires.clear();
    }
    if (i == param_sets.size()) break;
    if (wires.empty()) {
      // Prepared before the pipeline starts: PQprepare waits for its reply.
      run_name = prepared(key, sql, wire.types);
      run_key = std::move(key);
    }
    wires.push_back(std::move(wire));  // moves the vectors' buffers: the pointers stay valid
  }
  return counts;
}

void pg_connection::run_pipeline(std::string_view sql, const std::string& name, const std::string& key,
                                 const std::vector<wire_params>& wires, std::vector<std::int64_t>& counts) {
  if (!PQenterPipelineMode(conn_)) throw_error(conn_, nullptr, sql);
  bool sent = true;
  for (const auto& wire : wires) {
    sent = send(sql, name, wire);
    if (!sent) break;
  }
  sent = sent && PQpipelineSync(conn_) != 0;
  if (!sent) {
    // Nothing can be read back of a pipeline that could not be sent; the
    // connection is broken (a live one accepts every send).
    PQexitPipelineMode(conn_);
    throw_error(conn_, nullptr, sql);
  }

  // After an error the rest report PGRES_PIPELINE_ABORTED.
  const std::size_t before = counts.size();
  result_ptr failure;
  const bool synced = read_to_sync(conn_, [&](result_ptr r) {
    switch (PQresultStatus(r.get())) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        counts.push_back(affected_rows(r.get()));
        break;
      case PGRES_PIPELINE_ABORTED:
        break;
      default:
        if (!failure) failure = std::move(r);
        break;
    }
  });
  if (failure) {
    if (!name.empty()) forget_if_stale(key, name, failure.get());
    throw_error(conn_, failure.get(), sql);
  }
  if (!synced || counts.size() != before + wires.size()) throw_error(conn_, nullptr, sql);
}

}  // namespace relate::postgresql
