// SPDX-License-Identifier: MIT
// What relate-bench measures: the blog data set, the sizes of each workload
// at a given scale, and the interface every side (relate or raw C API)
// implements.
//
// Every side gets the same bench_context and fills one measurement: it does
// its setup (connect, prepare inputs) untimed, calls start(), does the work
// the workload defines, calls stop(), and records how many SQL statements it
// issued and a checksum of what it read or wrote.  The runner compares the
// checksums of the two sides: equal checksums are the evidence that both did
// the same work.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace relate_bench {

enum class backend { sqlite, postgresql };

std::string_view to_string(backend b);

/// Row counts of the workloads at a scale (scale 1 = the sizes of issue 6).
struct sizes {
  std::int64_t users = 10'000;       // W1 inserts them, the seeded database holds them
  std::int64_t posts_per_user = 10;  // so 100,000 posts at scale 1
  std::int64_t w3_users = 1'000;     // W3 loads these users and their posts
  std::int64_t w4_gets = 10'000;     // W4/W4b lookups
  std::int64_t w5_posts = 10'000;    // W5 updates these posts
  std::int64_t w6_posts = 10'000;    // W6 deletes these posts

  static sizes at_scale(double scale);
  std::int64_t posts() const { return users * posts_per_user; }
};

/// Where a side finds its database.
struct bench_context {
  backend kind = backend::sqlite;
  sizes n;
  /// relate::create_engine URL of the work database (sqlite:////abs/path or
  /// postgresql://...?options=-csearch_path%3D<schema>).
  std::string relate_url;
  /// The same database for the raw side: a file path (SQLite) or a libpq
  /// connection URI (PostgreSQL).
  std::string raw_target;
};

/// Filled by one run of one side.
class measurement {
 public:
  /// Resets the process's peak RSS, then starts the clock.
  void start();
  /// Stops the clock, then reads the peak RSS since start().
  void stop();

  double seconds = 0;
  long peak_rss_kb = 0;
  std::uint64_t statements = 0;
  std::uint64_t checksum = 0;

 private:
  std::chrono::steady_clock::time_point started_;
};

using side_fn = void (*)(const bench_context&, measurement&);

// ---- the blog data set ------------------------------------------------------
// Deterministic, so that every side and every repetition writes and reads the
// same rows.  User i (1-based) has posts (i-1)*posts_per_user+1 ...
// i*posts_per_user in the seeded database.

std::string user_name(std::int64_t user);
std::string post_title(std::int64_t user, std::int64_t k);  // k: 0-based post of that user
std::string post_content(std::int64_t user, std::int64_t k);

/// Every name, title and content of the data set, generated before a side's
/// clock starts (W1 inserts them; the seeding writes them).  titles[j] and
/// contents[j] belong to post j+1, of user j / posts_per_user + 1.
struct blog_rows {
  std::vector<std::string> names;  // names[i]: user i+1
  std::vector<std::string> titles;
  std::vector<std::string> contents;
};
blog_rows make_blog_rows(const sizes& n);

/// The W4 lookups: n user keys drawn uniformly from 1..users with a fixed seed.
std::vector<std::int64_t> random_user_ids(std::int64_t n, std::int64_t users);

/// W5's new title for a post: the old one with a suffix (always a change).
std::string edited_title(std::string_view title);

/// Sum of 1..n (the checksum of n generated keys starting at 1).
constexpr std::uint64_t sum_to(std::int64_t n) {
  return static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(n + 1) / 2;
}

}  // namespace relate_bench
