// SPDX-License-Identifier: MIT
// The connection handle: statements, transactions and the return to the pool.
#include "engine/engine_state.hpp"

namespace relate {

namespace {

[[noreturn]] void throw_closed() {
  throw usage_error("this connection is closed (close() was called or it was moved from)");
}

}  // namespace

connection::connection(connection&&) noexcept = default;

connection& connection::operator=(connection&& other) noexcept {
  if (this != &other) {
    close_quietly();
    conn_ = std::move(other.conn_);
  }
  return *this;
}

connection::~connection() { close_quietly(); }

void connection::close_quietly() noexcept {
  // The pooled connection rolls back and returns itself to the pool when the
  // last handle (this, a result or a guard) lets go.
  if (!conn_) return;
  try {
    conn_->rollback();
  } catch (...) {
    // The pool drops connections that cannot roll back (is_open() false).
  }
  conn_.reset();
}

void connection::close() {
  if (!conn_) return;
  auto conn = std::move(conn_);
  conn->rollback();
}

result connection::execute(std::string_view sql, std::initializer_list<value> params) {
  return execute(sql, std::span<const value>(params.begin(), params.size()));
}

result connection::execute(std::string_view sql, std::span<const value> params, fetch_mode mode) {
  if (!conn_) throw_closed();
  auto cursor = conn_->run(sql, params, mode);
  return result(conn_, std::move(cursor));
}

result connection::execute(const sql::node& statement, fetch_mode mode) {
  const auto compiled = dialect().compile(statement);
  return execute(compiled.sql, compiled.params, mode);
}

std::vector<std::int64_t> connection::execute_many(std::string_view sql,
                                                   std::span<const std::vector<value>> param_sets) {
  if (!conn_) throw_closed();
  return conn_->run_batch(sql, param_sets);
}

transaction connection::begin() {
  if (!conn_) throw_closed();
  if (conn_->in_transaction()) return begin_nested();
  conn_->begin(false);
  return transaction(conn_, "");
}

transaction connection::begin_nested() {
  if (!conn_) throw_closed();
  auto name = conn_->open_savepoint();
  return transaction(conn_, std::move(name));
}

void connection::commit() {
  if (!conn_) throw_closed();
  conn_->commit();
}

void connection::rollback() {
  if (!conn_) throw_closed();
  conn_->rollback();
}

bool connection::in_transaction() const noexcept { return conn_ && conn_->in_transaction(); }

void connection::set_transaction_options(const transaction_options& options) {
  if (!conn_) throw_closed();
  conn_->set_transaction_options(options);
}

const transaction_options& connection::get_transaction_options() const {
  if (!conn_) throw_closed();
  return conn_->get_transaction_options();
}

read_token connection::read_token() const {
  if (!conn_) throw_closed();
  return relate::read_token(conn_->committed_position());
}

const engine& connection::get_engine() const {
  if (!conn_) throw_closed();
  return conn_->owner();
}

const sql::dialect& connection::dialect() const { return get_engine().dialect(); }

native_connection& connection::native() {
  if (!conn_) throw_closed();
  return conn_->native();
}

}  // namespace relate
