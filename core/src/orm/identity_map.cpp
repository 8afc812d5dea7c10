// SPDX-License-Identifier: MIT
#include "orm/identity_map.hpp"

#include <functional>
#include <string_view>

namespace relate::orm::detail {

namespace {

std::size_t hash_one(const value& v) noexcept {
  return std::visit(
      [](const auto& x) -> std::size_t {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, null_t>) {
          return 0;
        } else if constexpr (std::is_same_v<X, blob>) {
          return std::hash<std::string_view>{}(
              std::string_view(reinterpret_cast<const char*>(x.data()), x.size()));
        } else if constexpr (std::is_same_v<X, timestamp> || std::is_same_v<X, date>) {
          return std::hash<std::int64_t>{}(static_cast<std::int64_t>(x.time_since_epoch().count()));
        } else if constexpr (std::is_same_v<X, interval>) {
          return std::hash<std::int64_t>{}(x.count());
        } else {
          return std::hash<X>{}(x);
        }
      },
      v.get_storage());
}

}  // namespace

std::size_t value_hash::operator()(const value& v) const noexcept { return hash_one(v); }

std::size_t value_vector_hash::operator()(const std::vector<value>& key) const noexcept {
  std::size_t h = key.size();
  for (const auto& v : key) h ^= hash_one(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

}  // namespace relate::orm::detail
