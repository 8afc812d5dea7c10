// SPDX-License-Identifier: MIT
#include "wrapped_plugin.hpp"

#include <relate/plugin/abi.h>
#include <relate/error.hpp>

#include <dlfcn.h>

#include <cstring>
#include <string>

namespace logging_driver {
namespace {

[[noreturn]] void fail(relate::plugin_error::reason why, const std::string& message) {
  throw relate::plugin_error(why, "logging driver: " + message);
}

}  // namespace

std::unique_ptr<relate::driver> open_wrapped_driver(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr)
    fail(relate::plugin_error::reason::open_failed, "cannot open " + path + ": " + ::dlerror());
  auto entry = reinterpret_cast<relate_plugin_entry_fn>(::dlsym(handle, RELATE_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr)
    fail(relate::plugin_error::reason::entry_missing, path + " has no " RELATE_PLUGIN_ENTRY_SYMBOL);
  const relate_plugin_descriptor* descriptor = entry();
  if (descriptor->abi_version != RELATE_PLUGIN_ABI_VERSION)
    fail(relate::plugin_error::reason::abi_mismatch,
         path + " has plugin ABI version " + std::to_string(descriptor->abi_version) + ", expected " +
             std::to_string(RELATE_PLUGIN_ABI_VERSION));
  if (std::strcmp(descriptor->cxx_abi, RELATE_PLUGIN_CXX_ABI) != 0)
    fail(relate::plugin_error::reason::abi_mismatch, path + " was built for " + descriptor->cxx_abi);
  char error[512] = {};
  void* created = descriptor->create(error, sizeof error);
  if (created == nullptr)
    fail(relate::plugin_error::reason::factory_failed, path + " failed to create its driver: " + error);
  return std::unique_ptr<relate::driver>(static_cast<relate::driver*>(created));
}

}  // namespace logging_driver
