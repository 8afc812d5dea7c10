// SPDX-License-Identifier: MIT
// relate::json: the document's accessors, its RFC 8259 parser and its
// compact writer.
#include <relate/types/json.hpp>

#include <relate/error.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace relate {

namespace {

// Deeper documents are refused: the parser recurses once per level, and a
// hostile document must not exhaust the stack (PostgreSQL stops at the same
// order of depth).
constexpr int max_depth = 1000;

class parser {
 public:
  explicit parser(std::string_view text) : text_(text) {}

  std::optional<json> document() {
    auto v = value(0);
    if (!v) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected text after the document");
    return v;
  }
  const std::string& error() const { return error_; }
  std::size_t position() const { return pos_; }

 private:
  std::nullopt_t fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return std::nullopt;
  }
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<json> value(int depth) {
    if (depth > max_depth) return fail("nested deeper than " + std::to_string(max_depth) + " levels");
    skip_space();
    if (pos_ == text_.size()) return fail("the document ends where a value was expected");
    const char c = text_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto s = string();
      if (!s) return std::nullopt;
      return json(std::move(*s));
    }
    if (literal("true")) return json(true);
    if (literal("false")) return json(false);
    if (literal("null")) return json(nullptr);
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    return fail("unexpected character");
  }

  std::optional<json> object(int depth) {
    ++pos_;  // {
    json::object_type members;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return json(std::move(members));
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("an object key must be a string");
      auto key = string();
      if (!key) return std::nullopt;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("':' expected after an object key");
      ++pos_;
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      members.emplace_back(std::move(*key), std::move(*v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return json(std::move(members));  // the constructor keeps the last of duplicate keys
      }
      return fail("',' or '}' expected in an object");
    }
  }

  std::optional<json> array(int depth) {
    ++pos_;  // [
    json::array_type items;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return json(std::move(items));
    }
    while (true) {
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return json(std::move(items));
      }
      return fail("',' or ']' expected in an array");
    }
  }

  std::optional<json> number() {
    const std::size_t start = pos_;
    bool integral = true;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("a number needs digits");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      integral = false;
      if (!digits()) return fail("digits expected after the decimal point");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      integral = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("digits expected in the exponent");
    }
    const auto token = text_.substr(start, pos_ - start);
    if (integral) {
      std::int64_t i = 0;
      const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), i);
      if (ec == std::errc{} && end == token.data() + token.size()) return json(i);
      // Too large for 64 bits: a real, as JavaScript and PostgreSQL's numeric compare it.
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), d);
    if (ec != std::errc{} || !std::isfinite(d)) return fail("a number out of range");
    return json(d);
  }
  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  std::optional<unsigned> hex4() {
    if (text_.size() - pos_ < 4) return std::nullopt;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        return std::nullopt;
    }
    return v;
  }
  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  // The length of the UTF-8 sequence starting at pos_, or 0 if it is not one
  // (overlong forms, surrogates and values past U+10FFFF included).
  std::size_t utf8_sequence() const {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(text_[pos_ + i]); };
    const std::size_t left = text_.size() - pos_;
    const unsigned c = b(0);
    auto cont = [&](std::size_t i) { return i < left && (b(i) & 0xc0) == 0x80; };
    if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
      if (!cont(1) || !cont(2)) return 0;
      if (c == 0xe0 && b(1) < 0xa0) return 0;   // overlong
      if (c == 0xed && b(1) >= 0xa0) return 0;  // a surrogate
      return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (c == 0xf0 && b(1) < 0x90) return 0;
      if (c == 0xf4 && b(1) >= 0x90) return 0;
      return 4;
    }
    return 0;
  }

  std::optional<std::string> string() {
    ++pos_;  // "
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return fail("a string is not closed");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("a control character in a string must be escaped");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) return fail("a string is not closed");
        const char e = text_[pos_++];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            auto cp = hex4();
            if (!cp) return fail("\\u needs four hex digits");
            if (*cp >= 0xd800 && *cp <= 0xdbff) {
              // A high surrogate: its low half must follow.
              if (!literal("\\u")) return fail("a lone surrogate in \\u escapes");
              auto low = hex4();
              if (!low || *low < 0xdc00 || *low > 0xdfff) return fail("a lone surrogate in \\u escapes");
              *cp = 0x10000 + ((*cp - 0xd800) << 10) + (*low - 0xdc00);
            } else if (*cp >= 0xdc00 && *cp <= 0xdfff) {
              return fail("a lone surrogate in \\u escapes");
            }
            if (*cp == 0) return fail("\\u0000: a NUL character, which neither database stores in text");
            append_utf8(out, *cp);
            break;
          }
          default:
            return fail("an unknown escape in a string");
        }
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) {
        out += c;
        ++pos_;
        continue;
      }
      const auto n = utf8_sequence();
      if (n == 0) return fail("a string is not valid UTF-8");
      out.append(text_.substr(pos_, n));
      pos_ += n;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

