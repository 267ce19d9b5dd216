#!/usr/bin/env bash
# Builds the benchmark suites (Release, both crypto backends) and runs each
# suite's script under bench/: bench/<name>.sh if present, else the binary,
# pinned to one core, 5 repetitions, CPU-time medians.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
for backend in boringssl openssl; do
  cmake -S . -B build/bench-$backend -DCMAKE_BUILD_TYPE=Release -DEDGEKIT_CRYPTO=$backend \
    -DEDGEKIT_BUILD_BENCH=ON -DEDGEKIT_BUILD_TESTS=OFF >/dev/null
  cmake --build build/bench-$backend -j "$JOBS" >/dev/null
done
for suite in ${EDGEKIT_BENCH_SUITES:-$(ls bench/*_bench.cc | sed -E 's|bench/(.*)_bench.cc|\1|')}; do
  if [ -f bench/$suite.sh ]; then
    bash bench/$suite.sh
  else
    taskset -c 0 build/bench-boringssl/bench_$suite --benchmark_repetitions=5 \
      --benchmark_report_aggregates_only=true
  fi
done
