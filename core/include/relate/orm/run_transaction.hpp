// SPDX-License-Identifier: MIT
// relate::run_transaction for the ORM: each attempt runs the function with a
// fresh session, then commits it; retries as relate/retry.hpp describes.
//
//   relate::run_transaction(engine, [&](relate::session& s) {
//     auto account = s.get<Account>(1);
//     account->balance -= 10;
//   }, {.transaction = {.isolation = relate::isolation_level::serializable}});
//
// Objects loaded in a failed attempt belong to its discarded session: use
// only what the successful attempt returns.
#pragma once

#include <relate/orm/session.hpp>
#include <relate/retry.hpp>

#include <type_traits>

namespace relate {

template <class F>
requires std::is_invocable_v<F&, orm::session&>
auto run_transaction(const engine& e, F&& fn, const retry_options& options = {},
                     orm::session_options session_opts = {}) {
  if (options.transaction) session_opts.transaction = options.transaction;
  return detail::retry_loop(options, [&]() -> std::invoke_result_t<F&, orm::session&> {
    orm::session s(e, session_opts);
    return detail::call_then_commit(fn, s);
  });
}

}  // namespace relate
