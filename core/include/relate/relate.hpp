// SPDX-License-Identifier: MIT
// Everything relate offers in one include: the engine (Core API), the typed
// SQL expression and statement builders, and the ORM.
#pragma once

#include <relate/engine.hpp>
#include <relate/error.hpp>
#include <relate/orm.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/statements.hpp>
#include <relate/types.hpp>
#include <relate/value.hpp>
#include <relate/version.hpp>
