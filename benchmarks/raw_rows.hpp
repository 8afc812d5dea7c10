// SPDX-License-Identifier: MIT
// What the raw sides decode rows into: plain structs with the same members
// as relate's models, so "as objects" costs the raw side the same string
// copies it costs relate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relate_bench {

struct raw_post {
  std::int64_t id = 0;
  std::string title;
  std::string content;
  std::optional<std::int64_t> user_id;
};

struct raw_user {
  std::int64_t id = 0;
  std::string name;
  std::vector<raw_post> posts;  // W3: the loaded collection
};

/// W3's checksum: user keys, number of posts, title lengths.
inline std::uint64_t w3_checksum(const std::vector<raw_user>& users) {
  std::uint64_t sum = 0;
  for (const auto& u : users) {
    sum += static_cast<std::uint64_t>(u.id) + u.posts.size();
    for (const auto& p : u.posts) sum += p.title.size();
  }
  return sum;
}

}  // namespace relate_bench
