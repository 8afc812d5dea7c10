// SPDX-License-Identifier: MIT
// relate::value <-> PostgreSQL wire representations.
//
// Parameters go out in text format (blobs in binary, so NUL bytes need no
// escaping) with a type OID chosen as PostgreSQL types a literal of the same
// value; results come back in text format and are decoded here by the
// column's type OID.
#pragma once

#include <relate/value.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace relate::postgresql {

/// The built-in type OIDs the driver knows (catalog/pg_type.h; libpq-dev does
/// not ship that header, and these numbers are fixed by PostgreSQL).
namespace oid {
inline constexpr Oid unspecified = 0;  // let the server infer the type from the context
inline constexpr Oid boolean = 16;
inline constexpr Oid bytea = 17;
inline constexpr Oid int8 = 20;
inline constexpr Oid int2 = 21;
inline constexpr Oid int4 = 23;
inline constexpr Oid text = 25;
inline constexpr Oid oid = 26;
inline constexpr Oid float4 = 700;
inline constexpr Oid float8 = 701;
inline constexpr Oid date = 1082;
inline constexpr Oid timestamp = 1114;
inline constexpr Oid timestamptz = 1184;
inline constexpr Oid time = 1083;
inline constexpr Oid interval = 1186;
inline constexpr Oid numeric = 1700;
inline constexpr Oid uuid = 2950;
inline constexpr Oid json = 114;
inline constexpr Oid jsonb = 3802;
}  // namespace oid

/// Parameters ready for PQexecPrepared.  The pointers refer into this object
/// and into the values it was built from: both must outlive the call.
struct wire_params {
  std::vector<Oid> types;
  std::vector<std::string> text;  // text-format representations, by parameter index
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;  // 0 text, 1 binary

  int count() const noexcept { return static_cast<int>(values.size()); }
};

/// Encodes params.  Type choices (why): bool is sent as boolean (an untyped
/// "true" would not compare with a boolean column in every context); integers
/// as int4 when they fit, else int8, as PostgreSQL types integer literals
/// (int8 for small values would not resolve functions taking int4); doubles
/// as float8 ("NaN", "Infinity", "-0" included); blobs as binary bytea;
/// timestamps and dates as timestamp/date text in UTC; intervals as
/// interval text in microseconds; text and NULL
/// untyped, so the server infers them from the context as it does for a
/// quoted literal.
///
/// Text parameters travel as C strings, which a NUL byte would cut short
/// (and PostgreSQL text cannot hold NUL anyway): such a value is refused with
/// a data_error naming the parameter and `sql`, never sent truncated.
///
/// More than max_parameters values is a programming_error, and a text or blob
/// value of 1 GB or more a data_error, both before anything is sent (libpq and
/// the server would fail with no SQLSTATE, or drop the connection).
wire_params encode_params(std::span<const value> params, std::string_view sql = {});

/// Bound parameters one statement may have: the protocol's 16-bit count.
inline constexpr std::size_t max_parameters = 65535;

/// The SQL name of a built-in type ("bytea", "bigint"), or "oid N" for others.
std::string type_name(Oid type);

/// The kind of value a column of type `type` holds (numeric is text: exact).
value_kind kind_of_type(Oid type) noexcept;

std::string format_double(double d);
std::optional<double> parse_double(std::string_view text) noexcept;
std::optional<std::int64_t> parse_int64(std::string_view text) noexcept;
/// "t"/"f" (PostgreSQL's output) and "true"/"false"/"1"/"0".
std::optional<bool> parse_bool(std::string_view text) noexcept;
/// bytea text output: hex ("\x0001ff") or the older escape format.
std::optional<blob> decode_bytea(std::string_view text);
/// interval text output in IntervalStyle 'postgres' ("1 year 2 mons -3 days
/// 04:05:06.789"), as microseconds.  A month counts 30 days and a year 365.25
/// days, as PostgreSQL's own EXTRACT(EPOCH FROM ...) counts them.
std::optional<interval> parse_interval(std::string_view text) noexcept;
/// An interval as input text PostgreSQL reads exactly ("-90061000001 microseconds").
std::string format_interval(interval i);

}  // namespace relate::postgresql
