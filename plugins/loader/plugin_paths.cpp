// The folders the loader searches, in order (see plugin_loader.hpp).
#include "plugin_loader.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

namespace relate::detail {

namespace {

// Any object inside librelate.so: dladdr on it names the library's file.
const int core_anchor = 0;

void add_unique(std::vector<std::string>& paths, const std::string& folder) {
  if (folder.empty()) return;
  auto normal = std::filesystem::path(folder).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  for (const auto& p : paths)
    if (p == normal) return;
  paths.push_back(std::move(normal));
}

}  // namespace

std::string core_library_folder() {
  Dl_info info{};
  if (dladdr(&core_anchor, &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code ec;
  auto file = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) file = info.dli_fname;
  return file.parent_path().string();
}

std::vector<std::string> default_plugin_search_paths() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("RELATE_PLUGIN_PATH")) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      add_unique(paths, std::string(rest.substr(0, colon)));
      rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    }
  }
  if (const auto folder = core_library_folder(); !folder.empty())
    add_unique(paths, folder + "/relate/plugins");
  add_unique(paths, RELATE_PLUGIN_BUILD_DIR);
  add_unique(paths, RELATE_PLUGIN_INSTALL_DIR);
  return paths;
}

}  // namespace relate::detail
