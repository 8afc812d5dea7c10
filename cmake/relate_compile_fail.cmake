# SPDX-License-Identifier: MIT
# relate_compile_fail_case(PREFIX SOURCE CASE EXPECTED): a compile-failure
# test.  SOURCE is built on its own with RELATE_CASE_<CASE> defined, as an
# object library left out of the normal build; the ctest case <PREFIX>.<CASE>
# builds it and passes only when the build fails with relate's own
# diagnostic EXPECTED (so an unrelated error, such as a typo in the case,
# does not count as success).  An empty EXPECTED is a control case that must
# build.  Headers only: the cases never need relate_core itself to be built.
function(relate_compile_fail_case prefix source case_name expected)
  set(target relate_${prefix}_${case_name})
  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${source})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/core/include ${RELATE_GENERATED_INCLUDE_DIR})
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_compile_definitions(${target} PRIVATE RELATE_CASE_${case_name})
  target_link_libraries(${target} PRIVATE relate::compiler_options)
  add_test(NAME ${prefix}.${case_name}
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${target} --config $<CONFIG>)
  if(expected STREQUAL "")
    set_tests_properties(${prefix}.${case_name} PROPERTIES LABELS "unit;compile")
  else()
    set_tests_properties(${prefix}.${case_name} PROPERTIES LABELS "unit;compile" PASS_REGULAR_EXPRESSION "${expected}")
  endif()
endfunction()
