// SPDX-License-Identifier: MIT
// The mapping vocabulary: how a plain struct declares the table it lives in.
//
//   struct User { std::int64_t id{}; std::string name; };
//   inline auto relate_mapping(relate::model<User>) {        // found by ADL
//     using namespace relate::orm;
//     return table<User>("users", column(&User::id, "id", primary_key),
//                                 column(&User::name, "name", length(100), indexed));
//   }
//
// Structs stay plain: no base class, no macro, no generated code.  A mapping
// is a value built from member pointers; relate turns it once per type into a
// mapper (relate/orm/mapper.hpp), a table-driven description that the session
// and queries use.  Mistakes C++ can see (an unsupported member type, a member
// of another struct) fail to compile with a named static_assert; the others
// (duplicate column names, two autoincrement keys, a foreign key to a table
// that is not registered) throw usage_error when the mapper is built or the
// metadata registers it.
//
// Client defaults (default_value, default_fn) and server defaults apply to a
// member that is "unset" when the object is inserted.  Unset means: equal to
// its value-initialised state (0, false, "", empty blob, the epoch, nullopt).
// A member with a server default that is unset is left out of the INSERT and
// read back from the database, like an autoincrement key.
#pragma once

#include <relate/conversion.hpp>
#include <relate/driver/driver.hpp>
#include <relate/error.hpp>
#include <relate/orm/relationship_mapping.hpp>
#include <relate/orm/snapshot.hpp>
#include <relate/sql/schema.hpp>
#include <relate/sql/types.hpp>
#include <relate/type_conversion.hpp>
#include <relate/value.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace relate::orm {

class mapper;
template <class T>
const mapper& mapper_of();

namespace detail {

// The conversion table is relate::detail::conversion (relate/conversion.hpp),
// shared with row::get.
using relate::detail::is_optional;
using relate::detail::unwrap_optional;
template <class M>
using column_traits = relate::detail::conversion<M>;

template <class M>
inline constexpr bool is_supported_member_v = column_traits<typename unwrap_optional<M>::type>::supported;

/// Per member type, the table-driven operations the session runs on a column:
/// plain function pointers over the member's address, so the per-row loops
/// make no virtual call and build no std::function.
/// What loading a cell into a member found (the caller names the column in its error).
enum class load_status : std::uint8_t {
  ok,
  null_into_value,  // NULL, and the member is not a std::optional
  out_of_range,     // an integer the member's type cannot hold (never truncated)
  invalid_value,    // a value the member's type refuses (a user type's from_base, an unknown enum label)
};

struct column_ops {
  value (*read)(const void* member);
  /// Reads the cursor cell into the member.
  load_status (*load)(void* member, const native_cursor& cursor, std::size_t index);
  /// The cell as a value of the member's type (NULL as a null value).
  value (*cell)(const native_cursor& cursor, std::size_t index);
  /// Member == value, without allocating.
  bool (*equals)(const void* member, const value& v);
  /// Member <- value; false when the value does not convert.
  bool (*assign)(void* member, const value& v);
  /// Member == its value-initialised state.
  bool (*is_unset)(const void* member);
  /// Member <- its value-initialised state.
  void (*reset)(void* member);
  /// The member as a snapshot cell: a view of the member itself where it
  /// can be (text, blob, scalars), else of a value appended to `keep`, which
  /// the caller reserves for every column so that views into it stay valid.
  snapshot_cell (*snap)(const void* member, std::vector<value>& keep);
  /// Member == snapshot cell (what equals means), without allocating for
  /// the built-in types.
  bool (*same)(const void* member, const snapshot_cell& cell);
};

inline bool cursor_cell_is_null(const native_cursor& cursor, std::size_t index) {
  return cursor.is_null(index);
}

template <class M>
struct member_ops {
  using base = typename unwrap_optional<M>::type;
  using traits = column_traits<base>;
  static constexpr bool optional = is_optional<M>::value;

