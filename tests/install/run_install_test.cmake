# Installs the build tree into a fresh prefix, builds the consumer project
# against it with find_package(relate), runs it with RELATE_PLUGIN_PATH unset
# and checks that the SQLite plugin and librelate came from the prefix.
# Inputs: BUILD_DIR, CONSUMER_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, SANITIZE.
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(expected include/relate/engine.hpp include/relate/plugin/abi.h relateConfig.cmake
        relateConfigVersion.cmake relateTargets.cmake relate.pc librelate.so relate/plugins/librelate_driver_sqlite.so)
  string(REGEX REPLACE "([.+])" "\\\\\\1" pattern "${expected}")
  set(found FALSE)
  foreach(file IN LISTS installed)
    if(file MATCHES "(^|/)${pattern}$")
      set(found TRUE)
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "'${expected}' was not installed under ${prefix}")
  endif()
endforeach()

# A sanitized librelate needs a sanitized program to load it.
set(flags "")
if(SANITIZE)
  set(flags "-fsanitize=${SANITIZE}")
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/consumer-build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug
    "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build)
run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/consumer)
message(STATUS "consumer said:\n${output}")

if(NOT output MATCHES "row 1 installed")
  message(FATAL_ERROR "the consumer did not read its row back")
endif()
file(REAL_PATH ${prefix} real_prefix)
string(REGEX MATCH "plugin: ([^\n]*)" _ "${output}")
set(plugin "${CMAKE_MATCH_1}")
string(REGEX MATCH "core: ([^\n]*)" _ "${output}")
set(core "${CMAKE_MATCH_1}")
foreach(loaded plugin core)
  cmake_path(IS_PREFIX real_prefix "${${loaded}}" NORMALIZE inside)
  if(NOT inside)
    message(FATAL_ERROR "the ${loaded} library was loaded from '${${loaded}}', not from the install prefix ${real_prefix}")
  endif()
endforeach()

# The same program built with nothing but what pkg-config says.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  file(GLOB_RECURSE pc_file ${prefix}/relate.pc)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  run(${PKG_CONFIG} --cflags --libs relate)
  separate_arguments(pc_flags UNIX_COMMAND "${output}")
  run(${PKG_CONFIG} --variable=plugindir relate)
  string(STRIP "${output}" plugindir)
  run(${PKG_CONFIG} --variable=libdir relate)
  string(STRIP "${output}" libdir)
  run(${CXX_COMPILER} -std=c++20 ${flags} "-DRELATE_EXPECTED_PLUGIN_DIR=\"${plugindir}\"" ${CONSUMER_DIR}/main.cpp
      ${pc_flags} -o ${WORK_DIR}/consumer-pkg-config)
  run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH LD_LIBRARY_PATH=${libdir} ${WORK_DIR}/consumer-pkg-config)
  if(NOT output MATCHES "row 1 installed")
    message(FATAL_ERROR "the pkg-config consumer did not read its row back:\n${output}")
  endif()
endif()
