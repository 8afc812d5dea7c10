# SPDX-License-Identifier: MIT
# Fails when a public header does not compile on its own: a user includes any
# one of them first, so each must include what it uses.  Each header is
# compiled alone with -fsyntax-only (nothing is generated or linked).
# Inputs: CXX_COMPILER, INCLUDE_DIRS and HEADER_ROOTS (folders, |-separated);
# SHARD and SHARDS: this run checks the headers whose place in the sorted list,
# modulo SHARDS, is SHARD (default: all of them).
string(REPLACE "|" ";" INCLUDE_DIRS "${INCLUDE_DIRS}")
string(REPLACE "|" ";" HEADER_ROOTS "${HEADER_ROOTS}")
if(NOT DEFINED SHARDS)
  set(SHARDS 1)
  set(SHARD 0)
endif()
set(failed "")
set(count 0)
set(seen 0)
foreach(root IN LISTS HEADER_ROOTS)
  file(GLOB_RECURSE headers RELATIVE ${root} ${root}/relate/*.hpp ${root}/relate/*.h)
  list(SORT headers)
  foreach(header IN LISTS headers)
    math(EXPR place "${seen} % ${SHARDS}")
    math(EXPR seen "${seen} + 1")
    if(NOT place EQUAL SHARD)
      continue()
    endif()
    math(EXPR count "${count} + 1")
    set(include_flags "")
    foreach(dir IN LISTS INCLUDE_DIRS)
      list(APPEND include_flags "-I${dir}")
    endforeach()
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/header_alone_${SHARD}.cpp "#include <${header}>\n")
    execute_process(
      COMMAND ${CXX_COMPILER} -std=c++20 -fsyntax-only -Wall -Wextra ${include_flags}
              ${CMAKE_CURRENT_BINARY_DIR}/header_alone_${SHARD}.cpp
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
message(STATUS "${count} public headers (shard ${SHARD} of ${SHARDS}) compile on their own")