void write_string(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void write(std::string& out, const json& j) {
  switch (j.type()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::boolean:
      out += j.as_bool() ? "true" : "false";
      return;
    case json::kind::integer:
      out += std::to_string(j.as_int64());
      return;
    case json::kind::real: {
      const double d = j.as_double();
      if (!std::isfinite(d)) throw usage_error("relate::json: NaN and infinity have no JSON spelling");
      char buffer[32];
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
      std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
      out += text;
      // A real stays a real when read back: 1.0, not 1.
      if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
      return;
    }
    case json::kind::string:
      write_string(out, j.as_string());
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : j.as_array()) {
        if (!first) out += ',';
        first = false;
        write(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : j.as_object()) {
        if (!first) out += ',';
        first = false;
        write_string(out, key);
        out += ':';
        write(out, item);
      }
      out += '}';
      return;
    }
  }
}

const char* kind_name(json::kind k) {
  switch (k) {
    case json::kind::null:
      return "null";
    case json::kind::boolean:
      return "a boolean";
    case json::kind::integer:
      return "an integer";
    case json::kind::real:
      return "a real";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "?";
}

[[noreturn]] void wrong_kind(json::kind is, const char* wanted) {
  throw usage_error(std::string("relate::json: the value is ") + kind_name(is) + ", not " + wanted);
}

}  // namespace

json::json(object_type o) {
  // Keys are unique: the last of duplicates wins, in the place of the first.
  object_type unique;
  unique.reserve(o.size());
  // A member, not a structured binding: clang 14 cannot capture a binding.
  for (auto& member : o) {
    const auto& key = member.first;
    auto it = std::find_if(unique.begin(), unique.end(), [&key](const auto& m) { return m.first == key; });
    if (it != unique.end())
      it->second = std::move(member.second);
    else
      unique.push_back(std::move(member));
  }
  v_ = std::move(unique);
}

json json::parse(std::string_view text) {
  parser p(text);
  auto doc = p.document();
  if (!doc)
    throw usage_error("relate::json::parse: " + p.error() + " (at byte " + std::to_string(p.position()) +
                      ")");
  return std::move(*doc);
}

std::optional<json> json::try_parse(std::string_view text) noexcept {
  try {
    parser p(text);
    return p.document();
  } catch (...) {
    return std::nullopt;  // only bad_alloc can get here
  }
}

std::string json::dump() const {
  std::string out;
  write(out, *this);
  return out;
}

bool json::as_bool() const {
  if (const auto* b = std::get_if<bool>(&v_)) return *b;
  wrong_kind(type(), "a boolean");
}
std::int64_t json::as_int64() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  wrong_kind(type(), "an integer");
}
double json::as_double() const {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  wrong_kind(type(), "a number");
}
const std::string& json::as_string() const {
  if (const auto* s = std::get_if<std::string>(&v_)) return *s;
  wrong_kind(type(), "a string");
}
const json::array_type& json::as_array() const {
  if (const auto* a = std::get_if<array_type>(&v_)) return *a;
  wrong_kind(type(), "an array");
}
json::array_type& json::as_array() {
  if (auto* a = std::get_if<array_type>(&v_)) return *a;
  wrong_kind(type(), "an array");
}
const json::object_type& json::as_object() const {
  if (const auto* o = std::get_if<object_type>(&v_)) return *o;
  wrong_kind(type(), "an object");
}
json::object_type& json::as_object() {
  if (auto* o = std::get_if<object_type>(&v_)) return *o;
  wrong_kind(type(), "an object");
}

const json* json::find(std::string_view key) const noexcept {
  const auto* o = std::get_if<object_type>(&v_);
  if (!o) return nullptr;
  for (const auto& [k, item] : *o)
    if (k == key) return &item;
  return nullptr;
}

const json& json::at(std::string_view key) const {
  if (const auto* item = find(key)) return *item;
  if (!is_object()) wrong_kind(type(), "an object");
  throw usage_error("relate::json::at: the object has no member \"" + std::string(key) + "\"");
}

const json& json::at(std::size_t index) const {
  const auto& a = as_array();
  if (index >= a.size())
    throw usage_error("relate::json::at: index " + std::to_string(index) + " of an array of " +
                      std::to_string(a.size()));
  return a[index];
}

json& json::operator[](std::string_view key) {
  if (is_null()) v_ = object_type{};
  auto& o = as_object();
  for (auto& [k, item] : o)
    if (k == key) return item;
  return o.emplace_back(std::string(key), json()).second;
}

void json::push_back(json item) {
  if (is_null()) v_ = array_type{};
  as_array().push_back(std::move(item));
}

std::size_t json::size() const noexcept {
  if (const auto* a = std::get_if<array_type>(&v_)) return a->size();
  if (const auto* o = std::get_if<object_type>(&v_)) return o->size();
  return 0;
}

bool operator==(const json& a, const json& b) noexcept {
  if (a.is_number() && b.is_number()) {
    if (a.is_integer() && b.is_integer()) return a.as_int64() == b.as_int64();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::kind::null:
      return true;
    case json::kind::boolean:
      return a.as_bool() == b.as_bool();
    case json::kind::string:
      return a.as_string() == b.as_string();
    case json::kind::array:
      return a.as_array() == b.as_array();
    case json::kind::object: {
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const auto& [key, item] : x) {
        const json* other = b.find(key);
        if (!other || !(*other == item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace relate