  static value read(const void* p) {
    const M& m = *static_cast<const M*>(p);
    if constexpr (optional) {
      return m ? traits::to_value(*m) : value();
    } else {
      return traits::to_value(m);
    }
  }
  static load_status load(void* p, const native_cursor& c, std::size_t i) {
    M& m = *static_cast<M*>(p);
    if (cursor_cell_is_null(c, i)) {
      if constexpr (optional) {
        m.reset();
        return load_status::ok;
      } else {
        return load_status::null_into_value;
      }
    }
    if constexpr (std::is_integral_v<base> && !std::is_same_v<base, bool>) {
      const std::int64_t v = c.get_int64(i);
      if (!relate::detail::fits_in<base>(v)) return load_status::out_of_range;
      m = static_cast<base>(v);
    } else if constexpr (requires { traits::try_from_cursor(c, i); }) {
      auto v = traits::try_from_cursor(c, i);
      if (!v) return load_status::invalid_value;
      m = std::move(*v);
    } else {
      m = traits::from_cursor(c, i);
    }
    return load_status::ok;
  }
  static value cell(const native_cursor& c, std::size_t i) {
    if (cursor_cell_is_null(c, i)) return value();
    if constexpr (requires { typename traits::base_type; }) {
      // A user type's cell is its base type's value, whether or not from_base accepts it.
      return column_traits<typename traits::base_type>::to_value(
          column_traits<typename traits::base_type>::from_cursor(c, i));
    } else {
      return traits::to_value(traits::from_cursor(c, i));
    }
  }
  static bool equals(const void* p, const value& v) {
    const M& m = *static_cast<const M*>(p);
    if constexpr (optional) {
      if (!m) return v.is_null();
      return traits::equals(*m, v);
    } else {
      return traits::equals(m, v);
    }
  }
  static bool assign(void* p, const value& v) {
    M& m = *static_cast<M*>(p);
    if (v.is_null()) {
      if constexpr (optional) {
        m.reset();
        return true;
      } else {
        return false;
      }
    }
    auto converted = traits::from_value(v);
    if (!converted) return false;
    m = std::move(*converted);
    return true;
  }
  static bool is_unset(const void* p) { return *static_cast<const M*>(p) == M{}; }
  static void reset(void* p) { *static_cast<M*>(p) = M{}; }

  static snapshot_cell snap_base(const base& b, std::vector<value>& keep) {
    if constexpr (std::is_same_v<base, std::string>) {
      return snapshot_cell::text(b);
    } else if constexpr (std::is_same_v<base, blob>) {
      return {value_kind::blob, 0, std::string_view(reinterpret_cast<const char*>(b.data()), b.size())};
    } else {
      value v = traits::to_value(b);
      if (v.kind() != value_kind::text && v.kind() != value_kind::blob) return snapshot_cell::of(v);
      keep.push_back(std::move(v));
      return snapshot_cell::of(keep.back());
    }
  }
  static snapshot_cell snap(const void* p, std::vector<value>& keep) {
    const M& m = *static_cast<const M*>(p);
    if constexpr (optional) {
      if (!m) return {};
      return snap_base(*m, keep);
    } else {
      return snap_base(m, keep);
    }
  }
  static bool same_base(const base& b, const snapshot_cell& c) {
    if constexpr (std::is_same_v<base, std::string>) {
      return c.kind == value_kind::text && c.bytes == b;
    } else if constexpr (std::is_same_v<base, blob>) {
      return c.kind == value_kind::blob &&
             c.bytes == std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
    } else {
      const value v = traits::to_value(b);
      return snapshot_cell::of(v) == c;
    }
  }
  static bool same(const void* p, const snapshot_cell& c) {
    const M& m = *static_cast<const M*>(p);
    if constexpr (optional) {
      if (!m) return c.is_null();
      return same_base(*m, c);
    } else {
      return same_base(m, c);
    }
  }

  static constexpr column_ops ops{&read, &load, &cell, &equals, &assign, &is_unset, &reset, &snap, &same};
};

/// A default-constructed T used to turn member pointers into offsets, so the
/// session's loops work on (object address + offset) without templates.
template <class T>
const T& probe() {
  static const T instance{};
  return instance;
}

template <class T, class M>
std::size_t member_offset(M T::*member) {
  const T& p = probe<T>();
  return static_cast<std::size_t>(reinterpret_cast<const char*>(&(p.*member)) -
                                  reinterpret_cast<const char*>(&p));
}

/// Where a foreign key points: a mapped member of another model (resolved
/// when the metadata is built, so models may refer to each other in any
/// order) or "table.column" text.
struct foreign_key_target {
  const mapper& (*target_mapper)() = nullptr;  // null: use table/column below
  std::size_t target_offset = 0;
  std::string table;
  std::string column;
};

}  // namespace detail

// ---- column options ---------------------------------------------------------

struct primary_key_t {};
/// The column is (part of) the primary key.  Several primary_key columns make a composite key.
inline constexpr primary_key_t primary_key{};

