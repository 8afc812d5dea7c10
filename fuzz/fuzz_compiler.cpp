// SPDX-License-Identifier: MIT
// Fuzz target: the SQL compiler with the SQLite dialect.  The input bytes are
// decoded into a statement of relate's expression tree (ast.hpp): SELECTs
// with joins, derived tables, grouping, ordering and limits, compound
// SELECTs, INSERT (rows, from a SELECT, upsert, RETURNING), UPDATE and
// DELETE, over every expression node kind, naming the tables of a small
// schema whose names need quoting, and sometimes names of raw bytes.
//
// The compiler must either refuse the tree with one of relate's errors
// (usage_error, not_supported_error) or give SQL that sqlite3_prepare_v2
// parses as exactly one statement with one placeholder per bound parameter.
// SQLite may still reject the statement for what it means (no such column,
// misuse of an aggregate, wrong number of arguments): the tree is random.  It
// must never reject it as malformed text (a syntax error, an unrecognised
// token, incomplete input), which would be the compiler writing broken SQL.
// The statement-shape cache must give the same SQL and parameters as a fresh
// compiler.
#include "sqlite_dialect.hpp"

#include <relate/error.hpp>
#include <relate/sql/ast.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/expression.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace relate::sql;

// ---- reading the input --------------------------------------------------------------

