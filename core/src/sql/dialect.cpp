// SPDX-License-Identifier: MIT
// The dialect base: default identifier quoting and DDL literals, the
// generic compilers, and compile() with its statement-shape cache.
#include <relate/sql/dialect.hpp>

#include <relate/error.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/schema_support.hpp>

#include "sql/statement_cache.hpp"

#include <charconv>
#include <cmath>
#include <type_traits>
#include <variant>

namespace relate::sql {

dialect::dialect() : cache_(std::make_unique<detail::statement_cache>()) {}

dialect::dialect(const dialect&) : cache_(std::make_unique<detail::statement_cache>()) {}

dialect& dialect::operator=(const dialect&) {
  // The cache holds SQL of this object's (dynamic) type: keep it, it stays valid.
  return *this;
}

dialect::~dialect() = default;

std::string dialect::quote_identifier(std::string_view identifier) const {
  if (const std::size_t limit = capabilities().max_identifier_length;
      limit != 0 && identifier.size() > limit) {
    throw usage_error("identifier \"" + std::string(identifier) + "\" is " +
                      std::to_string(identifier.size()) + " bytes; " + std::string(name()) +
                      " names hold at most " + std::to_string(limit) +
                      " (it would truncate the name silently)");
  }
  std::string out;
  out.reserve(identifier.size() + 2);
  out.push_back('"');
  for (char c : identifier) {
    if (c == '\0') {
      // Neither SQLite nor PostgreSQL can hold NUL in a name, and a C string
      // API would cut the statement short at it.
      throw usage_error("identifier contains a NUL character");
    }
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

namespace {

std::string quote_string_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  for (char c : text) {
    if (c == '\0') throw usage_error("string literal contains a NUL character");
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

std::string dialect::render_literal(const relate::value& v) const {
  return std::visit(
      [this](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, null_t>) {
          return "NULL";
        } else if constexpr (std::is_same_v<T, bool>) {
          if (capabilities().native_boolean) return x ? "TRUE" : "FALSE";
          return x ? "1" : "0";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) throw usage_error("a non-finite number cannot be written as an SQL literal");
          char buffer[64];
          auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
          std::string s(buffer, end);
          // Keep it a floating-point literal ("1" would be an integer).
          if (s.find_first_of(".eE") == std::string::npos) s += ".0";
          return s;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return quote_string_literal(x);
        } else if constexpr (std::is_same_v<T, blob>) {
          static constexpr char digits[] = "0123456789ABCDEF";
          std::string s = "X'";
          for (std::byte b : x) {
            auto u = std::to_integer<unsigned>(b);
            s.push_back(digits[u >> 4]);
            s.push_back(digits[u & 0xf]);
          }
          s.push_back('\'');
          return s;
        } else if constexpr (std::is_same_v<T, timestamp>) {
          return quote_string_literal(format_timestamp(x));
        } else {
          static_assert(std::is_same_v<T, date>);
          return quote_string_literal(format_date(x));
        }
      },
      v.get_storage());
}

std::string dialect::placeholder(std::size_t) const { return "?"; }

std::string dialect::type_name(const sql_type& type) const {
  switch (type.kind) {
    case type_kind::boolean:
      return "BOOLEAN";
    case type_kind::small_integer:
      return "SMALLINT";
    case type_kind::integer:
      return "INTEGER";
    case type_kind::big_integer:
      return "BIGINT";
    case type_kind::real:
      return "DOUBLE PRECISION";
    case type_kind::numeric:
      if (type.precision == 0) return "NUMERIC";
      return "NUMERIC(" + std::to_string(type.precision) + ", " + std::to_string(type.scale) + ")";
    case type_kind::text:
      return type.length ? "VARCHAR(" + std::to_string(type.length) + ")" : "TEXT";
    case type_kind::blob:
      return "BLOB";
    case type_kind::timestamp:
      return "TIMESTAMP";
    case type_kind::timestamp_tz:
      return "TIMESTAMP WITH TIME ZONE";
    case type_kind::date:
      return "DATE";
  }
  return "TEXT";
}

std::unique_ptr<sql_compiler> dialect::make_compiler() const { return std::make_unique<sql_compiler>(*this); }

std::unique_ptr<ddl_compiler> dialect::make_ddl_compiler() const {
  return std::make_unique<ddl_compiler>(*this);
}

compiled_statement dialect::compile(const node& statement) const {
  detail::shape_collector shape;
  statement.accept(shape);
  shape.finish();
  if (auto hit = cache_->find(shape.key())) {
    compiled_statement result{hit->sql, {}};
    result.params.reserve(hit->origins.size());
    for (std::size_t origin : hit->origins) {
      if (origin & detail::constant_origin) {
        result.params.push_back(hit->constants[origin & ~detail::constant_origin]);
      } else {
        result.params.push_back(shape.sources()[origin].get());
      }
    }
    return result;
  }
  cache_->count_miss();
  auto compiler = make_compiler();
  const auto index = shape.index();
  if (index) compiler->sources_ = &*index;
  auto result = compiler->compile(statement);
  if (compiler->cacheable_ && index) {
    cache_->insert(shape.key(), {result.sql, std::move(compiler->origins_), std::move(compiler->constants_)});
  }
  return result;
}

namespace {

/// Keyed entries share the shape cache; a shape key starts with a node's tag
/// letter, never with a NUL byte, so the two kinds of key cannot meet.
std::string keyed_cache_key(std::string_view key) {
  std::string k(1, '\0');
  k.append(key);
  return k;
}

}  // namespace

std::shared_ptr<const std::string> dialect::find_keyed(std::string_view key) const {
  auto hit = cache_->find(keyed_cache_key(key));
  if (!hit) return nullptr;
  return {hit, &hit->sql};  // aliasing: the entry stays alive while the text is used
}

std::shared_ptr<const std::string> dialect::insert_keyed(std::string_view key, const node& statement) const {
  cache_->count_miss();
  auto kept = cache_->insert(keyed_cache_key(key), {make_compiler()->compile(statement).sql, {}, {}});
  return {kept, &kept->sql};
}

statement_cache_stats dialect::cache_stats() const { return cache_->stats(); }

void dialect::clear_statement_cache() const { cache_->clear(); }

void dialect::set_statement_cache_capacity(std::size_t capacity) const { cache_->set_capacity(capacity); }

std::vector<std::string> dialect::create_table(const table_def& table, bool if_not_exists) const {
  return make_ddl_compiler()->create_table(table, if_not_exists);
}

std::vector<std::string> dialect::drop_table(const table_def& table, bool if_exists) const {
  return make_ddl_compiler()->drop_table(table, if_exists);
}

std::string dialect::add_foreign_key(const table_def& table, const foreign_key_def& fk) const {
  return make_ddl_compiler()->add_foreign_key(table, fk);
}

std::string dialect::drop_foreign_key(const table_def& table, const std::string& name, bool if_exists) const {
  return make_ddl_compiler()->drop_foreign_key(table, name, if_exists);
}

std::optional<compiled_statement> dialect::foreign_key_exists(const table_def&, const std::string&) const {
  return std::nullopt;
}

std::optional<std::string> dialect::defer_foreign_key_checks() const { return std::nullopt; }

}  // namespace relate::sql

namespace relate::sql {

std::optional<key_reservation> dialect::reserve_keys(std::string_view, std::string_view, std::size_t) const {
  return std::nullopt;
}

const schema_support* dialect::schema_tools() const { return nullptr; }

schema_support::~schema_support() = default;

std::vector<std::string> schema_support::before_rebuild() const { return {}; }

std::vector<std::string> schema_support::after_rebuild() const { return {}; }

std::optional<std::string> schema_support::foreign_key_check() const { return std::nullopt; }

}  // namespace relate::sql
