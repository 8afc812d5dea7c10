// SPDX-License-Identifier: MIT
// The dialect base: default identifier quoting and DDL literals, the
// generic compilers, and compile() with its statement-shape cache.
#include <relate/sql/dialect.hpp>

#include <relate/error.hpp>
#include <relate/sql/compiler.hpp>
#include <relate/sql/schema_support.hpp>

#include "sql/generated_name.hpp"
#include "sql/statement_cache.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
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
        } else if constexpr (std::is_same_v<T, date>) {
          return quote_string_literal(format_date(x));
        } else {
          static_assert(std::is_same_v<T, interval>);
          // Standard SQL's interval literal, in seconds with the microseconds.
          const auto micros = x.count();
          const auto magnitude = micros < 0 ? -micros : micros;
          char fraction[16];
          std::snprintf(fraction, sizeof fraction, "%06lld", static_cast<long long>(magnitude % 1000000));
          return std::string("INTERVAL '") + (micros < 0 ? "-" : "") + std::to_string(magnitude / 1000000) +
                 "." + fraction + "' SECOND";
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
    case type_kind::time:
      return "TIME";
    case type_kind::interval:
      return "INTERVAL";
    case type_kind::uuid:
      return "UUID";
    case type_kind::json:
      return "JSON";
    case type_kind::enumeration: {
      if (!type.enumeration) throw usage_error("an enumeration column type without its labels");
      if (capabilities().native_enums) return quote_identifier(type.enumeration->name);
      std::size_t longest = 1;
      for (const auto& l : type.enumeration->labels) longest = std::max(longest, l.size());
      return "VARCHAR(" + std::to_string(longest) + ")";
    }
    case type_kind::array: {
      if (!capabilities().arrays) {
        error_info info;
        info.driver = std::string(name());
        info.native_message = "unsupported compilation: the " + info.driver +
                              " dialect has no array types (a column of " +
                              std::string(to_string(type.element)) + " array); arrays are a PostgreSQL type";
        throw not_supported_error(std::move(info));
      }
      sql_type element = type;
      element.kind = type.element;
      if (element.kind == type_kind::array) throw usage_error("relate: arrays of arrays are not supported");
      return type_name(element) + "[]";
    }
  }
  return "TEXT";
}

std::optional<std::string> dialect::type_check(const column_def& column) const {
  if (column.type.kind != type_kind::enumeration || capabilities().native_enums || !column.type.enumeration)
    return std::nullopt;
  std::string check = quote_identifier(column.name) + " IN (";
  const auto& labels = column.type.enumeration->labels;
  for (std::size_t i = 0; i < labels.size(); ++i) check += (i ? ", " : "") + render_literal(value(labels[i]));
  return check + ")";
}

std::vector<check_def> dialect::type_checks(const table_def& table) const {
  std::vector<check_def> out;
  for (const auto& c : table.columns) {
    if (auto check = type_check(c))
      out.push_back({detail::fit_generated_name("ck_" + table.name + "_" + c.name,
                                                capabilities().max_identifier_length),
                     std::move(*check)});
  }
  return out;
}

std::string dialect::create_enum_type(const enum_type& type) const {
  if (!capabilities().native_enums)
    throw usage_error("relate: the " + std::string(name()) + " dialect has no enum types");
  std::string sql = "CREATE TYPE " + quote_identifier(type.name) + " AS ENUM (";
  for (std::size_t i = 0; i < type.labels.size(); ++i)
    sql += (i ? ", " : "") + render_literal(value(type.labels[i]));
  return sql + ")";
}

std::string dialect::drop_enum_type(const enum_type& type, bool if_exists) const {
  return std::string(if_exists ? "DROP TYPE IF EXISTS " : "DROP TYPE ") + quote_identifier(type.name);
}

std::optional<compiled_statement> dialect::enum_type_exists(const enum_type&) const { return std::nullopt; }

std::optional<compiled_statement> dialect::enum_type_users(const enum_type&) const { return std::nullopt; }

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
