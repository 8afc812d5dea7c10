// SPDX-License-Identifier: MIT
// The wait between attempts of run_transaction: exponential backoff with
// "full jitter" (a uniform draw below the exponential cap), which spreads
// contending clients apart instead of having them collide again in step.
#include <relate/retry.hpp>

#include <algorithm>
#include <random>
#include <thread>

namespace relate::detail {

void backoff_after(const retry_options& options, std::size_t attempt) {
  const auto initial = std::max<std::int64_t>(0, options.initial_backoff.count());
  const auto cap = std::max<std::int64_t>(initial, options.max_backoff.count());
  std::int64_t ceiling = initial;
  for (std::size_t i = 1; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  if (ceiling <= 0) return;
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> draw(0, ceiling);
  std::this_thread::sleep_for(std::chrono::milliseconds(draw(random)));
}

}  // namespace relate::detail