struct autoincrement_t {
  bool on = true;
  constexpr autoincrement_t operator()(bool enable) const { return {enable}; }
};
/// A generated integer key.  The default for a single integer primary key
/// (as in SQLAlchemy); `autoincrement(false)` turns it off.
inline constexpr autoincrement_t autoincrement{};

struct unique_t {};
inline constexpr unique_t unique{};

struct index_t {};
/// A (non-unique) index on this column, named `ix_<table>_<column>`.
inline constexpr index_t indexed{};
/// The same as `indexed`.  Prefer `indexed`: POSIX declares a function
/// `index` in the global namespace (`<strings.h>`, pulled in by `<cstring>` on
/// glibc), which makes a bare `index` ambiguous after
/// `using namespace relate::orm;`.
inline constexpr index_t index{};

struct version_id_t {};
/// Optimistic locking (SQLAlchemy's version_id_col): an integer column the
/// flush sets to 1 on INSERT and increments on every UPDATE, which (like
/// DELETE) matches the row only if it still holds the version last read.  A
/// row another transaction changed or deleted meanwhile gives
/// stale_data_error instead of being overwritten.
inline constexpr version_id_t version_id{};

struct deferred_t {};
/// Leave the column out of the SELECTs that load objects (SQLAlchemy's
/// deferred()), for large values most code does not read.  The member stays
/// value-initialised and the flush never writes it unless the program assigns
/// it; session.load_deferred(obj) reads it, and a query's
/// `.options(relate::undefer(&T::member))` loads it with the rest.  Not for the
/// primary key, the version_id column or a column a relationship joins on.
inline constexpr deferred_t deferred{};

struct nullable_t {
  bool on = true;
  constexpr nullable_t operator()(bool enable) const { return {enable}; }
};
/// Default: nullable exactly when the member is a std::optional (never for a primary key).
inline constexpr nullable_t nullable{};

struct length_t {
  std::uint32_t n;
};
/// VARCHAR(n).
constexpr length_t length(std::uint32_t n) { return {n}; }

struct numeric_t {
  std::uint16_t precision;
  std::uint16_t scale;
};
constexpr numeric_t numeric(std::uint16_t precision, std::uint16_t scale = 0) { return {precision, scale}; }

struct server_default_t {
  value v;
};
/// `DEFAULT <literal>` in the DDL.
inline server_default_t server_default(value v) { return {std::move(v)}; }

struct server_default_sql_t {
  std::string sql;
};
/// `DEFAULT <sql expression>` in the DDL, e.g. server_default_sql("CURRENT_TIMESTAMP").
inline server_default_sql_t server_default_sql(std::string sql) { return {std::move(sql)}; }

struct default_value_t {
  value v;
};
/// A client default: written into an unset member when the object is inserted.
inline default_value_t default_value(value v) { return {std::move(v)}; }

template <class F>
struct default_fn_t {
  F fn;
};
/// A client default computed at insert time, e.g. default_fn([] { return now(); }).
template <class F>
default_fn_t<std::decay_t<F>> default_fn(F&& fn) {
  return {std::forward<F>(fn)};
}

namespace on_delete {
inline constexpr sql::referential_action no_action = sql::referential_action::no_action;
inline constexpr sql::referential_action restrict = sql::referential_action::restrict;
inline constexpr sql::referential_action cascade = sql::referential_action::cascade;
inline constexpr sql::referential_action set_null = sql::referential_action::set_null;
inline constexpr sql::referential_action set_default = sql::referential_action::set_default;
}  // namespace on_delete

struct foreign_key_t {
  detail::foreign_key_target target;
  sql::referential_action on_delete = sql::referential_action::no_action;
  sql::referential_action on_update = sql::referential_action::no_action;
};

/// REFERENCES the table and column another model maps `member` to.
template <class O, class M>
foreign_key_t foreign_key(M O::*member,
                          sql::referential_action on_delete_action = sql::referential_action::no_action,
                          sql::referential_action on_update_action = sql::referential_action::no_action) {
  foreign_key_t fk;
  fk.target.target_mapper = &mapper_of<O>;
  fk.target.target_offset = detail::member_offset(member);
  fk.on_delete = on_delete_action;
  fk.on_update = on_update_action;
  return fk;
}
/// REFERENCES "table"("column"), written as "table.column".
RELATE_API foreign_key_t
foreign_key(std::string_view table_dot_column,
            sql::referential_action on_delete_action = sql::referential_action::no_action,
            sql::referential_action on_update_action = sql::referential_action::no_action);

