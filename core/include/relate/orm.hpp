// SPDX-License-Identifier: MIT
// relate's ORM in one include: mapping, metadata, session and queries, with
// the names users type most often re-exported into namespace relate
// (relate::session, relate::metadata, relate::col, relate::desc, ...).
#pragma once

#include <relate/orm/instance.hpp>
#include <relate/orm/loading.hpp>
#include <relate/orm/mapper.hpp>
#include <relate/orm/mapping.hpp>
#include <relate/orm/metadata.hpp>
#include <relate/orm/query.hpp>
#include <relate/orm/relationship.hpp>
#include <relate/orm/relationship_mapping.hpp>
#include <relate/orm/run_transaction.hpp>
#include <relate/orm/session.hpp>

namespace relate {

using orm::collect_detached;
using orm::metadata;
using orm::object_status;
using orm::session;
using orm::session_options;
// Ordering and column expressions: for members (orm) and for any expression (sql).
using orm::asc;
using orm::col;
using orm::desc;
using sql::asc;
using sql::desc;

}  // namespace relate
