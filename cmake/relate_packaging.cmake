# SPDX-License-Identifier: MIT
# Debian packages, one per install component (`cpack -G DEB`, which
# scripts/package-test.sh runs and checks):
#   librelate<major>          runtime: librelate.so.*             (component runtime)
#   relate-driver-<name>      one driver plugin each              (component driver_<name>)
#   librelate-dev             headers, CMake package, relate.pc   (component devel)
# Dependencies come from dpkg-shlibdeps, so each driver depends on its own
# database client library only (libsqlite3-0, libpq5), and on librelate of
# exactly this version.  Configure with -DCMAKE_INSTALL_PREFIX=/usr so the
# library lands in Debian's multiarch folder (lib/<triplet>).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME relate)
set(CPACK_PACKAGE_VENDOR "The relate authors")
set(CPACK_PACKAGE_CONTACT "The relate authors <maintainers@users.noreply.b-seed-02a1d695.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# The drivers need librelate.so.<soversion>, which no installed package
# provides yet: dpkg-shlibdeps finds it in the build tree and, having no
# package information for it, leaves it to the component dependency above.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${PROJECT_BINARY_DIR}/lib")
set(CPACK_DEBIAN_PACKAGE_SECTION libs)

set(relate_licence_note "Licence: MIT (see /usr/share/doc/<package>/copyright).")

# The runtime package is named after the soname's major version as Debian's
# policy asks, read from the target so a new SOVERSION renames nothing by hand.
get_target_property(relate_soversion relate_core SOVERSION)
string(REGEX MATCH "^[0-9]+" relate_so_major "${relate_soversion}")
set(relate_runtime_package librelate${relate_so_major})

set(relate_driver_components "")
set(relate_driver_packages "")
foreach(driver sqlite postgresql)
  if(TARGET relate_driver_${driver})
    list(APPEND relate_driver_components driver_${driver})
    list(APPEND relate_driver_packages relate-driver-${driver})
  endif()
endforeach()
set(CPACK_COMPONENTS_ALL runtime devel ${relate_driver_components})

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${relate_runtime_package})
# A shlibs file, so packages built against librelate get the right dependency.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "${PROJECT_DESCRIPTION} - shared library\n The relate core library: values, the engine and its pool, the SQL expression\n tree and the ORM (mapping, session, relationships).  Database drivers are\n plugins, packaged separately (relate-driver-sqlite, relate-driver-postgresql).\n ${relate_licence_note}")
string(REPLACE ";" " | " relate_any_driver "${relate_driver_packages}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "${relate_any_driver}")

set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME librelate-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEVEL_DEPENDS runtime)
set(CPACK_COMPONENT_DEVEL_DESCRIPTION
  "${PROJECT_DESCRIPTION} - development files\n Headers, the CMake package (find_package(relate) gives relate::core and\n relate::plugin_api) and the pkg-config file (relate.pc).\n ${relate_licence_note}")
# A public link dependency of relate::core is one a consumer's build needs too.
get_target_property(relate_core_interface relate_core INTERFACE_LINK_LIBRARIES)
set(relate_devel_depends "")
if(relate_core_interface MATCHES "spdlog")
  set(relate_devel_depends "libspdlog-dev, libfmt-dev")
endif()
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS "${relate_devel_depends}")
string(REPLACE ";" ", " CPACK_DEBIAN_DEVEL_PACKAGE_SUGGESTS "${relate_driver_packages}")

foreach(driver sqlite postgresql)
  if(TARGET relate_driver_${driver})
    string(TOUPPER "DRIVER_${driver}" component)
    set(CPACK_DEBIAN_${component}_PACKAGE_NAME relate-driver-${driver})
    set(CPACK_DEBIAN_${component}_PACKAGE_SECTION database)
    set(CPACK_COMPONENT_${component}_DEPENDS runtime)
    set(CPACK_COMPONENT_${component}_DESCRIPTION
      "${PROJECT_DESCRIPTION} - ${driver} driver\n The plugin librelate loads for ${driver} connection URLs.\n ${relate_licence_note}")
  endif()
endforeach()

# Each package carries the licence as Debian's machine-readable copyright file.
# EXCLUDE_FROM_ALL: only a per-component install (what CPack does) copies it,
# not a plain `cmake --install`.
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" relate_licence_text)
string(REGEX REPLACE "\n\n" "\n.\n" relate_licence_text "${relate_licence_text}")
string(REGEX REPLACE "\n([^\n])" "\n \\1" relate_licence_text "${relate_licence_text}")
file(WRITE "${PROJECT_BINARY_DIR}/debian-copyright"
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: relate\n\n"
  "Files: *\n"
  "Copyright: The relate authors\n"
  "License: MIT\n"
  " ${relate_licence_text}")
foreach(component runtime devel ${relate_driver_components})
  string(TOUPPER "${component}" upper)
  set(package "${CPACK_DEBIAN_${upper}_PACKAGE_NAME}")
  install(FILES "${PROJECT_BINARY_DIR}/debian-copyright" RENAME copyright
    DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}" COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

include(CPack)
