// SPDX-License-Identifier: MIT
// Parsing and printing connection URLs.  The grammar follows SQLAlchemy's
// make_url: scheme://[user[:password]@][host|[ipv6]][:port][/database][?query],
// with every part percent-decoded.  The password may hold any character but
// '@' unencoded; it never reaches an error message or str().
#include <relate/error.hpp>
#include <relate/url.hpp>

#include "url/percent.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace relate {

namespace {

constexpr std::string_view masked_password = "***";

// The text with everything that could be a password replaced, for error
// messages about URLs that may be too broken to parse.  It masks generously
// (from the first ':' of the authority to the last '@'): quoting too little
// is harmless, quoting a password is not.
std::string mask_for_message(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    // No authority to find: mask from the first ':' to the last '@', if any.
    const auto at = text.rfind('@');
    const auto colon = text.find(':');
    if (at == std::string_view::npos || colon == std::string_view::npos || colon > at)
      return std::string(text);
    return std::string(text.substr(0, colon + 1)) + std::string(masked_password) +
           std::string(text.substr(at));
  }
  const auto start = sep + 3;
  const auto at = text.rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(text);
  const auto colon = text.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(text);
  return std::string(text.substr(0, colon + 1)) + std::string(masked_password) + std::string(text.substr(at));
}

bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme.front()))) return false;
  return std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

class url_parser {
 public:
  explicit url_parser(std::string_view text) : text_(text), safe_(mask_for_message(text)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw url_error("invalid connection URL '" + safe_ + "': " + what);
  }

  std::string decode(std::string_view part, std::string_view what) const {
    auto decoded = detail::percent_decode(part);
    if (!decoded)
      fail(std::string(what) + " has a malformed percent escape (expected '%' and two hex digits)");
    return std::move(*decoded);
  }

  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::string safe_;
};

std::uint16_t parse_port(const url_parser& p, std::string_view digits) {
  if (digits.empty()) p.fail("the port after ':' is empty");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value == 0 || value > 65535)
    p.fail("the port is not a number between 1 and 65535");
  return static_cast<std::uint16_t>(value);
}

// One host[:port] or [ipv6][:port] of the authority.
url::endpoint parse_endpoint(const url_parser& p, std::string_view hostport) {
  url::endpoint e;
  std::string_view port_text;
  bool has_port = false;
  if (!hostport.empty() && hostport.front() == '[') {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) p.fail("the IPv6 host has no closing ']'");
    e.host = p.decode(hostport.substr(1, close - 1), "the host");
    if (e.host.empty()) p.fail("the IPv6 host between '[' and ']' is empty");
    const auto after = hostport.substr(close + 1);
    if (!after.empty() && after.front() != ':') p.fail("expected ':<port>' after the IPv6 host's ']'");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
  } else {
    const auto colon = hostport.find(':');
    if (colon != std::string_view::npos) {
      if (hostport.find(':', colon + 1) != std::string_view::npos)
        p.fail("an IPv6 host must be written in brackets, e.g. postgresql://user@[::1]:5432/db");
      has_port = true;
      port_text = hostport.substr(colon + 1);
      hostport = hostport.substr(0, colon);
    }
    e.host = p.decode(hostport, "the host");
  }
  if (has_port) e.port = parse_port(p, port_text);
  return e;
}

}  // namespace

