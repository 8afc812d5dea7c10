// SPDX-License-Identifier: MIT
// Peak resident memory of this process, resettable so that one workload's
// peak can be read on its own.
//
// Linux keeps the high-water mark of the resident set (VmHWM in
// /proc/self/status); writing "5" to /proc/self/clear_refs resets it to the
// current RSS (Linux >= 4.0).  The runner also runs every measured side in a
// forked child, so what an earlier workload allocated (and malloc kept) does
// not count for the next one.
#pragma once

namespace relate_bench {

/// Resets the peak to the current RSS; false if the kernel does not allow it
/// (the peak then covers the whole child process, setup included).
bool reset_peak_rss();
/// VmHWM in kB (getrusage's ru_maxrss where /proc is unreadable).
long peak_rss_kb();
/// VmRSS in kB, 0 if unknown.
long current_rss_kb();

}  // namespace relate_bench
