// SPDX-License-Identifier: MIT
// One deliberately broken plugin per build: BROKEN_NAME is its driver name
// and scheme, and one BROKEN_* macro picks the defect the loader must catch
// (and report) before it trusts the module.
// Only the C contract: a broken plugin needs nothing from core.
#include <relate/plugin/abi.h>

#include <cstdio>
#include <stdexcept>

namespace {

[[maybe_unused]] void* refuse(char* error, size_t size) {
  std::snprintf(error, size, "%s", "the license server is unreachable");
  return nullptr;
}

[[maybe_unused]] void* explode(char*, size_t) { throw std::runtime_error("factory exploded"); }

// Not even a std::exception: the loader must not let it through as one its caller cannot catch.
[[maybe_unused]] void* throw_int(char*, size_t) { throw 42; }

const char* const schemes[] = {BROKEN_NAME, nullptr};

#if defined(BROKEN_WRONG_ABI)
constexpr uint32_t abi = RELATE_PLUGIN_ABI_VERSION + 41;
#elif defined(BROKEN_OLD_ABI)
constexpr uint32_t abi = 3;  // before the descriptor recorded the relate release
#else
constexpr uint32_t abi = RELATE_PLUGIN_ABI_VERSION;
#endif

#if defined(BROKEN_WRONG_ABI)
constexpr const char* relate_version = "41.0.0";
#else
constexpr const char* relate_version = RELATE_VERSION_STRING;
#endif

#if defined(BROKEN_SHORT_DESCRIPTOR)
constexpr uint32_t size = 8;
#else
constexpr uint32_t size = sizeof(relate_plugin_descriptor);
#endif

#if defined(BROKEN_WRONG_CXX_ABI)
constexpr const char* cxx_abi = "libc++-from-another-planet";
#else
constexpr const char* cxx_abi = RELATE_PLUGIN_CXX_ABI;
#endif

#if defined(BROKEN_FACTORY_THROWS)
constexpr relate_plugin_factory factory = &explode;
#elif defined(BROKEN_FACTORY_THROWS_NON_STD)
constexpr relate_plugin_factory factory = &throw_int;
#else
constexpr relate_plugin_factory factory = &refuse;
#endif

const relate_plugin_descriptor descriptor = {abi,         size, cxx_abi, relate_version,
                                             BROKEN_NAME, "0",  schemes, factory};

}  // namespace

#if defined(BROKEN_NO_ENTRY)
// Exported, but under the wrong name: dlsym must not find the entry point.
extern "C" __attribute__((visibility("default"))) const relate_plugin_descriptor* relate_plugin_entry_typo(
    void) {
  return &descriptor;
}
#else
extern "C" __attribute__((visibility("default"))) const relate_plugin_descriptor* relate_plugin_entry(void) {
  return &descriptor;
}
#endif
