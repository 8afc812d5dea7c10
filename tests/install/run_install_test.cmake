# Installs the build tree into a fresh prefix, builds the consumer project
# against it with find_package(relate) (with spdlog and fmt unfindable: a
# consumer that does not log needs neither), runs it with RELATE_PLUGIN_PATH
# unset and checks that the SQLite plugin and librelate came from the prefix,
# that the installed library never falls back to the build tree's plugins,
# and the licence, soname and version a user sees.
# Inputs: BUILD_DIR, CONSUMER_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, SANITIZE,
# VERSION, SOVERSION.
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

# Runs a command that must fail; its output and error text land in `output`.
function(run_failing)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "should have failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(expected include/relate/engine.hpp include/relate/plugin/abi.h include/relate/version.h
        include/relate/version.hpp share/doc/relate/LICENSE relateConfig.cmake
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

# The licence and the soname a packager reads.
file(GLOB_RECURSE pc_file ${prefix}/relate.pc)
file(READ "${pc_file}" pc_text)
if(NOT pc_text MATCHES "\nLicense: MIT\n")
  message(FATAL_ERROR "relate.pc names no MIT licence:\n${pc_text}")
endif()
if(pc_text MATCHES "spdlog|fmt")
  message(FATAL_ERROR "relate.pc requires spdlog or fmt, which only the library itself uses:\n${pc_text}")
endif()
file(GLOB_RECURSE core_library ${prefix}/librelate.so)
run(readelf -d ${core_library})
if(NOT output MATCHES "Library soname: \\[librelate\\.so\\.${SOVERSION}\\]")
  message(FATAL_ERROR "the installed librelate's soname is not librelate.so.${SOVERSION}:\n${output}")
endif()

# A sanitized librelate needs a sanitized program to load it.
set(flags "")
if(SANITIZE)
  set(flags "-fsanitize=${SANITIZE}")
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/consumer-build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug
    -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON
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
if(NOT output MATCHES "relate loaded: ${VERSION}, headers: ${VERSION}\n")
  message(FATAL_ERROR "the consumer did not report relate ${VERSION} loaded and compiled against")
endif()

# The installed library never searches the build tree: with the installed
# SQLite plugin gone, the one still in the build tree is not used, and an
# unknown scheme scans the installed folders only.
file(REAL_PATH ${BUILD_DIR} real_build_dir)
file(GLOB_RECURSE installed_plugin ${prefix}/librelate_driver_sqlite.so)
file(RENAME ${installed_plugin} ${WORK_DIR}/librelate_driver_sqlite.so.moved)
run_failing(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/consumer)
if(output MATCHES "plugin: " OR NOT output MATCHES "URL scheme 'sqlite'")
  message(FATAL_ERROR "without its installed plugin, the consumer still opened an SQLite plugin:\n${output}")
endif()
file(RENAME ${WORK_DIR}/librelate_driver_sqlite.so.moved ${installed_plugin})
run_failing(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/consumer nosuchdb://host/db)
get_filename_component(installed_plugin_dir "${installed_plugin}" DIRECTORY)
string(FIND "${output}" "${installed_plugin_dir}" at)
if(NOT output MATCHES "unknown URL scheme 'nosuchdb'" OR at EQUAL -1)
  message(FATAL_ERROR "an unknown scheme was not reported with the installed plugin folder:\n${output}")
endif()
# (The prefix itself is inside the build folder, so look for its plugin folder.)
foreach(build_plugins "${BUILD_DIR}/lib/relate/plugins" "${real_build_dir}/lib/relate/plugins")
  string(FIND "${output}" "${build_plugins}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the installed library searched the build tree's ${build_plugins}:\n${output}")
  endif()
endforeach()

# The same program built with nothing but what pkg-config says.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
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
