#!/usr/bin/env bash
# bench_aggregate as `make bench` runs it: single-writer suites pinned to CPU 0,
# the 1-vs-2-process suite on CPUs 0 and 1 (it pins each process itself);
# 5 repetitions, medians of CPU time (wall time for the process suite).
set -euo pipefail
bin=${1:-build/bench-boringssl/bench_aggregate}
taskset -c 0 "$bin" --benchmark_filter='-BM_Processes' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.3
taskset -c 0,1 "$bin" --benchmark_filter='BM_Processes' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true
