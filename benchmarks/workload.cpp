// SPDX-License-Identifier: MIT
#include "workload.hpp"

#include "memory.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define RELATE_BENCH_CALLGRIND_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#else
#define RELATE_BENCH_CALLGRIND_TOGGLE() ((void)0)
#endif

#include <algorithm>
#include <cmath>
#include <random>

namespace relate_bench {

std::string_view to_string(backend b) { return b == backend::sqlite ? "sqlite" : "postgresql"; }

sizes sizes::at_scale(double scale) {
  const auto scaled = [scale](std::int64_t n) {
    return std::max<std::int64_t>(1, std::llround(static_cast<double>(n) * scale));
  };
  sizes s;
  s.users = scaled(s.users);
  s.w3_users = std::min(s.users, scaled(s.w3_users));
  s.w4_gets = scaled(s.w4_gets);
  s.w5_posts = std::min(s.posts(), scaled(s.w5_posts));
  s.w6_posts = std::min(s.posts(), scaled(s.w6_posts));
  return s;
}

// Under valgrind --tool=callgrind --collect-atstart=no, only the timed
// region is collected (a no-op outside valgrind).
void measurement::start() {
  reset_peak_rss();
  RELATE_BENCH_CALLGRIND_TOGGLE();
  started_ = std::chrono::steady_clock::now();
}

void measurement::stop() {
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  RELATE_BENCH_CALLGRIND_TOGGLE();
  peak_rss_kb = relate_bench::peak_rss_kb();
}

std::string user_name(std::int64_t user) { return "user " + std::to_string(user); }

std::string post_title(std::int64_t user, std::int64_t k) {
  return "post " + std::to_string(k) + " of user " + std::to_string(user);
}

std::string post_content(std::int64_t user, std::int64_t k) {
  // About 100 characters, as a short blog post body might start.
  return "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt (" +
         std::to_string(user) + "/" + std::to_string(k) + ")";
}

blog_rows make_blog_rows(const sizes& n) {
  blog_rows rows;
  rows.names.reserve(static_cast<std::size_t>(n.users));
  rows.titles.reserve(static_cast<std::size_t>(n.posts()));
  rows.contents.reserve(static_cast<std::size_t>(n.posts()));
  for (std::int64_t u = 1; u <= n.users; ++u) {
    rows.names.push_back(user_name(u));
    for (std::int64_t k = 0; k < n.posts_per_user; ++k) {
      rows.titles.push_back(post_title(u, k));
      rows.contents.push_back(post_content(u, k));
    }
  }
  return rows;
}

std::vector<std::int64_t> random_user_ids(std::int64_t n, std::int64_t users) {
  std::mt19937_64 generator(20240601);
  std::uniform_int_distribution<std::int64_t> pick(1, users);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(n));
  for (auto& id : ids) id = pick(generator);
  return ids;
}

std::string edited_title(std::string_view title) { return std::string(title) + " (edited)"; }

}  // namespace relate_bench
