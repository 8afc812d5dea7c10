// SPDX-License-Identifier: MIT
// Prints whether the process runs in secure mode (setuid/setgid) and the
// folders relate would search for plugins, one per line: the setgid test runs
// a setgid copy of it to check that RELATE_PLUGIN_PATH is ignored there.
#include <relate/engine.hpp>

#include <sys/auxv.h>

#include <iostream>

int main() {
  std::cout << "secure: " << getauxval(AT_SECURE) << '\n';
  for (const auto& folder : relate::plugin_search_path()) std::cout << folder << '\n';
}
