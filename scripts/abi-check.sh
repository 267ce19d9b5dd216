#!/usr/bin/env bash
# Keeps libedgekit.so's ABI from changing by accident (CONTRIBUTING.md, "ABI").
#
#   scripts/abi-check.sh           builds libedgekit.so with debug info and
#                                  compares it with the committed baseline
#                                  abi/libedgekit.abi (libabigail's abidiff).
#                                  Added functions pass; a removed or changed
#                                  function, type or struct layout fails.
#   scripts/abi-check.sh --update  rewrites the baseline from the current
#                                  build. It refuses when the ABI changed
#                                  incompatibly but the version did not:
#                                  project(VERSION) in CMakeLists.txt (with the
#                                  macros in include/edgekit/base.h) must be
#                                  bumped — major for a removal (minor while the
#                                  major is 0), at least minor for any other
#                                  change. Commit the baseline with the bump.
#
# The baseline holds only what the version script exports (edgekit_*) and the
# types those functions reach; abi/libedgekit.version records the version it
# was taken at.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
dir=build/abi
baseline=abi/libedgekit.abi
recorded_file=abi/libedgekit.version

mode=check
case "${1:-}" in
  "") ;;
  --update) mode=update ;;
  *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

# Debug info is what abidw reads types from.
mkdir -p build
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_FLAGS= -DCMAKE_CXX_FLAGS= \
  -DEDGEKIT_BUILD_TESTS=OFF -DEDGEKIT_BUILD_TOOLS=OFF >"$dir.configure.log" 2>&1 || {
  cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j "$JOBS" --target edgekit_shared >"$dir.build.log" 2>&1 || {
  tail -n 40 "$dir.build.log"; exit 1; }
lib="$dir/libedgekit.so"

version=$(sed -nE 's/^project\(edgekit VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "abi: no project(edgekit VERSION x.y.z) in CMakeLists.txt" >&2; exit 1; }

# compare: runs abidiff baseline → current library. Sets $rc (abidiff's bit
# field: 1 error, 2 usage, 4 ABI change, 8 incompatible change) and $report.
compare() {
  rc=0
  report=$(abidiff --no-added-syms "$baseline" "$lib" 2>&1) || rc=$?
}

if [ "$mode" = update ]; then
  if [ -f "$baseline" ]; then
    compare
    if [ $((rc & 3)) -ne 0 ]; then echo "$report" >&2; exit 1; fi
    recorded=$(cat "$recorded_file" 2>/dev/null || echo "0.0.0")
    IFS=. read -r old_major old_minor _ <<<"$recorded"
    IFS=. read -r new_major new_minor _ <<<"$version"
    if [ $((rc & 8)) -ne 0 ]; then
      # Removed functions: major bump, or minor while the major is 0.
      if [ "$new_major" -eq "$old_major" ] &&
         { [ "$new_major" -ne 0 ] || [ "$new_minor" -eq "$old_minor" ]; }; then
        echo "$report" >&2
        echo "abi: functions were removed; bump the major version (the minor while" \
             "it is 0.x) before updating the baseline (taken at $recorded)" >&2
        exit 1
      fi
    elif [ $((rc & 4)) -ne 0 ] &&
         [ "$new_major.$new_minor" = "$old_major.$old_minor" ]; then
      echo "$report" >&2
      echo "abi: the ABI changed; bump at least the minor version before updating" \
           "the baseline (taken at $recorded)" >&2
      exit 1
    fi
  fi
  # Types defined outside include/ are private: the opaque handles
  # (edgekit_verifier …) are kept as declarations only, so their layout can
  # change freely, while every public struct is recorded member by member.
  # The sed keeps the checkout's path out, so every clone writes the same file.
  mkdir -p abi
  abidw --headers-dir "$PWD/include" --drop-private-types --exported-interfaces-only \
    --no-show-locs --no-comp-dir-path --no-corpus-path --no-elf-needed \
    --type-id-style hash "$lib" | sed "s|path='$PWD/|path='|" >"$baseline"
  echo "$version" >"$recorded_file"
  echo "abi: baseline written for $version ($(grep -c '<elf-symbol ' "$baseline") functions);" \
       "commit $baseline and $recorded_file" >&2
  exit 0
fi

[ -f "$baseline" ] || { echo "abi: no $baseline; run $0 --update" >&2; exit 1; }
compare
if [ "$rc" -ne 0 ]; then
  echo "$report"
  if [ $((rc & 3)) -eq 0 ]; then
    echo "abi: libedgekit.so no longer matches $baseline (taken at" \
         "$(cat "$recorded_file" 2>/dev/null || echo '?')). If the change is deliberate," \
         "bump the version and run $0 --update (CONTRIBUTING.md, \"ABI\")." >&2
  fi
  exit 1
fi
added=$( (abidiff "$baseline" "$lib" 2>/dev/null || true) |
  sed -nE 's/.* ([0-9]+) Added function.*/\1/p' | head -n 1)
echo "abi: compatible with $baseline (${added:-0} functions added since)" >&2
