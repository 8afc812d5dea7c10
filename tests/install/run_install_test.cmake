# Installs the build tree into a fresh prefix, then uses it as a user would:
# the consumer project built with find_package(relate) and with pkg-config
# (tests/install/pkg-config-build.sh, the README's commands), run with
# RELATE_PLUGIN_PATH unset, must load librelate and the SQLite plugin from the
# prefix; and a third-party driver (examples/driver) built against the prefix
# alone must be loaded by its own URL scheme.
# Inputs: SOURCE_DIR, BUILD_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, SANITIZE.
set(prefix ${WORK_DIR}/prefix)
set(consumer_dir ${SOURCE_DIR}/tests/install/consumer)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/install_test_helpers.cmake)

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

cmake_build(${consumer_dir} ${WORK_DIR}/consumer-build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/consumer-build/my_app)
expect_row_and_libraries_from("find_package consumer" "${output}" ${prefix})

# The same program built with nothing but what pkg-config says, and run
# without LD_LIBRARY_PATH: the rpath the README's command adds finds librelate.
file(GLOB_RECURSE pc_file ${prefix}/relate.pc)
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