/// Hands out the input's bytes as choices; once they run out every choice
/// is 0 (the first, simplest option), so every input decodes to a finite tree.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool flag() { return byte() & 1; }
  /// A number in [0, n).
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : byte() % n; }
  std::int64_t int64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return static_cast<std::int64_t>(v);
  }
  /// Up to max raw bytes (any value, NUL included).
  std::string bytes(std::size_t max) {
    std::string out;
    const std::size_t n = pick(max + 1);
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(byte()));
    return out;
  }
  bool empty() const { return pos_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// ---- the schema the trees name ---------------------------------------------------

struct table_info {
  const char* name;
  std::vector<const char*> columns;
  const char* ddl;
};

// Names that need quoting: a quote, a keyword, spaces, a dot, non-ASCII.
const std::vector<table_info>& schema() {
  static const std::vector<table_info> tables = {
      {"t1",
       {"id", "name", "score", "data", "at"},
       "CREATE TABLE \"t1\" (\"id\" INTEGER PRIMARY KEY, \"name\" TEXT UNIQUE, \"score\" FLOAT, \"data\" "
       "BLOB, "
       "\"at\" DATETIME)"},
      {"we\"ird",
       {"a b", "x\"y", "select", "caf\xC3\xA9"},
       "CREATE TABLE \"we\"\"ird\" (\"a b\" INTEGER PRIMARY KEY, \"x\"\"y\" TEXT, \"select\" INTEGER UNIQUE, "
       "\"caf\xC3\xA9\" TEXT)"},
      {"order",
       {"group", "from", "t1.id"},
       "CREATE TABLE \"order\" (\"group\" INTEGER, \"from\" TEXT, \"t1.id\" INTEGER, UNIQUE (\"group\", "
       "\"from\"))"},
  };
  return tables;
}

// Function names are code, not data: the compiler writes them as given.
constexpr const char* function_names[] = {"count",  "sum",    "avg",   "min",          "max",    "lower",
                                          "upper",  "length", "abs",   "coalesce",     "nullif", "ifnull",
                                          "substr", "round",  "trim",  "replace",      "instr",  "typeof",
                                          "hex",    "random", "total", "group_concat", "char",   "printf"};

// Raw SQL a user could write for text(), with :name parameters, quoted text,
// comments and a "\:" that are not parameters.
struct text_template {
  const char* sql;
  std::vector<const char*> params;
};
const std::vector<text_template>& texts() {
  static const std::vector<text_template> t = {
      {":p", {"p"}},
      {"(:p || 'x')", {"p"}},
      {"'a:b''c' = :p", {"p"}},
      {"\"t1\".\"id\" + :p", {"p"}},
      {"/* :c */ :p", {"p"}},
      {"-- :c\n:p", {"p"}},
      {"abs(:a) + :b", {"a", "b"}},
      {"1", {}},
      {":missing", {}},  // no value bound: a usage_error
      {"'x\\:y'", {}},
  };
  return t;
}

// ---- building trees -------------------------------------------------------------

/// A table in scope, for column references: its ref and its column names.
struct scope_item {
  table_ptr table;
  std::vector<std::string> columns;
};
using scope = std::vector<scope_item>;

class builder {
 public:
  explicit builder(reader& in) : in_(in) {}

  node_ptr statement() {
    switch (in_.pick(8)) {
      case 0:
      case 1:
      case 2:
        return select(0);
      case 3:
        return compound(0);
      case 4:
        return insert();
      case 5:
        return update();
      case 6:
        return remove();
      default:
        return select(0);
    }
  }

 private:
  static constexpr int max_depth = 5;

  bool deep(int depth) { return depth >= max_depth || ++nodes_ > 300 || in_.empty(); }

  std::string identifier() {
    // Mostly names of the schema; sometimes raw bytes (quoting must hold,
    // a NUL must be refused).
    if (in_.pick(8) == 0) return in_.bytes(6);
    const auto& t = schema()[in_.pick(schema().size())];
    return t.columns[in_.pick(t.columns.size())];
  }

  table_ptr table(scope& sc) {
    const auto& info = schema()[in_.pick(schema().size())];
    auto t = std::make_shared<table_ref>();
    t->name = in_.pick(16) == 0 ? in_.bytes(5) : info.name;
    if (in_.pick(4) == 0) t->alias = in_.pick(4) == 0 ? in_.bytes(5) : "a" + std::to_string(in_.pick(3));
    if (in_.pick(32) == 0) t->schema = "main";
    sc.push_back({t, {info.columns.begin(), info.columns.end()}});
    return t;
  }

  relate::value value() {
    switch (in_.pick(9)) {
      case 0:
        return relate::value();
      case 1:
        return relate::value(in_.flag());
      case 2:
        return relate::value(in_.int64());
      case 3: {
        double d;
        const std::int64_t bits = in_.int64();
        std::memcpy(&d, &bits, sizeof d);
        return relate::value(d);
      }
      case 4:
        return relate::value(in_.bytes(8));
      case 5: {
        const std::string b = in_.bytes(8);
        relate::blob out;
        for (char c : b) out.push_back(static_cast<std::byte>(c));
        return relate::value(std::move(out));
      }
      case 6:
        return relate::value(
            relate::timestamp(std::chrono::microseconds(in_.int64() % 100'000'000'000'000'000)));
      case 7:
        return relate::value(relate::date(std::chrono::days(in_.int64() % 1'000'000)));
      default:
        return relate::value(static_cast<std::int64_t>(in_.byte()));
    }
  }

  sql_type type() {
    sql_type t;
    t.kind = static_cast<type_kind>(in_.pick(static_cast<std::size_t>(type_kind::date) + 1));
    if (in_.flag()) t.length = in_.byte();
    if (t.kind == type_kind::numeric) {
      t.precision = in_.byte();
      t.scale = in_.byte() % (t.precision + 1);
    }
    return t;
  }

  node_ptr column(const scope& sc) {
    auto c = std::make_shared<column_ref>();
    if (!sc.empty() && in_.pick(4) != 0) {
      const auto& item = sc[in_.pick(sc.size())];
      c->table = in_.pick(4) == 0 ? nullptr : item.table;
      c->name = item.columns[in_.pick(item.columns.size())];
    } else {
      c->name = identifier();
    }
    return c;
  }

  node_ptr expr(int depth, const scope& sc) {
    if (deep(depth)) {
      if (in_.flag()) return column(sc);
      auto b = std::make_shared<bind_param>();
      b->value = value();
      return b;
    }
    ++depth;
    switch (in_.pick(20)) {
      case 0:
      case 1:
        return column(sc);
      case 2: {
        auto b = std::make_shared<bind_param>();
        b->value = value();
        if (in_.flag()) b->type = type();
        return b;
      }
      case 3:
        return std::make_shared<null_literal>();
      case 4: {
        auto u = std::make_shared<unary_op>();
        u->op = static_cast<unary_operator>(in_.pick(6));
        u->operand = (u->op == unary_operator::exists || u->op == unary_operator::not_exists)
                         ? query(depth)
                         : expr(depth, sc);
        return u;
      }
      case 5:
      case 6: {
        auto b = std::make_shared<binary_op>();
        b->op = static_cast<binary_operator>(
            in_.pick(static_cast<std::size_t>(binary_operator::is_not_distinct_from) + 1));
        b->left = expr(depth, sc);
        b->right = expr(depth, sc);
        return b;
      }
      case 7: {
        auto l = std::make_shared<like_op>();
        l->subject = expr(depth, sc);
        l->pattern = expr(depth, sc);
        l->negated = in_.flag();
        l->case_insensitive = in_.flag();
        if (in_.flag()) l->escape = static_cast<char>(in_.byte());
        return l;
      }
      case 8: {
        auto i = std::make_shared<in_list>();
        i->subject = expr(depth, sc);
        for (std::size_t n = in_.pick(4); n > 0; --n) i->items.push_back(expr(depth, sc));
        i->negated = in_.flag();
        return i;
      }
      case 9: {
        auto i = std::make_shared<in_select>();
        i->subject = expr(depth, sc);
        i->query = query(depth);
        i->negated = in_.flag();
        return i;
      }
      case 10: {
        auto b = std::make_shared<between_op>();
        b->subject = expr(depth, sc);
        b->low = expr(depth, sc);
        b->high = expr(depth, sc);
        b->negated = in_.flag();
        return b;
      }
      case 11: {
        auto f = std::make_shared<function_call>();
        f->name = function_names[in_.pick(std::size(function_names))];
        if (in_.pick(4) == 0) {
          f->args.push_back(std::make_shared<star>());  // count(*)
        } else {
          for (std::size_t n = in_.pick(4); n > 0; --n) f->args.push_back(expr(depth, sc));
        }
        f->distinct = in_.pick(4) == 0;
        return f;
      }
      case 12: {
        auto c = std::make_shared<case_expr>();
        for (std::size_t n = in_.pick(3); n > 0 || c->whens.empty(); --n) {
          c->whens.emplace_back(expr(depth, sc), expr(depth, sc));
          if (n == 0) break;
        }
        if (in_.pick(16) == 0) c->whens.clear();  // CASE without WHEN: a usage_error
        if (in_.flag()) c->otherwise = expr(depth, sc);
        return c;
      }
      case 13: {
        auto c = std::make_shared<cast_expr>();
        c->operand = expr(depth, sc);
        c->type = type();
        return c;
      }
      case 14: {
        auto s = std::make_shared<scalar_subquery>();
        s->query = query(depth);
        return s;
      }
      case 15: {
        const auto& t = texts()[in_.pick(texts().size())];
        auto x = std::make_shared<text_clause>();
        x->sql = t.sql;
        for (const char* p : t.params) x->params.emplace_back(p, value());
        return x;
      }
      case 16:
        return chain(sc);
      case 17:
        return nested(depth, sc);
      case 18: {
        // Built raw, so that wrong argument counts reach the dialects too:
        // they must refuse them with an error, not index past args.
        auto k = std::make_shared<known_function_call>();
        k->function = static_cast<known_function>(in_.pick(3));
        k->field = static_cast<datetime_field>(in_.pick(6));
        for (std::size_t n = in_.pick(4); n > 0; --n) k->args.push_back(expr(depth, sc));
        return k;
      }
      case 19: {
        // A JSON path; a step may be any expression here, not only a bound
        // key or index, and there may be none.
        auto j = std::make_shared<json_path>();
        j->operand = expr(depth, sc);
        for (std::size_t n = in_.pick(4); n > 0; --n) j->steps.push_back(expr(depth, sc));
        j->as_text = in_.flag();
        return j;
      }
      default:
        return column(sc);
    }
  }

  // A chain of one AND/OR of up to ~65,000 operands, grouped to the left, to
  // the right or both ways, built through the expression builders: it must
  // compile flat, and be destroyed, without recursing once per operand.
  node_ptr chain(const scope& sc) {
    const auto op = in_.flag() ? binary_operator::logical_or : binary_operator::logical_and;
    const std::size_t n = 2 + in_.pick(256) * 256 + in_.pick(256);
    const std::size_t grouping = in_.pick(3);
    node_ptr operand =
        in_.flag() ? column(sc) : detail::make_bind(relate::value(std::int64_t{0}), std::nullopt);
    node_ptr result = detail::make_binary(binary_operator::eq, operand, operand);
    for (std::size_t i = 1; i < n; ++i) {
      node_ptr next =
          detail::make_binary(binary_operator::eq, operand,
                              detail::make_bind(relate::value(static_cast<std::int64_t>(i)), std::nullopt));
      const bool left = grouping == 0 || (grouping == 2 && i % 2 == 0);
      result = left ? detail::make_binary(op, std::move(result), std::move(next))
                    : detail::make_binary(op, std::move(next), std::move(result));
    }
    return result;
  }

  // Up to ~2,000 levels of one operator through the builders: past
  // max_expression_depth they must refuse with a usage_error, never build a
  // tree the compiler would recurse through until the stack runs out.
  node_ptr nested(int depth, const scope& sc) {
    const std::size_t levels = in_.pick(256) * 8;
    const std::size_t how = in_.pick(4);
    node_ptr result = expr(depth, sc);
    for (std::size_t i = 0; i < levels; ++i) {
      switch (how) {
        case 0:
          result = detail::make_unary(unary_operator::logical_not, std::move(result));
          break;
        case 1:
          result = detail::make_binary(binary_operator::add, std::move(result),
                                       detail::make_bind(relate::value(std::int64_t{1}), std::nullopt));
          break;
        case 2:
          result = detail::make_function("abs", {std::move(result)}, false);
          break;
        default:
          result = detail::make_cast(std::move(result), sql_type{});
          break;
      }
    }
    return result;
  }

  // A query usable as a subquery, a derived table or an INSERT's source.
  node_ptr query(int depth) {
    return in_.pick(4) == 0 && !deep(depth) ? compound(depth + 1) : select(depth + 1);
  }

  void order_by(std::vector<order_item>& items, int depth, const scope& sc) {
    for (std::size_t n = in_.pick(3); n > 0; --n) {
      order_item item;
      item.expr = in_.pick(4) == 0 ? labeled_expr(depth, sc) : expr(depth, sc);
      item.descending = in_.flag();
      item.nulls = static_cast<nulls_order>(in_.pick(3));
      items.push_back(std::move(item));
    }
  }

  void limit_offset(std::optional<std::int64_t>& limit, std::optional<std::int64_t>& offset) {
    if (in_.pick(3) == 0) limit = in_.pick(2) ? static_cast<std::int64_t>(in_.byte()) : in_.int64();
    if (in_.pick(4) == 0) offset = in_.pick(2) ? static_cast<std::int64_t>(in_.byte()) : in_.int64();
  }

  node_ptr labeled_expr(int depth, const scope& sc) {
    auto l = std::make_shared<labeled>();
    l->expr = expr(depth, sc);
    l->label = in_.pick(4) == 0 ? in_.bytes(6) : "l" + std::to_string(in_.pick(3));
    return l;
  }

  node_ptr from_item(int depth, scope& sc) {
    if (in_.pick(4) == 0 && !deep(depth)) {
      auto d = std::make_shared<derived_table>();
      d->query = query(depth);
      d->alias = in_.pick(8) == 0 ? in_.bytes(5) : "d" + std::to_string(in_.pick(3));
      auto alias = std::make_shared<table_ref>();
      alias->name = d->alias;
      sc.push_back({alias, {"id", "l0", "l1", "name"}});  // columns it may or may not have
      return d;
    }
    return table(sc);
  }

  node_ptr select(int depth) {
    auto s = std::make_shared<select_stmt>();
    scope sc;
    for (std::size_t n = in_.pick(3); n > 0; --n) s->from.push_back(from_item(depth, sc));
    // JOINs mostly after a FROM table (without one: a usage_error).
    const std::size_t joins = s->from.empty() && in_.pick(8) != 0 ? 0 : in_.pick(3);
    for (std::size_t n = joins; n > 0; --n) {
      join_clause j;
      j.kind = static_cast<join_kind>(in_.pick(4));
      j.target = from_item(depth, sc);
      if (j.kind != join_kind::cross || in_.pick(8) == 0) j.on = expr(depth + 1, sc);
      if (in_.pick(16) == 0) j.on = nullptr;  // a JOIN without ON: a usage_error unless cross
      s->joins.push_back(std::move(j));
    }
    for (std::size_t n = in_.pick(4); n > 0; --n) {
      switch (in_.pick(4)) {
        case 0: {
          auto st = std::make_shared<star>();
          if (!sc.empty() && in_.flag()) st->table = sc[in_.pick(sc.size())].table;
          s->columns.push_back(st);
          break;
        }
        case 1:
          s->columns.push_back(labeled_expr(depth + 1, sc));
          break;
        default:
          s->columns.push_back(expr(depth + 1, sc));
      }
    }
    if (in_.flag()) s->where = expr(depth + 1, sc);
    if (in_.pick(4) == 0) {
      for (std::size_t n = in_.pick(3) + 1; n > 0; --n)
        s->group_by.push_back(in_.pick(4) == 0 ? labeled_expr(depth + 1, sc) : expr(depth + 1, sc));
      if (in_.flag()) s->having = expr(depth + 1, sc);
    }
    order_by(s->order_by, depth + 1, sc);
    limit_offset(s->limit, s->offset);
    s->distinct = in_.pick(4) == 0;
    if (in_.pick(8) == 0) {
      s->lock.strength = static_cast<lock_strength>(in_.pick(4) + 1);
      s->lock.wait = static_cast<lock_wait>(in_.pick(3));
      // OF a table of this SELECT's scope, now and then a null one (a usage_error).
      for (std::size_t n = in_.pick(3); n > 0; --n)
        s->lock.of.push_back(in_.pick(16) == 0 ? nullptr : table(sc));
    }
    return s;
  }

  node_ptr compound(int depth) {
    auto c = std::make_shared<compound_select>();
    c->kind = static_cast<compound_kind>(in_.pick(4));
    // Mostly two or three members; sometimes one (a usage_error).
    for (std::size_t n = in_.pick(8) == 0 ? 1 : in_.pick(2) + 2; n > 0; --n)
      c->selects.push_back(in_.pick(6) == 0 && !deep(depth) ? compound(depth + 1) : select(depth + 1));
    scope none;
    order_by(c->order_by, depth + 1, none);
    limit_offset(c->limit, c->offset);
    return c;
  }

  std::string column_of(const scope_item& target) {
    return in_.pick(8) == 0 ? identifier() : target.columns[in_.pick(target.columns.size())];
  }

  std::vector<node_ptr> returning(const scope& sc) {
    std::vector<node_ptr> out;
    if (in_.pick(3) != 0) return out;
    for (std::size_t n = in_.pick(3) + 1; n > 0; --n)
      out.push_back(in_.pick(4) == 0   ? std::make_shared<star>()
                    : in_.pick(3) == 0 ? labeled_expr(1, sc)
                                       : expr(1, sc));
    return out;
  }

  node_ptr insert() {
    auto s = std::make_shared<insert_stmt>();
    scope sc;
    s->table = table(sc);
    const std::size_t columns = in_.pick(4);
    for (std::size_t i = 0; i < columns; ++i) s->columns.push_back(column_of(sc.front()));
    if (in_.pick(3) == 0) {
      s->from_select = query(0);
    } else {
      for (std::size_t r = in_.pick(4); r > 0; --r) {
        std::vector<node_ptr> row;
        // Mostly one value per column; sometimes not (a usage_error).
        std::size_t n = columns == 0 || in_.pick(8) == 0 ? in_.pick(4) : columns;
        for (; n > 0; --n) row.push_back(expr(1, sc));
        s->rows.push_back(std::move(row));
      }
    }
    if (in_.pick(3) == 0) {
      on_conflict oc;
      for (std::size_t n = in_.pick(3); n > 0; --n) oc.target_columns.push_back(column_of(sc.front()));
      scope with_excluded = sc;
      auto excluded = std::make_shared<table_ref>();
      excluded->name = "excluded";
      with_excluded.push_back({excluded, sc.front().columns});
      for (std::size_t n = in_.pick(3); n > 0; --n)
        oc.set.emplace_back(column_of(sc.front()), expr(1, with_excluded));
      s->upsert = std::move(oc);
    }
    s->returning = returning(sc);
    return s;
  }

  node_ptr update() {
    auto s = std::make_shared<update_stmt>();
    scope sc;
    s->table = table(sc);
    for (std::size_t n = in_.pick(4); n > 0; --n)
      s->assignments.emplace_back(column_of(sc.front()), expr(1, sc));
    if (in_.flag()) s->where = expr(1, sc);
    s->returning = returning(sc);
    return s;
  }

  node_ptr remove() {
    auto s = std::make_shared<delete_stmt>();
    scope sc;
    s->table = table(sc);
    if (in_.flag()) s->where = expr(1, sc);
    s->returning = returning(sc);
    return s;
  }

  reader& in_;
  int nodes_ = 0;
};

// ---- checking the SQL -------------------------------------------------------------

[[noreturn]] void fail(const char* what, const std::string& sql, const char* detail = "") {
  std::fprintf(stderr, "fuzz_compiler: %s\n  SQL: %s\n  %s\n", what, sql.c_str(), detail);
  std::abort();
}

sqlite3* database() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK) std::abort();
    for (const auto& t : schema()) {
      char* error = nullptr;
      if (sqlite3_exec(d, t.ddl, nullptr, nullptr, &error) != SQLITE_OK) {
        std::fprintf(stderr, "schema: %s\n", error);
        std::abort();
      }
    }
    return d;
  }();
  return db;
}

// What sqlite3_prepare_v2 says about malformed text, as opposed to a
// statement that parses but means nothing (no such column, and so on).
bool is_malformed_text(std::string_view message) {
  return message.find("syntax error") != std::string_view::npos ||
         message.find("unrecognized token") != std::string_view::npos ||
         message.find("incomplete input") != std::string_view::npos;
}

// RELATE_FUZZ_VERBOSE=1 prints each statement and what SQLite said of it
// (to see what the inputs decode to).
bool verbose() {
  static const bool on = std::getenv("RELATE_FUZZ_VERBOSE") != nullptr;
  return on;
}

void check_prepares(const relate::sql::compiled_statement& compiled) {
  const std::string& sql = compiled.sql;
  if (verbose()) std::fprintf(stderr, "SQL: %s\n", sql.c_str());
  if (sql.find('\0') != std::string::npos) fail("the SQL holds a NUL byte", sql);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(database(), sql.c_str(), static_cast<int>(sql.size() + 1), &stmt, &tail);
  if (rc != SQLITE_OK) {
    const char* message = sqlite3_errmsg(database());
    if (verbose()) std::fprintf(stderr, "  refused: %s\n", message);
    if (is_malformed_text(message)) fail("SQLite cannot parse the compiled SQL", sql, message);
    return;  // a statement SQLite understood and refused for what it means
  }
  if (!stmt) fail("the compiled SQL holds no statement", sql);
  const int placeholders = sqlite3_bind_parameter_count(stmt);
  sqlite3_finalize(stmt);
  for (const char* p = tail; p && *p; ++p)
    if (*p != ' ' && *p != '\n' && *p != '\t')
      fail("the compiled SQL holds more than one statement", sql, tail);
  if (placeholders != static_cast<int>(compiled.params.size())) {
    const std::string counts = std::to_string(placeholders) + " placeholders, " +
                               std::to_string(compiled.params.size()) + " parameters";
    fail("placeholders and parameters differ in number", sql, counts.c_str());
  }
}

// value's operator== says NaN != NaN; a parameter is the same if its bits are.
bool same_params(const std::vector<relate::value>& a, const std::vector<relate::value>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double* x = a[i].get_if<double>();
    const double* y = b[i].get_if<double>();
    if (x && y ? std::memcmp(x, y, sizeof *x) != 0 : !(a[i] == b[i])) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const relate::sqlite::sqlite_dialect dialect;
  reader in(data, size);
  node_ptr tree;
  try {
    tree = builder(in).statement();
  } catch (const relate::usage_error& e) {
    // Nesting past max_expression_depth, refused by the builders.
    if (verbose()) std::fprintf(stderr, "builder refused: %s\n", e.what());
    return 0;
  }

  relate::sql::compiled_statement fresh;
  try {
    fresh = dialect.make_compiler()->compile(*tree);
  } catch (const relate::usage_error& e) {
    if (verbose()) std::fprintf(stderr, "compiler refused: %s\n", e.what());
    return 0;  // a tree the compiler refuses: fine, as long as it says so
  } catch (const relate::not_supported_error& e) {
    if (verbose()) std::fprintf(stderr, "compiler refused: %s\n", e.what());
    return 0;
  }
  // Any other exception escapes and libFuzzer reports it.
  check_prepares(fresh);

  // Through the statement-shape cache (twice: a miss or an earlier input's
  // entry, then a hit): the same SQL and parameters as the fresh compiler.
  for (int i = 0; i < 2; ++i) {
    const auto cached = dialect.compile(*tree);
    if (cached.sql != fresh.sql) fail("the statement cache gave other SQL", fresh.sql, cached.sql.c_str());
    if (!same_params(cached.params, fresh.params))
      fail("the statement cache gave other parameters", fresh.sql);
  }
  return 0;
}
