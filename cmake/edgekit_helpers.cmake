# edgekit_test(NAME SOURCES file... [LIBS lib...] [LABELS label...]): a
# GoogleTest binary linked with the library and registered test by test with
# CTest. Tests that exercise threads or processes racing on shared state carry
# the label "concurrency", so the TSan step of `make test` runs them.
function(edgekit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE edgekit GTest::gtest GTest::gtest_main ${ARG_LIBS})
  # The source tree is compiled in; the build-time data folder comes from the
  # environment. (gtest_discover_tests cannot pass two variables: it splits an
  # ENVIRONMENT list into separate properties.)
  target_compile_definitions(${name} PRIVATE
    EDGEKIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(props ENVIRONMENT "EDGEKIT_TEST_DATA=${CMAKE_CURRENT_BINARY_DIR}/data")
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  if("concurrency" IN_LIST ARG_LABELS)
    # The TSan step builds only these (target concurrency_tests).
    if(NOT TARGET concurrency_tests)
      add_custom_target(concurrency_tests)
    endif()
    add_dependencies(concurrency_tests ${name})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
