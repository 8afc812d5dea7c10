// SPDX-License-Identifier: MIT
// Reading migration scripts (the format is described in script.hpp): a
// header of "key: value" lines, then the upgrade and downgrade sections, each
// a list of operations, one per line, tokenized into words, names, text,
// numbers and punctuation.
#include <relate/migrations/script.hpp>

#include <relate/error.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace relate::migrations {
namespace {

enum class token_kind : std::uint8_t { word, name, text, number, punct, newline, end };

struct token {
  token_kind kind;
  std::string text;
  std::size_t line;
};

class parser {
 public:
  parser(std::string_view text, std::string source, std::size_t first_line)
      : source_(std::move(source)), tokens_(tokenize(text, first_line)) {}

  std::vector<operation> operations() {
    std::vector<operation> out;
    while (true) {
      skip_newlines();
      if (peek().kind == token_kind::end) return out;
      out.push_back(operation_line());
      if (peek().kind != token_kind::end) expect_newline();
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw usage_error(source_ + ":" + std::to_string(peek().line) + ": " + what + " (at \"" + peek().text +
                      "\")");
  }

  std::vector<token> tokenize(std::string_view s, std::size_t line) {
    std::vector<token> out;
    std::size_t i = 0;
    auto quoted = [&](char q) {
      std::string v;
      ++i;
      while (true) {
        if (i >= s.size()) throw usage_error(source_ + ":" + std::to_string(line) + ": unterminated quote");
        if (s[i] == q) {
          if (i + 1 < s.size() && s[i + 1] == q) {
            v += q;
            i += 2;
            continue;
          }
          ++i;
          return v;
        }
        if (s[i] == '\n') ++line;
        v += s[i++];
      }
    };
    while (i < s.size()) {
      const char c = s[i];
      if (c == '\n') {
        out.push_back({token_kind::newline, "\\n", line++});
        ++i;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '#') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else if (c == '"') {
        const auto l = line;
        out.push_back({token_kind::name, quoted('"'), l});
      } else if (c == '\'') {
        const auto l = line;
        out.push_back({token_kind::text, quoted('\''), l});
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
        std::size_t j = i + 1;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
        out.push_back({token_kind::number, std::string(s.substr(i, j - i)), line});
        i = j;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i + 1;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        out.push_back({token_kind::word, std::string(s.substr(i, j - i)), line});
        i = j;
      } else if (c == '(' || c == ')' || c == ',' || c == '{' || c == '}') {
        out.push_back({token_kind::punct, std::string(1, c), line});
        ++i;
      } else {
        throw usage_error(source_ + ":" + std::to_string(line) + ": unexpected character '" +
                          std::string(1, c) + "'");
      }
    }
    out.push_back({token_kind::end, "end of section", line});
    return out;
  }

  const token& peek() const { return tokens_[pos_]; }
  token next() {
    token t = tokens_[pos_];
    if (t.kind != token_kind::end) ++pos_;
    return t;
  }
  bool at_word(std::string_view w) const { return peek().kind == token_kind::word && peek().text == w; }
  bool accept_word(std::string_view w) {
    if (!at_word(w)) return false;
    ++pos_;
    return true;
  }
  bool at_punct(char c) const { return peek().kind == token_kind::punct && peek().text[0] == c; }
  void expect_punct(char c) {
    if (!at_punct(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  void expect_word(std::string_view w) {
    if (!accept_word(w)) fail("expected " + std::string(w));
  }
  void expect_newline() {
    if (peek().kind != token_kind::newline) fail("expected the end of the line");
    ++pos_;
  }
  void skip_newlines() {
    while (peek().kind == token_kind::newline) ++pos_;
  }
  bool at_name() const { return peek().kind == token_kind::word || peek().kind == token_kind::name; }
  std::string name(std::string_view what) {
    if (!at_name()) fail("expected " + std::string(what));
    return next().text;
  }
  std::string text(std::string_view what) {
    if (peek().kind != token_kind::text) fail("expected " + std::string(what) + " in 'single quotes'");
    return next().text;
  }
  std::vector<std::string> name_list() {
    expect_punct('(');
    std::vector<std::string> out{name("a column name")};
    while (at_punct(',')) {
      ++pos_;
      out.push_back(name("a column name"));
    }
    expect_punct(')');
    return out;
  }
  std::uint32_t number() {
    if (peek().kind != token_kind::number) fail("expected a number");
    return static_cast<std::uint32_t>(std::stoul(next().text));
  }

  sql::sql_type type() {
    static const std::vector<std::pair<std::string_view, sql::type_kind>> kinds = {
        {"boolean", sql::type_kind::boolean},
        {"small_integer", sql::type_kind::small_integer},
        {"integer", sql::type_kind::integer},
        {"big_integer", sql::type_kind::big_integer},
        {"real", sql::type_kind::real},
        {"numeric", sql::type_kind::numeric},
        {"text", sql::type_kind::text},
        {"blob", sql::type_kind::blob},
        {"timestamp", sql::type_kind::timestamp},
        {"timestamp_tz", sql::type_kind::timestamp_tz},
        {"date", sql::type_kind::date},
        {"time", sql::type_kind::time},
        {"interval", sql::type_kind::interval},
        {"uuid", sql::type_kind::uuid},
        {"json", sql::type_kind::json}};
    if (peek().kind != token_kind::word) fail("expected a type");
    const auto found =
        std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == peek().text; });
    if (found == kinds.end()) fail("unknown type");
    ++pos_;
    sql::sql_type t;
    t.kind = found->second;
    if (at_punct('(')) {
      ++pos_;
      const auto first = number();
      if (t.kind == sql::type_kind::text) {
        t.length = first;
      } else if (t.kind == sql::type_kind::numeric) {
        t.precision = static_cast<std::uint16_t>(first);
        if (at_punct(',')) {
          ++pos_;
          t.scale = static_cast<std::uint16_t>(number());
        }
      } else {
        fail("this type takes no arguments");
      }
      expect_punct(')');
    }
    return t;
  }

  relate::value literal() {
    const token t = next();
    if (t.kind == token_kind::text) return relate::value(t.text);
    if (t.kind == token_kind::word && t.text == "true") return relate::value(true);
    if (t.kind == token_kind::word && t.text == "false") return relate::value(false);
    if (t.kind == token_kind::word && t.text == "null") return relate::value();
    if (t.kind == token_kind::number) {
      if (t.text.find_first_of(".eE") != std::string::npos) return relate::value(std::stod(t.text));
      return relate::value(static_cast<std::int64_t>(std::stoll(t.text)));
    }
    --pos_;
    fail("expected a literal ('text', a number, true, false or null)");
  }

  sql::referential_action action() {
    static const std::vector<std::pair<std::string_view, sql::referential_action>> actions = {
        {"no_action", sql::referential_action::no_action},
        {"restrict", sql::referential_action::restrict},
        {"cascade", sql::referential_action::cascade},
        {"set_null", sql::referential_action::set_null},
        {"set_default", sql::referential_action::set_default}};
    for (const auto& [word, a] : actions)
      if (accept_word(word)) return a;
    fail("expected no_action, restrict, cascade, set_null or set_default");
  }

  // [NAME] before a column list.
  std::string optional_name() { return at_name() ? next().text : std::string(); }

  sql::column_def column_def() {
    sql::column_def c;
    c.name = name("a column name");
    c.type = type();
    while (peek().kind == token_kind::word) {
      if (accept_word("not_null")) {
        c.nullable = false;
      } else if (accept_word("nullable")) {
        c.nullable = true;
      } else if (accept_word("autoincrement")) {
        c.autoincrement = true;
      } else if (accept_word("unique")) {
        c.unique = true;
      } else if (accept_word("primary_key")) {
        c.primary_key = true;
      } else if (accept_word("default")) {
        c.server_default = literal();
      } else if (accept_word("default_sql")) {
        c.server_default_sql = text("an SQL expression");
      } else {
        fail("unknown column option");
      }
    }
    return c;
  }

  sql::foreign_key_def foreign_key(bool actions) {
    sql::foreign_key_def fk;
    fk.name = optional_name();
    fk.columns = name_list();
    expect_word("references");
    fk.ref_table = name("the referenced table");
    fk.ref_columns = name_list();
    while (actions) {
      if (accept_word("on_delete")) {
        fk.on_delete = action();
      } else if (accept_word("on_update")) {
        fk.on_update = action();
      } else {
        break;
      }
    }
    return fk;
  }

  sql::table_def table_block(std::string table_name) {
    sql::table_def t;
    t.name = std::move(table_name);
    expect_punct('{');
    while (true) {
      skip_newlines();
      if (at_punct('}')) {
        ++pos_;
        return t;
      }
      if (accept_word("column")) {
        t.columns.push_back(column_def());
      } else if (accept_word("primary_key")) {
        t.primary_key = name_list();
      } else if (accept_word("unique")) {
        sql::unique_def u;
        u.name = optional_name();
        u.columns = name_list();
        t.uniques.push_back(std::move(u));
      } else if (accept_word("foreign_key")) {
        t.foreign_keys.push_back(foreign_key(true));
      } else if (accept_word("index")) {
        sql::index_def i;
        i.name = name("an index name");
        i.columns = name_list();
        i.unique = accept_word("unique");
        t.indexes.push_back(std::move(i));
      } else if (accept_word("check")) {
        sql::check_def c;
        c.name = optional_name();
        c.expression = text("the check's SQL");
        t.checks.push_back(std::move(c));
      } else {
        fail("expected column, primary_key, unique, foreign_key, index or check");
      }
      if (!at_punct('}')) expect_newline();
    }
  }

  operation operation_line() {
    if (peek().kind != token_kind::word) fail("expected an operation");
    const std::string verb = next().text;
    if (verb == "create_table") {
      auto table_name = name("a table name");
      return op::create_table{table_block(std::move(table_name))};
    }
    if (verb == "drop_table") return op::drop_table{name("a table name")};
    if (verb == "rename_table") {
      op::rename_table o{name("a table name"), {}};
      expect_word("to");
      o.new_name = name("the new name");
      return o;
    }
    if (verb == "add_column") {
      auto t = name("a table name");
      return op::add_column{std::move(t), column_def()};
    }
    if (verb == "drop_column") {
      auto t = name("a table name");
      return op::drop_column{std::move(t), name("a column name")};
    }
    if (verb == "alter_column") {
      op::alter_column o;
      o.table = name("a table name");
      o.column = name("a column name");
      while (peek().kind == token_kind::word) {
        if (accept_word("type")) {
          o.type = type();
        } else if (accept_word("nullable")) {
          o.nullable = true;
        } else if (accept_word("not_null")) {
          o.nullable = false;
        } else if (accept_word("default")) {
          o.server_default = op::column_default{literal(), std::nullopt};
        } else if (accept_word("default_sql")) {
          o.server_default = op::column_default{std::nullopt, text("an SQL expression")};
        } else if (accept_word("no_default")) {
          o.server_default = op::column_default{};
        } else if (accept_word("rename_to")) {
          o.new_name = name("the new name");
        } else {
          fail("unknown alter_column option");
        }
      }
      return o;
    }
    if (verb == "create_index") {
      op::create_index o;
      o.table = name("a table name");
      o.index.name = name("an index name");
      o.index.columns = name_list();
      o.index.unique = accept_word("unique");
      return o;
    }
    if (verb == "drop_index") {
      auto t = name("a table name");
      return op::drop_index{std::move(t), name("an index name")};
    }
    if (verb == "add_unique" || verb == "drop_unique") {
      auto t = name("a table name");
      sql::unique_def u;
      u.name = optional_name();
      u.columns = name_list();
      if (verb == "add_unique") return op::add_unique{std::move(t), std::move(u)};
      return op::drop_unique{std::move(t), std::move(u)};
    }
    if (verb == "add_foreign_key") {
      auto t = name("a table name");
      return op::add_foreign_key{std::move(t), foreign_key(true)};
    }
    if (verb == "drop_foreign_key") {
      auto t = name("a table name");
      return op::drop_foreign_key{std::move(t), foreign_key(true)};
    }
    if (verb == "add_check") {
      op::add_check o;
      o.table = name("a table name");
      o.check.name = name("a check name");
      o.check.expression = text("the check's SQL");
      return o;
    }
    if (verb == "drop_check") {
      auto t = name("a table name");
      return op::drop_check{std::move(t), name("a check name")};
    }
    if (verb == "sql") {
      op::execute_sql o;
      if (peek().kind == token_kind::word) o.only_on = next().text;
      o.sql = text("the SQL");
      return o;
    }
    if (verb == "call") return op::call{name("a step name")};
    --pos_;
    fail("unknown operation");
  }

  std::string source_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

migration parse_script(std::string_view text, const std::string& source) {
  migration m;
  m.source = source;
  // The header, line by line, up to "upgrade:".
  std::size_t pos = 0;
  std::size_t line = 1;
  std::size_t upgrade_at = std::string_view::npos, upgrade_line = 0;
  std::size_t downgrade_at = std::string_view::npos, downgrade_line = 0;
  bool seen_id = false;
  while (pos < text.size()) {
    const auto eol = std::min(text.find('\n', pos), text.size());
    const auto l = trim(text.substr(pos, eol - pos));
    const auto next = eol + 1;
    if (l == "upgrade:") {
      upgrade_at = next;
      upgrade_line = line + 1;
    } else if (l == "downgrade:") {
      downgrade_at = next;
      downgrade_line = line + 1;
      break;
    } else if (upgrade_at == std::string_view::npos && !l.empty() && l[0] != '#') {
      const auto colon = l.find(':');
      if (colon == std::string::npos)
        throw usage_error(source + ":" + std::to_string(line) + ": expected \"key: value\" or upgrade:");
      const auto key = trim(std::string_view(l).substr(0, colon));
      const auto value = trim(std::string_view(l).substr(colon + 1));
      if (key == "id") {
        m.id = value;
        seen_id = true;
      } else if (key == "parent") {
        m.parent = value == "none" ? std::string() : value;
      } else if (key == "message") {
        m.message = value;
      } else {
        throw usage_error(source + ":" + std::to_string(line) + ": unknown header \"" + key + "\"");
      }
    }
    pos = next;
    ++line;
  }
  if (!seen_id || m.id.empty()) throw usage_error(source + ": the script has no id");
  if (upgrade_at == std::string_view::npos)
    throw usage_error(source + ": the script has no upgrade: section");
  const auto upgrade_end =
      downgrade_at == std::string_view::npos ? text.size() : text.rfind("downgrade:", downgrade_at);
  m.upgrade =
      parser(text.substr(upgrade_at, upgrade_end - std::min(upgrade_at, upgrade_end)), source, upgrade_line)
          .operations();
  if (downgrade_at != std::string_view::npos && downgrade_at < text.size())
    m.downgrade = parser(text.substr(downgrade_at), source, downgrade_line).operations();
  return m;
}

std::vector<migration> load_scripts(const std::filesystem::path& folder) {
  std::vector<migration> out;
  if (!std::filesystem::is_directory(folder))
    throw usage_error("migrations folder \"" + folder.string() + "\" does not exist");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".migration") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    out.push_back(parse_script(s.str(), f.string()));
  }
  return out;
}

}  // namespace relate::migrations
