# SPDX-License-Identifier: MIT
# Install rules: headers, librelate, the relate::core / relate::plugin_api
# package for find_package(relate), and relate.pc for pkg-config.  Drivers
# install themselves into <libdir>/relate/plugins (relate_add_driver), where
# the loader finds them next to the installed librelate.so.
include(CMakePackageConfigHelpers)

set(RELATE_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/relate")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/ ${PROJECT_SOURCE_DIR}/plugins/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${RELATE_GENERATED_INCLUDE_DIR}/relate/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/relate COMPONENT devel)

set_target_properties(relate_plugin_api PROPERTIES EXPORT_NAME plugin_api)
install(TARGETS relate_core relate_plugin_api EXPORT relateTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT devel
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT relateTargets NAMESPACE relate:: DESTINATION ${RELATE_CMAKE_INSTALL_DIR} COMPONENT devel)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/relateConfig.cmake.in
  ${PROJECT_BINARY_DIR}/relateConfig.cmake
  INSTALL_DESTINATION ${RELATE_CMAKE_INSTALL_DIR}
  PATH_VARS RELATE_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/relateConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${RELATE_VERSION_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/relateConfig.cmake ${PROJECT_BINARY_DIR}/relateConfigVersion.cmake
  DESTINATION ${RELATE_CMAKE_INSTALL_DIR} COMPONENT devel)

# relate.pc locates the prefix from its own folder, so the package stays
# correct when installed with `cmake --install --prefix` somewhere else.
file(RELATIVE_PATH RELATE_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" RELATE_PC_TO_PREFIX "${RELATE_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/relate.pc.in ${PROJECT_BINARY_DIR}/relate.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/relate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT devel)

# The licence travels with the library it covers.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
