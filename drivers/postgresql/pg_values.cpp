// SPDX-License-Identifier: MIT
#include "pg_values.hpp"

#include <relate/error.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

namespace relate::postgresql {

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  // Shortest text that reads back as the same double; keeps "-0".
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, ec == std::errc{} ? end : buffer);
}

std::optional<double> parse_double(std::string_view text) noexcept {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return d;
}

std::optional<std::int64_t> parse_int64(std::string_view text) noexcept {
  std::int64_t i = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return i;
}

std::optional<bool> parse_bool(std::string_view text) noexcept {
  if (text == "t" || text == "true" || text == "1") return true;
  if (text == "f" || text == "false" || text == "0") return false;
  return std::nullopt;
}

namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_octal(char c) noexcept { return c >= '0' && c <= '7'; }

}  // namespace

std::optional<blob> decode_bytea(std::string_view text) {
  blob out;
  if (text.starts_with("\\x")) {
    text.remove_prefix(2);
    if (text.size() % 2 != 0) return std::nullopt;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
      const int high = hex_digit(text[i]);
      const int low = hex_digit(text[i + 1]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<std::byte>(high * 16 + low));
    }
    return out;
  }
  // Escape format (bytea_output = 'escape'): "\\" is a backslash, "\ooo" an octal byte.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(static_cast<std::byte>(text[i]));
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back(static_cast<std::byte>('\\'));
      ++i;
    } else if (i + 3 < text.size() && is_octal(text[i + 1]) && is_octal(text[i + 2]) &&
               is_octal(text[i + 3])) {
      out.push_back(
          static_cast<std::byte>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0')));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string format_interval(interval i) { return std::to_string(i.count()) + " microseconds"; }

std::optional<interval> parse_interval(std::string_view text) noexcept {
  // Words ("3 days", "1 year", "-2 mons") and at most one clock part ("-04:05:06.789").
  using namespace std::chrono;
  std::int64_t total = 0;
  bool any = false;
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip_spaces();
  while (i < text.size()) {
    const std::size_t start = i;
    if (text[i] == '-' || text[i] == '+') ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i < text.size() && text[i] == ':') {
      // The clock part: [-]H+:MM[:SS[.ffffff]], hours unbounded.
      const bool negative = text[start] == '-';
      const auto digits_from = start + ((text[start] == '-' || text[start] == '+') ? 1 : 0);
      auto hours_part = parse_int64(text.substr(digits_from, i - digits_from));
      std::size_t end = text.find(' ', i);
      if (end == std::string_view::npos) end = text.size();
      auto rest = parse_time_of_day("00" + std::string(text.substr(i, end - i)));
      if (!hours_part || !rest) return std::nullopt;
      const std::int64_t clock = *hours_part * 3'600'000'000 + rest->count();
      total += negative ? -clock : clock;
      i = end;
    } else {
      auto number = parse_int64(text.substr(start, i - start));
      skip_spaces();
      std::size_t unit_end = i;
      while (unit_end < text.size() && text[unit_end] != ' ') ++unit_end;
      const auto unit = text.substr(i, unit_end - i);
      if (!number) return std::nullopt;
      constexpr std::int64_t day = 86'400'000'000;
      if (unit == "day" || unit == "days") {
        total += *number * day;
      } else if (unit == "mon" || unit == "mons") {
        total += *number * 30 * day;
      } else if (unit == "year" || unit == "years") {
        total += *number * (365 * day + day / 4);
      } else {
        return std::nullopt;
      }
      i = unit_end;
    }
    any = true;
    skip_spaces();
  }
  if (!any) return std::nullopt;
  return interval{total};
}

std::string type_name(Oid type) {
  switch (type) {
    case oid::boolean:
      return "boolean";
    case oid::bytea:
      return "bytea";
    case oid::int8:
      return "bigint";
    case oid::int2:
      return "smallint";
    case oid::int4:
      return "integer";
    case oid::text:
      return "text";
    case oid::oid:
      return "oid";
    case oid::float4:
      return "real";
    case oid::float8:
      return "double precision";
    case oid::date:
      return "date";
    case oid::timestamp:
      return "timestamp";
    case oid::timestamptz:
      return "timestamptz";
    case oid::numeric:
      return "numeric";
    case oid::time:
      return "time";
    case oid::interval:
      return "interval";
    case oid::uuid:
      return "uuid";
    case oid::json:
      return "json";
    case oid::jsonb:
      return "jsonb";
    case 1043:
      return "varchar";
    default:
      return "oid " + std::to_string(type);
  }
}

value_kind kind_of_type(Oid type) noexcept {
  switch (type) {
    case oid::boolean:
      return value_kind::boolean;
    case oid::int2:
    case oid::int4:
    case oid::int8:
    case oid::oid:
      return value_kind::integer;
    case oid::float4:
    case oid::float8:
      return value_kind::real;
    case oid::bytea:
      return value_kind::blob;
    case oid::timestamp:
    case oid::timestamptz:
      return value_kind::timestamp;
    case oid::date:
      return value_kind::date;
    case oid::interval:
      return value_kind::interval;
    default:
      return value_kind::text;  // text, varchar, numeric (exact, as text), json, uuid, ...
  }
}

namespace {

[[noreturn]] void throw_nul_in_text(std::size_t index, std::string_view sql) {
  error_info info;
  info.driver = "postgresql";
  info.sql = std::string(sql);
  info.native_code = "22021";  // character_not_in_repertoire, what the server says of a NUL
  info.native_message = "text parameter $" + std::to_string(index + 1) +
                        " contains a NUL byte, which PostgreSQL text cannot hold (store it as a blob)";
  throw data_error(std::move(info));
}

// PostgreSQL keeps at most 1 GB - 1 byte in one field (MaxAllocSize), and
// the server reads a whole Bind message into one such allocation: a value
// near that size makes it close the connection with no useful message.
constexpr std::size_t max_value_bytes = 0x3fffffff - 4096;

void check_size(std::size_t index, std::size_t bytes, std::string_view sql) {
  if (bytes <= max_value_bytes) return;
  error_info info;
  info.driver = "postgresql";
  info.sql = std::string(sql);
  info.native_code = "54000";  // program_limit_exceeded
  info.native_message = "parameter $" + std::to_string(index + 1) + " holds " + std::to_string(bytes) +
                        " bytes; PostgreSQL takes at most 1 GB in one value (not sent)";
  throw data_error(std::move(info));
}

[[noreturn]] void throw_too_many_parameters(std::size_t count, std::string_view sql) {
  error_info info;
  info.driver = "postgresql";
  info.sql = std::string(sql);
  info.native_code = "54000";
  info.native_message = "the statement has " + std::to_string(count) +
                        " bound parameters; PostgreSQL's protocol takes at most 65535 in one statement "
                        "(for a long IN list, bind one array: = ANY($1)) (not sent)";
  throw programming_error(std::move(info));
}

}  // namespace

wire_params encode_params(std::span<const value> params, std::string_view sql) {
  wire_params wire;
  const std::size_t n = params.size();
  if (n > max_parameters) throw_too_many_parameters(n, sql);
  wire.types.assign(n, oid::unspecified);
  wire.text.resize(n);
  wire.values.assign(n, nullptr);
  wire.lengths.assign(n, 0);
  wire.formats.assign(n, 0);

  for (std::size_t i = 0; i < n; ++i) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, null_t>) {
            // values[i] stays null: SQL NULL, type inferred by the server.
          } else if constexpr (std::is_same_v<T, bool>) {
            wire.types[i] = oid::boolean;
            wire.text[i] = v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            const bool fits_int4 = v >= std::numeric_limits<std::int32_t>::min() &&
                                   v <= std::numeric_limits<std::int32_t>::max();
            wire.types[i] = fits_int4 ? oid::int4 : oid::int8;
            wire.text[i] = std::to_string(v);
          } else if constexpr (std::is_same_v<T, double>) {
            wire.types[i] = oid::float8;
            wire.text[i] = format_double(v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            check_size(i, v.size(), sql);
            if (v.find('\0') != std::string::npos) throw_nul_in_text(i, sql);
            wire.text[i] = v;
          } else if constexpr (std::is_same_v<T, blob>) {
            check_size(i, v.size(), sql);
            wire.types[i] = oid::bytea;
            wire.formats[i] = 1;
          } else if constexpr (std::is_same_v<T, timestamp>) {
            wire.types[i] = oid::timestamp;
            wire.text[i] = format_timestamp(v);
          } else if constexpr (std::is_same_v<T, date>) {
            wire.types[i] = oid::date;
            wire.text[i] = format_date(v);
          } else if constexpr (std::is_same_v<T, interval>) {
            wire.types[i] = oid::interval;
            wire.text[i] = format_interval(v);
          }
        },
        params[i].get_storage());
  }
  // Pointers last: wire.text no longer changes size.
  for (std::size_t i = 0; i < n; ++i) {
    if (params[i].is_null()) continue;
    if (const blob* b = params[i].get_if<blob>()) {
      // A null pointer would mean SQL NULL, so an empty blob points at "".
      wire.values[i] = b->empty() ? "" : reinterpret_cast<const char*>(b->data());
      wire.lengths[i] = static_cast<int>(b->size());
    } else {
      wire.values[i] = wire.text[i].c_str();
      wire.lengths[i] = static_cast<int>(wire.text[i].size());
    }
  }
  return wire;
}

}  // namespace relate::postgresql
