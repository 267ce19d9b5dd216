#!/usr/bin/env bash
# Static analysis of lib/ (and the headers it includes from lib/ and include/):
# clang-tidy with the committed .clang-tidy, then cppcheck. Any finding fails
# the run. Both read the compile commands of configure-only clang-14 build
# trees, so they see exactly the flags and defines the library is built with:
# build/lint (BoringSSL backend) for every source, and build/lint-openssl for
# the sources that differ by backend (those that test EDGEKIT_CRYPTO_* or
# OPENSSL_IS_BORINGSSL), so neither side of an #if goes unread.
#
# Suppressing a finding takes a reason, inline at the line:
#   clang-tidy: // NOLINT(check-name): why
#   cppcheck:   // cppcheck-suppress checkId  (with the reason on the line above)
#
# Usage: scripts/lint.sh   (JOBS sets the parallelism; scripts/test.sh step "lint")
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
mkdir -p build

# configure DIR BACKEND: a compile database for lib/, nothing built.
configure() {
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DEDGEKIT_CRYPTO="$2" \
    -DEDGEKIT_BUILD_TESTS=OFF -DEDGEKIT_BUILD_TOOLS=OFF >"$1.configure.log" 2>&1 || {
    cat "$1.configure.log"; return 1; }
}

# lib_sources DIR: the library's own sources, as DIR's compile database lists them.
lib_sources() {
  /usr/bin/python3 - "$1/compile_commands.json" "$PWD/lib/" <<'EOF'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
files = {os.path.normpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(db))}
print("\n".join(sorted(f for f in files if f.startswith(root))))
EOF
}

status=0
# tidy DIR FILE...: clang-tidy on FILEs with DIR's compile database.
tidy() {
  local dir=$1; shift
  echo "lint: clang-tidy-14 on $# files ($dir)" >&2
  printf '%s\n' "$@" |
    xargs -P "$JOBS" -n 1 clang-tidy-14 -p "$dir" --quiet 2>"$dir/clang-tidy.log" || {
    status=1
    grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated' "$dir/clang-tidy.log" >&2 || true
  }
}

configure build/lint boringssl
mapfile -t sources < <(lib_sources build/lint)
if [ ${#sources[@]} -eq 0 ]; then
  echo "lint: no lib/ sources in build/lint/compile_commands.json" >&2; exit 1
fi
tidy build/lint "${sources[@]}"

mapfile -t by_backend < <(grep -l -E 'EDGEKIT_CRYPTO_(BORINGSSL|OPENSSL)|OPENSSL_IS_BORINGSSL' \
  "${sources[@]}" || true)
if [ ${#by_backend[@]} -gt 0 ]; then
  configure build/lint-openssl openssl
  tidy build/lint-openssl "${by_backend[@]}"
fi

echo "lint: cppcheck on ${#sources[@]} files" >&2
mkdir -p build/lint/cppcheck
cppcheck --project=build/lint/compile_commands.json --file-filter="lib/*" \
  --cppcheck-build-dir=build/lint/cppcheck -j "$JOBS" --std=c++17 --quiet \
  --enable=warning,performance,portability --inline-suppr \
  --suppress=missingIncludeSystem --error-exitcode=1 \
  --template='{file}:{line}: {severity} ({id}): {message}' || status=1

if [ $status -eq 0 ]; then echo "lint: clean" >&2; else echo "lint: findings above" >&2; fi
exit $status
