target_sources(fuzz_resp_reply PRIVATE ${PROJECT_SOURCE_DIR}/bindings/redis/resp.cc)
target_include_directories(fuzz_resp_reply PRIVATE ${PROJECT_SOURCE_DIR}/bindings/redis)