struct check_t {
  std::string expression;
  std::string name;
};
/// `CHECK (<sql>)`, written by the programmer (never built from data).
inline check_t check(std::string expression, std::string name = {}) {
  return {std::move(expression), std::move(name)};
}

/// An explicit SQL type instead of the one derived from the member type.
inline sql::sql_type sql_type(sql::type_kind kind, std::uint32_t length = 0) {
  sql::sql_type t;
  t.kind = kind;
  t.length = length;
  return t;
}

// ---- columns and tables -----------------------------------------------------

namespace detail {

/// One mapped column, with everything the mapper needs at run time.
struct column_entry {
  sql::column_def def;
  std::size_t offset = 0;
  const column_ops* ops = nullptr;
  bool member_is_optional = false;
  bool integer = false;
  std::optional<bool> explicit_nullable;
  std::optional<bool> explicit_autoincrement;
  bool index = false;
  bool version = false;
  bool deferred = false;
  std::optional<value> default_value;
  std::function<value()> default_fn;
  std::optional<foreign_key_t> foreign_key;
  std::vector<check_t> checks;
};

template <class T, class M, class Option>
void apply_option(column_entry& c, Option&& option) {
  using O = std::decay_t<Option>;
  if constexpr (std::is_same_v<O, primary_key_t>) {
    c.def.primary_key = true;
  } else if constexpr (std::is_same_v<O, autoincrement_t>) {
    c.explicit_autoincrement = option.on;
  } else if constexpr (std::is_same_v<O, unique_t>) {
    c.def.unique = true;
  } else if constexpr (std::is_same_v<O, index_t>) {
    c.index = true;
  } else if constexpr (std::is_same_v<O, version_id_t>) {
    static_assert(std::is_integral_v<M> && !std::is_same_v<M, bool>,
                  "relate::orm::version_id: the version column must be a (non-optional) integer member");
    c.version = true;
  } else if constexpr (std::is_same_v<O, deferred_t>) {
    c.deferred = true;
  } else if constexpr (std::is_same_v<O, nullable_t>) {
    c.explicit_nullable = option.on;
  } else if constexpr (std::is_same_v<O, length_t>) {
    c.def.type.length = option.n;
  } else if constexpr (std::is_same_v<O, numeric_t>) {
    c.def.type.kind = sql::type_kind::numeric;
    c.def.type.precision = option.precision;
    c.def.type.scale = option.scale;
  } else if constexpr (std::is_same_v<O, server_default_t>) {
    c.def.server_default = std::move(option.v);
  } else if constexpr (std::is_same_v<O, server_default_sql_t>) {
    c.def.server_default_sql = std::move(option.sql);
  } else if constexpr (std::is_same_v<O, default_value_t>) {
    c.default_value = std::move(option.v);
  } else if constexpr (std::is_same_v<O, foreign_key_t>) {
    c.foreign_key = std::move(option);
  } else if constexpr (std::is_same_v<O, check_t>) {
    c.checks.push_back(std::move(option));
  } else if constexpr (std::is_same_v<O, sql::sql_type>) {
    c.def.type = option;
  } else if constexpr (requires { option.fn; }) {
    using R = std::invoke_result_t<decltype(option.fn)>;
    static_assert(std::is_convertible_v<R, M>,
                  "relate::orm::default_fn: the function's result does not convert to the member type");
    c.default_fn = [fn = std::move(option.fn)]() -> value {
      M m = fn();
      return member_ops<M>::read(&m);
    };
  } else {
    static_assert(sizeof(O) == 0, "relate::orm::column: unknown column option");
  }
}

/// A table-level constraint over members (by offset), before the mapper
/// turns offsets into column names.
struct constraint_data {
  enum class kind : std::uint8_t { primary_key, unique, index } what;
  std::string name;
  std::vector<std::size_t> offsets;  // the members, in order
};
template <class T>
struct table_constraint {
  constraint_data data;
};

}  // namespace detail

/// A mapped column of T (returned by column(), consumed by table<T>()).
template <class T>
struct column_spec {
  detail::column_entry entry;
};

