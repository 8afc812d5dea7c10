// SPDX-License-Identifier: MIT
// The one macro a driver's entry file needs: it defines the exported C entry
// point and a factory that turns any C++ exception into the C error buffer, so
// no exception ever crosses the plugin boundary.
#pragma once

#include <relate/plugin/abi.h>

#include <cstdio>
#include <exception>
#include <memory>

#if defined(_WIN32)
#define RELATE_PLUGIN_EXPORT extern "C" __declspec(dllexport)
#else
#define RELATE_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))
#endif

namespace relate::plugin::detail {

template <class Driver>
void* create_driver(char* error, size_t error_size) noexcept {
  try {
    return static_cast<void*>(static_cast<relate::driver*>(new Driver()));
  } catch (const std::exception& e) {
    std::snprintf(error, error_size, "%s", e.what());
  } catch (...) {
    std::snprintf(error, error_size, "unknown exception while creating the driver");
  }
  return nullptr;
}

}  // namespace relate::plugin::detail

/// Defines relate_plugin_entry for a driver class deriving from relate::driver.
/// `...` is the list of URL schemes the driver serves, as string literals.
#define RELATE_DEFINE_PLUGIN(DriverClass, name, version, ...)                      \
  RELATE_PLUGIN_EXPORT const relate_plugin_descriptor* relate_plugin_entry(void) { \
    static const char* const schemes[] = {__VA_ARGS__, nullptr};                   \
    static const relate_plugin_descriptor descriptor = {                           \
        RELATE_PLUGIN_ABI_VERSION,                                                 \
        sizeof(relate_plugin_descriptor),                                          \
        RELATE_PLUGIN_CXX_ABI,                                                     \
        RELATE_VERSION_STRING,                                                     \
        name,                                                                      \
        version,                                                                   \
        schemes,                                                                   \
        &::relate::plugin::detail::create_driver<DriverClass>};                    \
    return &descriptor;                                                            \
  }
