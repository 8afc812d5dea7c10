# SPDX-License-Identifier: MIT
# relate::compiler_options carries the warning set and the sanitizer switches.
# Every target of the project links it, so one cache variable (RELATE_SANITIZE)
# instruments the whole build, plugins included.
add_library(relate_compiler_options INTERFACE)
add_library(relate::compiler_options ALIAS relate_compiler_options)
target_compile_options(relate_compiler_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>)
if(RELATE_SANITIZE)
  target_compile_options(relate_compiler_options INTERFACE
    -fsanitize=${RELATE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(relate_compiler_options INTERFACE -fsanitize=${RELATE_SANITIZE})
endif()
# A fuzzing build instruments everything for libFuzzer's coverage feedback;
# only the fuzz targets themselves link libFuzzer (fuzz/CMakeLists.txt).
if(RELATE_FUZZ)
  target_compile_options(relate_compiler_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
