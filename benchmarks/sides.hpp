// SPDX-License-Identifier: MIT
// The sides of every workload: relate (relate_side.cpp, and
// relate_relationships.cpp once the relationship API exists), raw sqlite3
// (raw_sqlite.cpp) and raw libpq (raw_postgresql.cpp).  What each workload
// is, and what "the same work" means for it, is written in catalog.cpp.
#pragma once

#include "workload.hpp"

namespace relate_bench {

namespace relate_side {
void w1_insert_without_relationships(const bench_context&, measurement&);
void w2_scan(const bench_context&, measurement&);
void w2_stream(const bench_context&, measurement&);
void w2_all(const bench_context&, measurement&);
void w3_lazy_manual(const bench_context&, measurement&);
void w3_selectin_manual(const bench_context&, measurement&);
void w4_get(const bench_context&, measurement&);
void w4_get_read_only(const bench_context&, measurement&);
void w4b_get_one_session(const bench_context&, measurement&);
void w5_update(const bench_context&, measurement&);
void w6_delete(const bench_context&, measurement&);
#if RELATE_BENCH_RELATIONSHIPS
// relate_relationships.cpp: through relate::many / relate::one and the loader options.
void w1_insert(const bench_context&, measurement&);
void w3_lazy(const bench_context&, measurement&);
void w3_selectin(const bench_context&, measurement&);
void w3_joined(const bench_context&, measurement&);
#endif
}  // namespace relate_side

namespace raw_sqlite {
void w1_insert(const bench_context&, measurement&);
void w2_scan(const bench_context&, measurement&);
void w2_all(const bench_context&, measurement&);
void w3_lazy(const bench_context&, measurement&);
void w3_selectin(const bench_context&, measurement&);
void w3_joined(const bench_context&, measurement&);
void w4_get(const bench_context&, measurement&);
void w4_get_autocommit(const bench_context&, measurement&);
void w4b_get_one_transaction(const bench_context&, measurement&);
void w5_update(const bench_context&, measurement&);
void w6_delete(const bench_context&, measurement&);
}  // namespace raw_sqlite

namespace raw_postgresql {
void w1_insert(const bench_context&, measurement&);
void w1_insert_copy(const bench_context&, measurement&);
void w2_scan(const bench_context&, measurement&);
void w2_all(const bench_context&, measurement&);
void w3_lazy(const bench_context&, measurement&);
void w3_selectin(const bench_context&, measurement&);
void w3_joined(const bench_context&, measurement&);
void w4_get(const bench_context&, measurement&);
void w4_get_autocommit(const bench_context&, measurement&);
void w4b_get_one_transaction(const bench_context&, measurement&);
void w5_update(const bench_context&, measurement&);
void w6_delete(const bench_context&, measurement&);
}  // namespace raw_postgresql

}  // namespace relate_bench
