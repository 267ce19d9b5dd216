# edgekit_test(NAME SOURCES file... [LIBS lib...] [LABELS label...]): a
# GoogleTest binary linked with the library and registered test by test with
# CTest. Tests that exercise threads or processes racing on shared state carry
# the label "concurrency", so the TSan step of `make test` runs them.
function(edgekit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE edgekit GTest::gtest GTest::gtest_main ${ARG_LIBS})
  set(props ENVIRONMENT
      "EDGEKIT_TEST_DATA=${CMAKE_CURRENT_BINARY_DIR}/data;EDGEKIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
