# The suite reads its links and keys from the signed-URL test data.
target_compile_definitions(bench_signed_url PRIVATE
  EDGEKIT_BENCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
