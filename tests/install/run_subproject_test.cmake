# SPDX-License-Identifier: MIT
# Builds the README's FetchContent project (tests/install/subproject) with
# relate's source tree as the fetched content, and runs it: librelate and the
# SQLite plugin come from the project's own build tree.
# Inputs: SOURCE_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, SANITIZE.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/source)
include(${CMAKE_CURRENT_LIST_DIR}/install_test_helpers.cmake)

file(COPY ${SOURCE_DIR}/tests/install/subproject/CMakeLists.txt ${SOURCE_DIR}/tests/install/consumer/main.cpp
     DESTINATION ${WORK_DIR}/source)
cmake_build(${WORK_DIR}/source ${WORK_DIR}/build -DFETCHCONTENT_SOURCE_DIR_RELATE=${SOURCE_DIR}
            -DRELATE_GIT_REPOSITORY=unused-the-source-dir-is-given
            # Only what the program uses: a shorter build, and the option is exercised.
            -DRELATE_DRIVER_POSTGRESQL=OFF)
run(${CMAKE_COMMAND} -E env --unset=RELATE_PLUGIN_PATH ${WORK_DIR}/build/my_app)
expect_row_and_libraries_from("FetchContent consumer" "${output}" ${WORK_DIR}/build)
