# SPDX-License-Identifier: MIT
# Installs the build tree into a fresh prefix, then uses it as a user would:
# the consumer project built with find_package(relate) and with pkg-config
# (tests/install/pkg-config-build.sh, the README's commands), run with
# RELATE_PLUGIN_PATH unset, must load librelate and the SQLite plugin from the
# prefix; and a third-party driver (examples/driver) built against the prefix
# alone must be loaded by its own URL scheme.  Also: the consumer needs
# neither spdlog nor fmt (both are made unfindable), the installed library
# never falls back to the build tree's plugins, and the licence, soname and
# version a user and a packager see.
# Inputs: SOURCE_DIR, BUILD_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, SANITIZE,
# VERSION, SOVERSION.
set(prefix ${WORK_DIR}/prefix)
set(consumer_dir ${SOURCE_DIR}/tests/install/consumer)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/install_test_helpers.cmake)

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
file(GLOB_RECURSE config_file ${prefix}/relateConfig.cmake)
file(READ "${config_file}" config_text)
if(NOT config_text MATCHES "set\\(relate_LICENSE \"MIT\"\\)")
  message(FATAL_ERROR "the relate CMake package names no MIT licence (relate_LICENSE):\n${config_text}")
endif()
file(GLOB_RECURSE core_library ${prefix}/librelate.so)
run(readelf -d ${core_library})
if(NOT output MATCHES "Library soname: \\[librelate\\.so\\.${SOVERSION}\\]")
  message(FATAL_ERROR "the installed librelate's soname is not librelate.so.${SOVERSION}:\n${output}")
endif()

cmake_build(${consumer_dir} ${WORK_DIR}/consumer-build -DCMAKE_PREFIX_PATH=${prefix}
            -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON)
run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/my_app)
expect_row_and_libraries_from("find_package consumer" "${output}" ${prefix})
if(NOT output MATCHES "relate loaded: ${VERSION}, headers: ${VERSION}\n")
  message(FATAL_ERROR "the consumer did not report relate ${VERSION} loaded and compiled against")
endif()

# The installed library never searches the build tree: with the installed
# SQLite plugin gone, the one still in the build tree is not used, and an
# unknown scheme scans the installed folders only.
file(REAL_PATH ${BUILD_DIR} real_build_dir)
file(GLOB_RECURSE installed_plugin ${prefix}/librelate_driver_sqlite.so)
file(RENAME ${installed_plugin} ${WORK_DIR}/librelate_driver_sqlite.so.moved)
run_failing(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/my_app)
if(output MATCHES "plugin: " OR NOT output MATCHES "URL scheme 'sqlite'")
  message(FATAL_ERROR "without its installed plugin, the consumer still opened an SQLite plugin:\n${output}")
endif()
file(RENAME ${WORK_DIR}/librelate_driver_sqlite.so.moved ${installed_plugin})
run_failing(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/my_app nosuchdb://host/db)
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

# The same program built with nothing but what pkg-config says, and run
# without LD_LIBRARY_PATH: the rpath the README's command adds finds librelate.
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
file(COPY ${consumer_dir}/main.cpp DESTINATION ${WORK_DIR}/pkg-config)
run(${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} CXX=${CXX_COMPILER} "CXXFLAGS=${sanitize_flags}"
    bash ${SOURCE_DIR}/tests/install/pkg-config-build.sh ${WORK_DIR}/pkg-config)
run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH --unset=LD_LIBRARY_PATH ${WORK_DIR}/pkg-config/my_app)
expect_row_and_libraries_from("pkg-config consumer" "${output}" ${prefix})

# A third-party driver built against the installed tree only, found through
# RELATE_PLUGIN_PATH and loaded for its own scheme; it wraps the installed
# SQLite driver and writes each statement to stderr.
cmake_build(${SOURCE_DIR}/examples/driver ${WORK_DIR}/driver-build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} -E env RELATE_PLUGIN_PATH=${WORK_DIR}/driver-build ${WORK_DIR}/consumer-build/my_app logging://)
if(NOT output MATCHES "row 1 installed")
  message(FATAL_ERROR "the consumer did not read its row back through the logging driver:\n${output}")
endif()
if(NOT errors MATCHES "logging driver: CREATE TEMPORARY TABLE notes")
  message(FATAL_ERROR "the logging driver did not log the statements:\n${errors}")
endif()
if(NOT output MATCHES "plugin: [^\n]*/driver-build/librelate_driver_logging.so")
  message(FATAL_ERROR "the logging driver was not loaded from its build folder:\n${output}")
endif()
