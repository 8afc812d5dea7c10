# SPDX-License-Identifier: MIT
# Shared by the install tests (cmake -P scripts).

# Runs a command; fails the test with its output if it fails.  Sets `output`
# and `errors` (stdout, stderr) in the caller.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
  set(errors "${err}" PARENT_SCOPE)
endfunction()

# Runs a command that must fail; its output and error text land in `output`.
function(run_failing)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "should have failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

# A sanitized librelate needs a sanitized program to load it.
set(sanitize_flags "")
if(SANITIZE)
  set(sanitize_flags "-fsanitize=${SANITIZE}")
endif()

# Configures and builds the project in `source` into `build` with the test's
# compiler, generator and sanitizer flags, plus any extra -D arguments.
function(cmake_build source build)
  run(${CMAKE_COMMAND} -S ${source} -B ${build} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=${sanitize_flags}" "-DCMAKE_EXE_LINKER_FLAGS=${sanitize_flags}"
      "-DCMAKE_MODULE_LINKER_FLAGS=${sanitize_flags}" ${ARGN})
  run(${CMAKE_COMMAND} --build ${build})
endfunction()

# Checks the consumer's report: its row came back, and librelate and the
# driver plugin it mapped are both inside `folder`.
function(expect_row_and_libraries_from what output folder)
  message(STATUS "${what} said:\n${output}")
  if(NOT output MATCHES "row 1 installed")
    message(FATAL_ERROR "the ${what} did not read its row back")
  endif()
  file(REAL_PATH ${folder} real_folder)
  foreach(library plugin core)
    string(REGEX MATCHALL "${library}: [^\n]*" lines "${output}")
    if(NOT lines)
      message(FATAL_ERROR "the ${what} mapped no ${library} library")
    endif()
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^${library}: " "" path "${line}")
      cmake_path(IS_PREFIX real_folder "${path}" NORMALIZE inside)
      if(NOT inside)
        message(FATAL_ERROR "the ${what} loaded a ${library} library from '${path}', not from ${real_folder}")
      endif()
    endforeach()
  endforeach()
endfunction()
