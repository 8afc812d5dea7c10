# SPDX-License-Identifier: MIT
# Runs one documentation snippet in a fresh folder and compares what it prints
# with its .out file (when there is one).  On PostgreSQL it takes the server
# from RELATE_TEST_POSTGRES_URL: without one the test is skipped, or
# fails when CI=true, as the other PostgreSQL tests do.
# Inputs: PROGRAM, BACKEND (sqlite|postgresql), EXPECTED, WORK_DIR.
set(args "")
if(BACKEND STREQUAL "postgresql")
  if("$ENV{RELATE_TEST_POSTGRES_URL}" STREQUAL "")
    if("$ENV{CI}" STREQUAL "true")
      message(FATAL_ERROR "CI=true but RELATE_TEST_POSTGRES_URL is not set (run through scripts/with-postgres.sh)")
    endif()
    message("skipped: RELATE_TEST_POSTGRES_URL is not set")  # SKIP_REGULAR_EXPRESSION
    return()
  endif()
  set(args "$ENV{RELATE_TEST_POSTGRES_URL}")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${PROGRAM} ${args} WORKING_DIRECTORY ${WORK_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed (${rc}):\n${out}\n${err}")
endif()
if(EXISTS ${EXPECTED})
  file(READ ${EXPECTED} expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${PROGRAM} printed:\n${out}\ninstead of (${EXPECTED}):\n${expected}")
  endif()
endif()
