#!/usr/bin/env bash
# Line coverage of lib/ by the test suite (`make coverage`): builds the library
# and tests with g++ --coverage in build/coverage, runs CTest, and prints
# gcovr's per-file table and summary. COVERAGE_FAIL_UNDER=90 makes a total
# below 90 % fail the run (the goal; not enforced by default).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
dir=build/coverage
mkdir -p build

# Atomic counters: the concurrency tests run lib/ code on many threads, and
# racing plain counters come out negative, which gcovr rightly refuses.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_FLAGS="--coverage -fprofile-update=atomic" \
  -DCMAKE_CXX_FLAGS="--coverage -fprofile-update=atomic" \
  -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage \
  >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j "$JOBS" >"$dir.build.log" 2>&1 || {
  tail -n 60 "$dir.build.log"; exit 1; }

# Counters from an earlier run would inflate this one.
find "$dir" -name '*.gcda' -delete
tests_ok=1
(cd "$dir" && ctest -j "$JOBS" --timeout 900 --output-on-failure) >"$dir.ctest.log" 2>&1 ||
  tests_ok=0
tail -n 3 "$dir.ctest.log"

gate=()
[ -n "${COVERAGE_FAIL_UNDER:-}" ] && gate=(--fail-under-line "$COVERAGE_FAIL_UNDER")
gcovr --root . --object-directory "$dir" --filter 'lib/' --gcov-executable gcov-12 \
  --exclude-directories '.*/CMakeFiles/[0-9.]+' \
  -j "$JOBS" --print-summary "${gate[@]}"
if [ $tests_ok -eq 0 ]; then
  echo "coverage: some tests failed (see $dir.ctest.log); figures are from a failing run" >&2
  exit 1
fi
