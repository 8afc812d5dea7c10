# SPDX-License-Identifier: MIT
# Runs relate-bench at --scale 0.01 on one backend with --json and checks the
# output has an object for every workload with every key issue 6 names, and
# that no side failed.  No timing is checked: this is a smoke test.
#
#   cmake -DBENCH=path/to/relate-bench -DBACKEND=sqlite|postgresql -P run_smoke.cmake
cmake_minimum_required(VERSION 3.25)

set(workloads W1_insert W2_scan W2_stream W2_all W3_lazy W3_selectin W3_joined W4_get W4_get_autocommit W4_get_read_only W4b_get_one_session
              W5_update W6_delete)
# Workloads only PostgreSQL has a raw side for.
if(BACKEND STREQUAL "postgresql")
  list(APPEND workloads W1_insert_copy)
endif()
set(keys workload backend relate_s raw_s ratio statements peak_rss_kb)

if(BACKEND STREQUAL "postgresql")
  if("$ENV{RELATE_BENCH_POSTGRES_URL}" STREQUAL "")
    if(NOT "$ENV{RELATE_TEST_POSTGRES_URL}" STREQUAL "")
      set(ENV{RELATE_BENCH_POSTGRES_URL} "$ENV{RELATE_TEST_POSTGRES_URL}")
    elseif("$ENV{CI}" STREQUAL "true")
      message(FATAL_ERROR "CI=true but neither RELATE_BENCH_POSTGRES_URL nor RELATE_TEST_POSTGRES_URL is set")
    else()
      message("relate-bench smoke test skipped: set RELATE_TEST_POSTGRES_URL (or use scripts/with-postgres.sh)")
      return()
    endif()
  endif()
endif()

execute_process(
  COMMAND ${BENCH} --backend ${BACKEND} --scale 0.01 --repetitions 1 --warmup 0 --json --quiet
  OUTPUT_VARIABLE json
  ERROR_VARIABLE table
  RESULT_VARIABLE status)
message("${table}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "relate-bench exited with ${status}")
endif()

string(JSON count ERROR_VARIABLE problem LENGTH "${json}")
if(problem)
  message(FATAL_ERROR "relate-bench --json did not print a JSON array: ${problem}\n${json}")
endif()
set(seen "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  foreach(key IN LISTS keys)
    string(JSON type ERROR_VARIABLE problem TYPE "${json}" ${i} ${key})
    if(problem)
      message(FATAL_ERROR "object ${i} has no key \"${key}\": ${problem}")
    endif()
  endforeach()
  string(JSON name GET "${json}" ${i} workload)
  string(JSON backend GET "${json}" ${i} backend)
  if(NOT backend STREQUAL BACKEND)
    message(FATAL_ERROR "${name}: backend is \"${backend}\", not ${BACKEND}")
  endif()
  string(JSON error_type TYPE "${json}" ${i} error)
  if(NOT error_type STREQUAL "NULL")
    string(JSON error GET "${json}" ${i} error)
    message(FATAL_ERROR "${name}: ${error}")
  endif()
  # Numbers where a side ran; a relate side not built yet is null, with a note saying why.
  foreach(key raw_s)
    string(JSON type TYPE "${json}" ${i} ${key})
    if(NOT type STREQUAL "NUMBER")
      message(FATAL_ERROR "${name}: ${key} is ${type}, not a number")
    endif()
  endforeach()
  string(JSON type TYPE "${json}" ${i} relate_s)
  if(NOT type STREQUAL "NUMBER")
    string(JSON note GET "${json}" ${i} note)
    if(note STREQUAL "")
      message(FATAL_ERROR "${name}: relate_s is ${type} and no note says why")
    endif()
  endif()
  list(APPEND seen ${name})
endforeach()
foreach(w IN LISTS workloads)
  if(NOT w IN_LIST seen)
    message(FATAL_ERROR "no result for workload ${w} (got: ${seen})")
  endif()
endforeach()
message(STATUS "relate-bench smoke test (${BACKEND}): ${count} workloads, every key present")