url url::parse(std::string_view text) {
  const url_parser p(text);
  url u;
  if (text.empty()) p.fail("it is empty");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c == 0x7f)
      p.fail("it contains a space or control character at position " + std::to_string(i) +
             " (percent-encode it)");
  }
  const auto sep = text.find("://");
  if (sep == std::string_view::npos)
    p.fail("expected '<scheme>://...', e.g. sqlite:///file.db or postgresql://user@host/db");
  const auto scheme = text.substr(0, sep);
  if (!valid_scheme(scheme))
    p.fail("the scheme must start with a letter and hold only letters, digits, '+', '-' and '.'");
  u.scheme_.resize(scheme.size());
  std::transform(scheme.begin(), scheme.end(), u.scheme_.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });

  auto rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) p.fail("'#' is not allowed (percent-encode it as %23)");

  // [user[:password]@]: the user name stops at ':', '/', '?' or '@'; the
  // password runs to the next '@' (so it may hold '/' or ':').
  const auto user_end = rest.find_first_of(":/?@");
  if (user_end != std::string_view::npos && rest[user_end] == '@') {
    u.username_ = p.decode(rest.substr(0, user_end), "the user name");
    rest.remove_prefix(user_end + 1);
  } else if (user_end != std::string_view::npos && rest[user_end] == ':') {
    const auto at = rest.find('@', user_end);
    const auto query = rest.find('?');
    if (at != std::string_view::npos && (query == std::string_view::npos || at < query)) {
      u.username_ = p.decode(rest.substr(0, user_end), "the user name");
      u.password_ = p.decode(rest.substr(user_end + 1, at - user_end - 1), "the password");
      rest.remove_prefix(at + 1);
    }
  }

  // host[:port][,host[:port]...], ending at '/' or '?'.  Several hosts are
  // libpq's multi-host form (tried in order; target_session_attrs picks one).
  const auto host_end = std::min(rest.find('/'), rest.find('?'));
  const auto hostlist = rest.substr(0, std::min(host_end, rest.size()));
  rest.remove_prefix(hostlist.size());
  std::string_view pending = hostlist;
  do {
    const auto comma = pending.find(',');
    const auto piece = pending.substr(0, comma);
    pending = comma == std::string_view::npos ? std::string_view() : pending.substr(comma + 1);
    if (piece.empty() && hostlist.find(',') != std::string_view::npos)
      p.fail("a host in the comma-separated host list is empty");
    u.hosts_.push_back(parse_endpoint(p, piece));
    if (comma != std::string_view::npos && pending.empty()) p.fail("the host list ends with ','");
  } while (!pending.empty());

  // [/database][?query]
  const auto query_start = rest.find('?');
  auto path = rest.substr(0, std::min(query_start, rest.size()));
  if (!path.empty()) u.database_ = p.decode(path.substr(1), "the database path");
  if (query_start != std::string_view::npos) {
    auto query = rest.substr(query_start + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const auto item = query.substr(0, amp);
      query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      auto key = p.decode(item.substr(0, eq), "a query parameter name");
      if (key.empty()) p.fail("a query parameter has no name before '='");
      auto val = eq == std::string_view::npos ? std::string()
                                              : p.decode(item.substr(eq + 1), "a query parameter value");
      u.query_.emplace_back(std::move(key), std::move(val));
    }
  }
  return u;
}

const std::string& url::host() const noexcept {
  static const std::string none;
  return hosts_.empty() ? none : hosts_.front().host;
}

std::optional<std::uint16_t> url::port() const noexcept {
  return hosts_.empty() ? std::nullopt : hosts_.front().port;
}

std::string url::dialect() const { return scheme_.substr(0, scheme_.find('+')); }

std::optional<std::string> url::query_value(std::string_view key) const {
  for (const auto& [k, v] : query_)
    if (k == key) return v;
  return std::nullopt;
}

std::string url::str() const {
  std::string out = scheme_ + "://";
  if (username_) {
    out += detail::percent_encode(*username_);
    if (password_) out += ":" + std::string(masked_password);
    out += '@';
  }
  // Bracketed or not, the host is percent-encoded: a decoded host may hold
  // '/', ']', ',' or control characters, which printed raw would make the
  // text another URL, or forge lines in a log.
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    if (i > 0) out += ',';
    const auto& [host, port] = hosts_[i];
    if (host.find(':') != std::string::npos)
      out += "[" + detail::percent_encode(host, ":") + "]";
    else
      out += detail::percent_encode(host);
    if (port) out += ":" + std::to_string(*port);
  }
  if (!database_.empty()) out += "/" + detail::percent_encode(database_, "/:");
  for (std::size_t i = 0; i < query_.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += detail::percent_encode(query_[i].first) + "=" + detail::percent_encode(query_[i].second, "/:,");
  }
  return out;
}

}  // namespace relate
