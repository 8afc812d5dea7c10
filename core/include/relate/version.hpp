// SPDX-License-Identifier: MIT
// relate's version: the macros (from the generated relate/version.h) say
// which headers a program was compiled against, relate::version() which
// library it actually loaded.  The two differ when a program runs against
// another librelate than the one it was built with.
#pragma once

#include <relate/version.h>
#include <relate/export.hpp>

namespace relate {

/// A release of relate, as numbers and as text ("0.1.0").
struct version_info {
  int major;
  int minor;
  int patch;
  const char* text;
};

/// The version of the librelate.so this process loaded (not of the headers).
RELATE_API version_info version() noexcept;

}  // namespace relate
