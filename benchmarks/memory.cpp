// SPDX-License-Identifier: MIT
#include "memory.hpp"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace relate_bench {
namespace {

// A "Name:   1234 kB" line of /proc/self/status, or -1.
long status_field_kb(const char* name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(name) + ":";
  while (std::getline(status, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

}  // namespace

bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

long peak_rss_kb() {
  if (const long hwm = status_field_kb("VmHWM"); hwm >= 0) return hwm;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kB on Linux
}

long current_rss_kb() {
  const long rss = status_field_kb("VmRSS");
  return rss < 0 ? 0 : rss;
}

}  // namespace relate_bench
