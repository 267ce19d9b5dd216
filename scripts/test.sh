#!/usr/bin/env bash
# Builds and runs every test suite edgekit has, each in its own build tree:
#   boringssl  Release tests, default crypto backend (plus CLI and demo checks)
#   openssl    the same suite on the OpenSSL 3 backend (what nginx links)
#   nginx      the nginx module in Debian's nginx, 1 and 2 workers (tests/nginx/run.sh)
#   asan       unit tests under ASan+UBSan (clang-14)
#   tsan       tests labelled "concurrency" under TSan (clang-14)
#   fuzz       every libFuzzer target for FUZZ_SECONDS from its committed corpus
#   lint       clang-tidy and cppcheck on lib/ (scripts/lint.sh)
#   abi        libedgekit.so against the committed ABI baseline (scripts/abi-check.sh)
# EDGEKIT_TEST_STEPS picks a subset, e.g. EDGEKIT_TEST_STEPS="boringssl fuzz".
# Prints one closing line: "make test: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc)}
STEPS=${EDGEKIT_TEST_STEPS:-boringssl openssl nginx asan tsan fuzz lint abi}
if [ -z "${FUZZ_SECONDS:-}" ]; then
  if [ -n "${CI:-}" ]; then FUZZ_SECONDS=60; else FUZZ_SECONDS=10; fi
fi
passed=0
failed=0
failures=()

note() { printf '\n== %s\n' "$*"; }

# configure DIR [cmake args...]
configure() {
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >"$dir.configure.log" 2>&1 || {
    cat "$dir.configure.log"; return 1; }
}

# run_ctest NAME DIR [ctest args...]: runs CTest and adds its counts.
run_ctest() {
  local name=$1 dir=$2; shift 2
  local log="$dir.ctest.log"
  (cd "$dir" && ctest --output-on-failure --timeout 900 -j "$JOBS" "$@") 2>&1 | tee "$log"
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    if grep -q "No tests were found" "$log"; then return 0; fi
    failed=$((failed + 1)); failures+=("$name: ctest did not finish"); return 0
  fi
  local total bad
  bad=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ "$bad" -eq 0 ] || failures+=("$name: $bad of $total tests failed")
}

build_and_test() {
  local name=$1; shift
  local dir=build/$name
  mkdir -p build
  note "$name: configure and build"
  if ! configure "$dir" "$@" ||
     ! cmake --build "$dir" -j "$JOBS" "${BUILD_ARGS[@]}" >"$dir.build.log" 2>&1; then
    tail -n 60 "$dir.build.log" 2>/dev/null
    failed=$((failed + 1)); failures+=("$name: build failed"); return
  fi
  note "$name: tests"
  run_ctest "$name" "$dir" "${CTEST_ARGS[@]}"
}

clang=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)

for step in $STEPS; do
  CTEST_ARGS=()
  BUILD_ARGS=()
  case $step in
    boringssl) build_and_test boringssl -DCMAKE_BUILD_TYPE=Release -DEDGEKIT_CRYPTO=boringssl ;;
    openssl)   build_and_test openssl -DCMAKE_BUILD_TYPE=Release -DEDGEKIT_CRYPTO=openssl ;;
    asan)      build_and_test asan -DCMAKE_BUILD_TYPE=Debug "${clang[@]}" \
                 -DEDGEKIT_SANITIZE=address,undefined ;;
    tsan)      CTEST_ARGS=(-L concurrency); BUILD_ARGS=(--target concurrency_tests)
               build_and_test tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo "${clang[@]}" \
                 -DEDGEKIT_SANITIZE=thread -DEDGEKIT_BUILD_TOOLS=OFF ;;
    fuzz)
      note "fuzz: build (clang-14, libFuzzer, ASan+UBSan)"
      dir=build/fuzz
      mkdir -p build
      if ! configure "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${clang[@]}" \
             -DEDGEKIT_BUILD_FUZZ=ON -DEDGEKIT_BUILD_TESTS=OFF -DEDGEKIT_BUILD_TOOLS=OFF \
             -DEDGEKIT_SANITIZE=address,undefined \
         || ! cmake --build "$dir" -j "$JOBS" >"$dir.build.log" 2>&1; then
        tail -n 40 "$dir.build.log" 2>/dev/null
        failed=$((failed + 1)); failures+=("fuzz: build failed"); continue
      fi
      mkdir -p "$dir/crashes"
      for target in "$dir"/fuzz_*; do
        [ -x "$target" ] || continue
        name=$(basename "$target"); name=${name#fuzz_}
        seeds=tests/fuzz/corpus/$name
        work=$dir/corpus/$name
        mkdir -p "$work" "$seeds"
        note "fuzz: $name for ${FUZZ_SECONDS}s"
        if "$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
             -artifact_prefix="$dir/crashes/$name-" -print_final_stats=1 \
             "$work" "$seeds" >"$dir/$name.log" 2>&1; then
          passed=$((passed + 1))
          grep -E 'stat::number_of_executed_units' "$dir/$name.log" | sed "s/^/  $name: /"
        else
          tail -n 30 "$dir/$name.log"
          failed=$((failed + 1)); failures+=("fuzz $name: crash saved under $dir/crashes")
        fi
      done ;;
    lint|abi|nginx)
      note "$step"
      script=scripts/lint.sh
      [ "$step" = abi ] && script=scripts/abi-check.sh
      [ "$step" = nginx ] && script=tests/nginx/run.sh
      if bash "$script"; then
        passed=$((passed + 1))
      else
        failed=$((failed + 1)); failures+=("$step: see the findings above")
      fi ;;
    *) echo "unknown step '$step'" >&2; failed=$((failed + 1)) ;;
  esac
done

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "make test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
