// SPDX-License-Identifier: MIT
// The column types beyond the scalars relate::value holds, each in its own
// header of relate/types/: relate::uuid, relate::json, relate::time_of_day,
// relate::timestamp_tz, C++ enums stored by label, and PostgreSQL arrays
// (std::vector of a scalar).  Durations (std::chrono::duration) are
// INTERVAL columns without a header of their own.  Types of your own:
// relate/type_conversion.hpp.
#pragma once

#include <relate/type_conversion.hpp>
#include <relate/types/array.hpp>
#include <relate/types/enumeration.hpp>
#include <relate/types/json.hpp>
#include <relate/types/time_of_day.hpp>
#include <relate/types/timestamp_tz.hpp>
#include <relate/types/uuid.hpp>
