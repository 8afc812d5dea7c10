# SPDX-License-Identifier: MIT
# relate's version, in one place: the generated relate/version.h, the
# soname, and what CMake and pkg-config report all come from project(VERSION).
#
# The soname changes whenever the ABI may change: in 0.x every minor release
# may break it, so it carries major.minor (librelate.so.0.1), matching the
# package version file's SameMinorVersion; from 1.0 on, the major alone.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(RELATE_SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
  set(RELATE_VERSION_COMPATIBILITY SameMinorVersion)
else()
  set(RELATE_SOVERSION "${PROJECT_VERSION_MAJOR}")
  set(RELATE_VERSION_COMPATIBILITY SameMajorVersion)
endif()

set(RELATE_GENERATED_INCLUDE_DIR "${PROJECT_BINARY_DIR}/generated/include")
configure_file("${CMAKE_CURRENT_LIST_DIR}/version.h.in" "${RELATE_GENERATED_INCLUDE_DIR}/relate/version.h" @ONLY)
