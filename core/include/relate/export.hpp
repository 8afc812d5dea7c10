// SPDX-License-Identifier: MIT
// RELATE_API marks what librelate.so exports.  The library is built with
// hidden visibility, so only classes and functions carrying this macro are
// visible to programs and driver plugins; everything else (the detail
// namespaces, the fmt and spdlog code compiled in) stays inside the library.
// Templates and inline functions in the headers need no mark: they are
// compiled into the program that uses them.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define RELATE_API __attribute__((visibility("default")))
#else
#define RELATE_API
#endif
