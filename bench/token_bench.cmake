# Token benchmark (included from bench/CMakeLists.txt once bench_token exists).
#
# The peers (libjwt, cpp-jwt, cjose) link OpenSSL 3's libcrypto.so.3. The
# BoringSSL backend links Debian's unversioned libcrypto.so.0, whose symbols
# and internal calls bind to whichever libcrypto comes first in the process
# (reference/nginx-feasibility.md §2): the two must never share a process. So
#   openssl backend:   bench_token holds edgekit, the floor and the peers;
#   boringssl backend: bench_token holds edgekit and the floor, and
#                      bench_token_peers holds the peers on OpenSSL 3.
# bench/token.sh runs both and checks with ldd that neither mixes libcryptos.

find_package(OpenSSL 3 REQUIRED)
find_library(TOKEN_BENCH_LIBJWT jwt REQUIRED)
find_library(TOKEN_BENCH_CJOSE cjose REQUIRED)
find_package(nlohmann_json REQUIRED)  # cpp-jwt's JSON library

set(token_bench_peer_sources
    ${CMAKE_CURRENT_SOURCE_DIR}/token_peers.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/token_cppjwt.cc)
set(token_bench_peer_libs
    ${TOKEN_BENCH_LIBJWT} ${TOKEN_BENCH_CJOSE} nlohmann_json::nlohmann_json
    OpenSSL::Crypto)

target_compile_definitions(bench_token PRIVATE TOKEN_BENCH_EDGEKIT=1
                           TOKEN_BENCH_FLOOR=1)

if(EDGEKIT_CRYPTO STREQUAL "openssl")
  target_sources(bench_token PRIVATE ${token_bench_peer_sources})
  target_compile_definitions(bench_token PRIVATE TOKEN_BENCH_PEERS=1)
  target_link_libraries(bench_token PRIVATE ${token_bench_peer_libs})
else()
  add_executable(bench_token_peers ${CMAKE_CURRENT_SOURCE_DIR}/token_bench.cc
                                   ${token_bench_peer_sources})
  target_compile_definitions(bench_token_peers PRIVATE TOKEN_BENCH_PEERS=1)
  target_link_libraries(bench_token_peers PRIVATE ${token_bench_peer_libs}
                        benchmark::benchmark)
  set_target_properties(bench_token_peers PROPERTIES
                        RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
endif()
