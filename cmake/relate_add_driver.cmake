# SPDX-License-Identifier: MIT
# relate_add_driver(<name> SOURCES ... LIBRARIES ...)
#
# Builds a driver as a MODULE library named relate_driver_<name> (the file name
# the plugin loader looks for), places it in the build tree's plugin folder and
# installs it into <libdir>/relate/plugins.  Third-party drivers can copy this
# function: nothing in it is private to relate.
function(relate_add_driver name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target relate_driver_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE relate::core relate::plugin_api relate::compiler_options ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY "${RELATE_PLUGIN_BUILD_DIR}"
    INSTALL_RPATH "$ORIGIN/../..")
  if(RELATE_INSTALL)
    # One component per driver: each is its own Debian package (relate_packaging).
    install(TARGETS ${target} LIBRARY DESTINATION "${RELATE_PLUGIN_INSTALL_DIR}" COMPONENT driver_${name})
  endif()
endfunction()
