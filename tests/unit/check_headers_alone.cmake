# SPDX-License-Identifier: MIT
# Fails when a public header does not compile on its own: a user includes any
# one of them first, so each must include what it uses.  Each header is
# compiled alone with -fsyntax-only (nothing is generated or linked).
# Inputs: CXX_COMPILER, INCLUDE_DIRS and HEADER_ROOTS (folders, |-separated).
string(REPLACE "|" ";" INCLUDE_DIRS "${INCLUDE_DIRS}")
string(REPLACE "|" ";" HEADER_ROOTS "${HEADER_ROOTS}")
set(failed "")
set(count 0)
foreach(root IN LISTS HEADER_ROOTS)
  file(GLOB_RECURSE headers RELATIVE ${root} ${root}/relate/*.hpp ${root}/relate/*.h)
  foreach(header IN LISTS headers)
    math(EXPR count "${count} + 1")
    set(include_flags "")
    foreach(dir IN LISTS INCLUDE_DIRS)
      list(APPEND include_flags "-I${dir}")
    endforeach()
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/header_alone.cpp "#include <${header}>\n")
    execute_process(
      COMMAND ${CXX_COMPILER} -std=c++20 -fsyntax-only -Wall -Wextra ${include_flags}
              ${CMAKE_CURRENT_BINARY_DIR}/header_alone.cpp
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      string(APPEND failed "\n<${header}>:\n${err}")
    endif()
  endforeach()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no public headers found under ${HEADER_ROOTS}")
endif()
if(failed)
  message(FATAL_ERROR "public headers that do not compile on their own:${failed}")
endif()
message(STATUS "${count} public headers compile on their own")
