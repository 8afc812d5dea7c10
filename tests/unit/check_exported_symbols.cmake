# SPDX-License-Identifier: MIT
# Fails when LIBRARY (librelate.so) exports what is not its API: anything of
# fmt or spdlog (compiled in, private dependencies), or anything in a detail
# namespace other than the few functions and classes that templates in the
# public headers call, and that the program using those templates must
# therefore reach.  Those are listed below; a new one is a deliberate change
# of the ABI and goes here with the template that needs it.
set(template_abi
  "relate::sql::detail::make_[a-z_]+"           # expression.hpp: the node factories behind expr<T>
  "relate::sql::detail::(and_combine|escape_like|finish_select)"  # statements.hpp, expression.hpp
  "relate::orm::detail::bind_relationships"     # instance.hpp: instance<T> construction
  "relate::orm::detail::link_relationships"     # instance.hpp: relate::make_ptr
  "relate::orm::detail::relationship_(exists|joins|contains|is)"  # relationship_queries.hpp: join/any/has
  "relate::orm::detail::collection_base::"      # relationship.hpp: relate::many<T>
  "relate::orm::detail::relationship_member::"  # relationship.hpp: relate::one<T>, relate::many<T>
  "relate::orm::detail::reference_base::"       # relationship.hpp: relate::one<T>
  "relate::orm::detail::session_access::"       # session.hpp: query<T> loading objects
  "relate::orm::detail::(outer_side_columns|throw_outer_side_null)"  # query.hpp: tuple_query reading rows
  "relate::orm::detail::deferred_columns"      # loading.hpp: query<T> with defer/load_only
  "relate::orm::detail::(snapshot::|snapshot_cell::)"  # snapshot.hpp: instance_state holds one
  "relate::detail::backoff_after"               # retry.hpp: run_transaction between attempts
  "relate::detail::throw_invalid_cell"          # conversion.hpp: reading a user type's invalid cell
  "relate::detail::(format|parse)_array_(literal|double)")  # types/array.hpp: std::vector columns
find_program(NM nm REQUIRED)
execute_process(COMMAND ${NM} -D --defined-only -C ${LIBRARY} OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D ${LIBRARY} failed (${rc})")
endif()
string(REPLACE ";" "," listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(total 0)
set(detail_allowed 0)
set(bad "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>": what is exported is the name up to its parameters.
  if(NOT line MATCHES "^[0-9a-f]+ [A-Za-z] (.*)$")
    continue()
  endif()
  math(EXPR total "${total} + 1")
  set(symbol "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "^(typeinfo name for|typeinfo for|vtable for|VTT for|construction vtable for|guard variable for) " "" name "${symbol}")
  string(REGEX REPLACE "\\(.*" "" name "${name}")
  if(SANITIZE MATCHES "undefined" AND symbol MATCHES "^typeinfo (name )?for spdlog::")
    # UBSan's vptr check reads the type_info of every polymorphic class it
    # checks; spdlog's classes are declared with default visibility
    # (SPDLOG_API), so their type_info, emitted as a weak copy for the check,
    # is exported.  Only in a sanitizer build, and harmless: not the API.
    continue()
  elseif(name MATCHES "(^|[^a-z_])(fmt|spdlog)::")
    list(APPEND bad "${symbol}")
  elseif(name MATCHES "::detail::")
    set(allowed FALSE)
    foreach(pattern IN LISTS template_abi)
      if(name MATCHES "^${pattern}")
        set(allowed TRUE)
      endif()
    endforeach()
    if(allowed)
      math(EXPR detail_allowed "${detail_allowed} + 1")
    else()
      list(APPEND bad "${symbol}")
    endif()
  endif()
endforeach()
if(total EQUAL 0)
  message(FATAL_ERROR "nm -D ${LIBRARY} lists no exported symbols; cannot check")
endif()
list(LENGTH bad bad_count)
if(bad_count GREATER 0)
  list(JOIN bad "\n  " bad_text)
  message(FATAL_ERROR "${LIBRARY} exports ${bad_count} internal symbols (detail, fmt or spdlog):\n  ${bad_text}")
endif()
message(STATUS "${LIBRARY}: ${total} exported symbols, ${detail_allowed} of them the headers' template ABI")
