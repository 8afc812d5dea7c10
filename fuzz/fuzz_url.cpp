// SPDX-License-Identifier: MIT
// Fuzz target: relate::url::parse.  Any input either parses or throws
// relate::url_error; a parsed URL prints (str()) as a URL that parses back to
// the same parts with the password masked; and an error message never holds
// the password of a URL that was otherwise valid.
#include <relate/error.hpp>
#include <relate/url.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what, std::string_view input, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz_url: %s\n  input: %.*s\n  detail: %.*s\n", what, static_cast<int>(input.size()),
               input.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

relate::url parse_or_fail(std::string_view text, std::string_view input, const char* what) {
  try {
    return relate::url::parse(text);
  } catch (const relate::url_error& e) {
    fail(what, input, std::string(text) + " -> " + e.what());
  }
}

// The password as written in the text (between the authority's first ':' and
// the '@' after it), when the parser took one.
std::string_view raw_password(std::string_view text) {
  const auto start = text.find("://") + 3;
  const auto colon = text.find(':', start);
  const auto at = text.find('@', colon);
  return text.substr(colon + 1, at - colon - 1);
}

void check(std::string_view text) {
  relate::url u;
  try {
    u = relate::url::parse(text);
  } catch (const relate::url_error&) {
    return;  // refused, as it should be for most inputs
  }
  // Any other exception escapes and libFuzzer reports it.

  const std::string printed = u.str();
  const relate::url again = parse_or_fail(printed, text, "str() of a parsed URL does not parse");
  if (again.scheme() != u.scheme()) fail("scheme changed by str()", text, printed);
  if (again.username() != u.username()) fail("user name changed by str()", text, printed);
  if (again.host() != u.host()) fail("host changed by str()", text, printed);
  if (again.port() != u.port()) fail("port changed by str()", text, printed);
  if (again.database() != u.database()) fail("database changed by str()", text, printed);
  if (again.query() != u.query()) fail("query changed by str()", text, printed);
  if (u.password().has_value() != (again.password() == std::optional<std::string>("***")))
    fail("password not masked as *** by str()", text, printed);
  for (char c : printed)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      fail("str() holds a space or control character", text, printed);

  // The same URL with a recognisable password, made invalid: the error
  // message must not quote the password.
  if (u.password()) {
    constexpr std::string_view token = "Pw7kTokenQz";
    const std::string_view secret = raw_password(text);
    const std::string before(text.substr(0, secret.data() - text.data()));
    const std::string after(text.substr(secret.data() + secret.size() - text.data()));
    if ((before + after).find(token) != std::string::npos) return;  // the input spells the token itself
    const std::string broken = before + std::string(token) + after + "#";
    try {
      (void)relate::url::parse(broken);
      fail("a URL with '#' parsed", text);
    } catch (const relate::url_error& e) {
      if (std::string_view(e.what()).find(token) != std::string_view::npos)
        fail("an error message holds the password", broken, e.what());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
