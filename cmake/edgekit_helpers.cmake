# edgekit_test(NAME SOURCES ... [DATA_DEPENDS target...]): a GoogleTest binary
# linked with the library, registered test by test with CTest.
function(edgekit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE edgekit GTest::gtest GTest::gtest_main ${ARG_LIBS})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "EDGEKIT_TEST_DATA=${CMAKE_CURRENT_BINARY_DIR}/data;EDGEKIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
