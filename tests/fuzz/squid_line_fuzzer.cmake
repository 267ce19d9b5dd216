target_sources(fuzz_squid_line PRIVATE ${PROJECT_SOURCE_DIR}/bindings/squid/request_line.cc)
target_include_directories(fuzz_squid_line PRIVATE ${PROJECT_SOURCE_DIR}/bindings/squid)
