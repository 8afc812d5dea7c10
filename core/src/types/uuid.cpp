// SPDX-License-Identifier: MIT
#include <relate/types/uuid.hpp>

#include <random>

namespace relate {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

std::optional<uuid> uuid::parse(std::string_view text) noexcept {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  const bool hyphens = text.size() == 36;
  if (!hyphens && text.size() != 32) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t at = 0;
  for (std::size_t b = 0; b < 16; ++b) {
    if (hyphens && (at == 8 || at == 13 || at == 18 || at == 23)) {
      if (text[at] != '-') return std::nullopt;
      ++at;
    }
    const int high = hex_value(text[at]);
    const int low = hex_value(text[at + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[b] = static_cast<std::uint8_t>(high * 16 + low);
    at += 2;
  }
  return uuid(bytes);
}

uuid uuid::random() {
  // Straight from the operating system's source (getrandom on Linux): a
  // UUID that is an identifier in URLs must not be predictable.
  thread_local std::random_device device;
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 16; i += 4) {
    const auto r = device();
    for (std::size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // the RFC's variant
  return uuid(bytes);
}

std::string uuid::hex() const {
  std::string out;
  out.reserve(32);
  for (auto b : bytes_) {
    out += hex_digits[b >> 4];
    out += hex_digits[b & 0xf];
  }
  return out;
}

std::string uuid::str() const {
  const std::string h = hex();
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' +
         h.substr(20);
}

}  // namespace relate