/// Maps `member` to the column `name`, with options (primary_key, unique,
/// indexed, version_id, deferred, nullable(b), length(n), numeric(p, s), autoincrement(b),
/// server_default(v), server_default_sql("..."), default_value(v),
/// default_fn(f), foreign_key(...), check("..."), sql_type(...)).
template <class T, class M, class... Options>
column_spec<T> column(M T::*member, std::string name, Options&&... options) {
  static_assert(detail::is_supported_member_v<M>,
                "relate::orm::column: unsupported member type; use int16_t, int32_t, int64_t, double, bool, "
                "std::string, relate::blob, relate::date, std::chrono::sys_time<D> (relate::timestamp), a "
                "std::chrono::duration, a type of relate/types/ (uuid, json, time_of_day, timestamp_tz, an "
                "enum with relate_enum, std::vector for PostgreSQL arrays), a type with a "
                "relate::type_conversion, or std::optional of one of them");
  static_assert(std::is_default_constructible_v<T>,
                "relate::orm::column: a mapped struct must be default-constructible");
  using base = typename detail::unwrap_optional<M>::type;
  column_spec<T> spec;
  auto& e = spec.entry;
  e.def.name = std::move(name);
  e.def.type = relate::detail::column_sql_type<base>();
  e.offset = detail::member_offset(member);
  e.ops = &detail::member_ops<M>::ops;
  e.member_is_optional = detail::is_optional<M>::value;
  e.integer = std::is_integral_v<base> && !std::is_same_v<base, bool>;
  (detail::apply_option<T, M>(e, std::forward<Options>(options)), ...);
  return spec;
}

/// PRIMARY KEY (a, b): a composite key declared at table level.
template <class T, class... M>
detail::table_constraint<T> primary_key_constraint(M T::*... members) {
  return {{detail::constraint_data::kind::primary_key, {}, {detail::member_offset(members)...}}};
}
/// UNIQUE (a, b), optionally named.
template <class T, class... M>
detail::table_constraint<T> unique_constraint(M T::*... members) {
  return {{detail::constraint_data::kind::unique, {}, {detail::member_offset(members)...}}};
}
template <class T, class... M>
detail::table_constraint<T> unique_constraint(std::string name, M T::*... members) {
  return {{detail::constraint_data::kind::unique, std::move(name), {detail::member_offset(members)...}}};
}
/// CREATE INDEX name ON table (a, b).
template <class T, class... M>
detail::table_constraint<T> index_on(std::string name, M T::*... members) {
  return {{detail::constraint_data::kind::index, std::move(name), {detail::member_offset(members)...}}};
}

/// The mapping of T: what relate_mapping(model<T>) returns.
template <class T>
struct table_mapping {
  std::string name;
  std::vector<detail::column_entry> columns;
  std::vector<detail::constraint_data> constraints;
  std::vector<check_t> checks;
  std::vector<detail::relationship_entry> relationships;
};

namespace detail {
template <class T>
void add_to_mapping(table_mapping<T>& m, relationship_spec<T>&& r) {
  m.relationships.push_back(std::move(r.entry));
}
template <class T>
void add_to_mapping(table_mapping<T>& m, column_spec<T>&& c) {
  m.columns.push_back(std::move(c.entry));
}
template <class T>
void add_to_mapping(table_mapping<T>& m, table_constraint<T>&& c) {
  m.constraints.push_back(std::move(c.data));
}
template <class T>
void add_to_mapping(table_mapping<T>& m, check_t&& c) {
  m.checks.push_back(std::move(c));
}
}  // namespace detail

/// The table T is stored in, with its columns, table-level constraints
/// (primary_key_constraint, unique_constraint, index_on, check) and
/// relationships (relate/orm/relationship_mapping.hpp).
template <class T, class... Items>
table_mapping<T> table(std::string name, Items&&... items) {
  static_assert(
      (... && (std::is_same_v<std::decay_t<Items>, column_spec<T>> ||
               std::is_same_v<std::decay_t<Items>, detail::table_constraint<T>> ||
               std::is_same_v<std::decay_t<Items>, check_t> ||
               std::is_same_v<std::decay_t<Items>, relationship_spec<T>>)),
      "relate::orm::table<T>: every item must be a column(&T::member, ...) of this T, a table "
      "constraint (primary_key_constraint, unique_constraint, index_on, check) on T's members, or a "
      "relationship(&T::member, ...) of this T");
  table_mapping<T> m;
  m.name = std::move(name);
  (detail::add_to_mapping(m, std::decay_t<Items>(std::forward<Items>(items))), ...);
  return m;
}

}  // namespace relate::orm
