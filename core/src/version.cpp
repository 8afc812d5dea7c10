// SPDX-License-Identifier: MIT
// The version compiled into the library, so that relate::version() tells the
// library a program loaded, whatever headers the program was built with.
#include <relate/version.hpp>

namespace relate {

version_info version() noexcept {
  return {RELATE_VERSION_MAJOR, RELATE_VERSION_MINOR, RELATE_VERSION_PATCH, RELATE_VERSION_STRING};
}

}  // namespace relate
