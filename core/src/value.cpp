// SPDX-License-Identifier: MIT
// Text forms of values: for logs (to_log_string) and the ISO-8601 timestamp
// and date text that SQLite stores and PostgreSQL returns.
#include <relate/value.hpp>

#include <array>
#include <charconv>
#include <cstdio>

namespace relate {

std::string_view to_string(value_kind kind) noexcept {
  switch (kind) {
    case value_kind::null:
      return "null";
    case value_kind::boolean:
      return "boolean";
    case value_kind::integer:
      return "integer";
    case value_kind::real:
      return "real";
    case value_kind::text:
      return "text";
    case value_kind::blob:
      return "blob";
    case value_kind::timestamp:
      return "timestamp";
    case value_kind::date:
      return "date";
    case value_kind::interval:
      return "interval";
  }
  return "unknown";
}

namespace {

// Logs stay readable however large a parameter is: long text and blobs are cut.
constexpr std::size_t log_text_limit = 200;
constexpr std::size_t log_blob_limit = 16;

std::string quote_for_log(const std::string& s) {
  std::string out = "'";
  const auto shown = std::string_view(s).substr(0, log_text_limit);
  for (char c : shown) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  if (s.size() > log_text_limit) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string blob_for_log(const blob& b) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "x'";
  for (std::size_t i = 0; i < b.size() && i < log_blob_limit; ++i) {
    const auto byte = std::to_integer<unsigned>(b[i]);
    out += hex[byte >> 4];
    out += hex[byte & 0xf];
  }
  out += '\'';
  if (b.size() > log_blob_limit) out += "... (" + std::to_string(b.size()) + " bytes)";
  return out;
}

std::string format_double(double d) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return ec == std::errc{} ? std::string(buf.data(), end) : std::string("?");
}

}  // namespace

std::string to_log_string(const value& v) {
  struct visitor {
    std::string operator()(null_t) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_double(d); }
    std::string operator()(const std::string& s) const { return quote_for_log(s); }
    std::string operator()(const blob& b) const { return blob_for_log(b); }
    std::string operator()(timestamp t) const { return "'" + format_timestamp(t) + "'"; }
    std::string operator()(date d) const { return "'" + format_date(d) + "'"; }
    std::string operator()(interval i) const { return "interval " + std::to_string(i.count()) + " us"; }
  };
  return std::visit(visitor{}, v.get_storage());
}

std::string format_date(date d) {
  const std::chrono::year_month_day ymd{d};
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf.data();
}

std::string format_time_of_day(std::chrono::microseconds since_midnight) {
  using namespace std::chrono;
  const hh_mm_ss<microseconds> tod{since_midnight};
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d:%02d.%06lld", static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<long long>(tod.subseconds().count()));
  return buf.data();
}

std::string format_timestamp(timestamp t) {
  using namespace std::chrono;
  // floor, not duration_cast: a time before 1970 belongs to the earlier day.
  const auto day = floor<days>(t);
  return format_date(date{day}) + " " + format_time_of_day(t - day);
}

namespace {

// A tiny cursor over the text: each read consumes what it matched or fails.
class scanner {
 public:
  explicit scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  // Exactly `width` digits.
  bool digits(int width, int& out) {
    if (text_.size() - pos_ < static_cast<std::size_t>(width)) return false;
    out = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos_ += width;
    return true;
  }
  // One to nine fraction digits, scaled to microseconds (extra digits truncated).
  bool fraction(std::int64_t& micros) {
    micros = 0;
    int count = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (count < 6) micros = micros * 10 + (text_[pos_] - '0');
      ++count;
      ++pos_;
    }
    if (count == 0 || count > 9) return false;
    for (int i = count; i < 6; ++i) micros *= 10;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<date> scan_date(scanner& s) {
  int y = 0, m = 0, d = 0;
  if (!s.digits(4, y) || !s.eat('-') || !s.digits(2, m) || !s.eat('-') || !s.digits(2, d))
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return date{ymd};
}

// "Z", "+HH", "+HHMM", "+HH:MM" or "-..." as an offset from UTC.
std::optional<std::chrono::minutes> scan_offset(scanner& s) {
  if (s.eat('Z') || s.eat('z')) return std::chrono::minutes{0};
  int sign = 0;
  if (s.eat('+'))
    sign = 1;
  else if (s.eat('-'))
    sign = -1;
  else
    return std::nullopt;
  int hh = 0, mm = 0;
  if (!s.digits(2, hh)) return std::nullopt;
  if (!s.done()) {
    s.eat(':');
    if (!s.digits(2, mm)) return std::nullopt;
  }
  if (hh > 23 || mm > 59) return std::nullopt;
  return std::chrono::minutes{sign * (hh * 60 + mm)};
}

}  // namespace

std::optional<date> parse_date(std::string_view text) {
  scanner s(text);
  auto d = scan_date(s);
  if (!d || !s.done()) return std::nullopt;
  return d;
}

std::optional<std::chrono::microseconds> parse_time_of_day(std::string_view text) {
  using namespace std::chrono;
  scanner s(text);
  int hh = 0, mm = 0, ss = 0;
  std::int64_t micros = 0;
  if (!s.digits(2, hh) || !s.eat(':') || !s.digits(2, mm)) return std::nullopt;
  if (s.eat(':') && !s.digits(2, ss)) return std::nullopt;
  if (s.eat('.') && !s.fraction(micros)) return std::nullopt;
  if (!s.done()) return std::nullopt;
  // 24:00:00 is PostgreSQL's end of the day.
  if (hh > 24 || mm > 59 || ss > 59 || (hh == 24 && (mm || ss || micros))) return std::nullopt;
  return hours{hh} + minutes{mm} + seconds{ss} + microseconds{micros};
}

std::optional<timestamp> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  scanner s(text);
  const auto day = scan_date(s);
  if (!day) return std::nullopt;
  if (s.done()) return timestamp{*day};  // a bare date is its midnight
  if (!s.eat(' ') && !s.eat('T') && !s.eat('t')) return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  std::int64_t micros = 0;
  if (!s.digits(2, hh) || !s.eat(':') || !s.digits(2, mm)) return std::nullopt;
  if (s.eat(':') && !s.digits(2, ss)) return std::nullopt;
  if (s.eat('.') && !s.fraction(micros)) return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;  // 60: a leap second as some servers print it
  minutes offset{0};
  if (!s.done()) {
    const auto parsed = scan_offset(s);
    if (!parsed || !s.done()) return std::nullopt;
    offset = *parsed;
  }
  // The text is local time at `offset`; UTC is that time minus the offset.
  return timestamp{*day} + hours{hh} + minutes{mm} + seconds{ss} + microseconds{micros} - offset;
}

}  // namespace relate
