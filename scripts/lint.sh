#!/usr/bin/env bash
# Static analysis of lib/ (and the headers it includes from lib/ and include/):
# clang-tidy with the committed .clang-tidy, then cppcheck. Any finding fails
# the run. Both read the compile commands of a configure-only clang-14 build
# tree (build/lint), so they see exactly the flags and defines the library
# is built with (BoringSSL backend).
#
# Suppressing a finding takes a reason, inline at the line:
#   clang-tidy: // NOLINT(check-name): why
#   cppcheck:   // cppcheck-suppress checkId  (with the reason on the line above)
#
# Usage: scripts/lint.sh   (JOBS sets the parallelism; scripts/test.sh step "lint")
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
dir=build/lint
mkdir -p "$dir"

cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DEDGEKIT_BUILD_TESTS=OFF -DEDGEKIT_BUILD_TOOLS=OFF >"$dir.configure.log" 2>&1 || {
  cat "$dir.configure.log"; exit 1; }

# The library's own sources, as the compile database lists them.
mapfile -t sources < <(/usr/bin/python3 - "$dir/compile_commands.json" "$PWD/lib/" <<'EOF'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
files = {os.path.normpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(db))}
print("\n".join(sorted(f for f in files if f.startswith(root))))
EOF
)
if [ ${#sources[@]} -eq 0 ]; then
  echo "lint: no lib/ sources in $dir/compile_commands.json" >&2; exit 1
fi

status=0
echo "lint: clang-tidy-14 on ${#sources[@]} files" >&2
printf '%s\n' "${sources[@]}" |
  xargs -P "$JOBS" -n 1 clang-tidy-14 -p "$dir" --quiet 2>"$dir/clang-tidy.log" || {
  status=1; grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated' "$dir/clang-tidy.log" >&2 || true; }

echo "lint: cppcheck on ${#sources[@]} files" >&2
mkdir -p "$dir/cppcheck"
cppcheck --project="$dir/compile_commands.json" --file-filter="lib/*" \
  --cppcheck-build-dir="$dir/cppcheck" -j "$JOBS" --std=c++17 --quiet \
  --enable=warning,performance,portability --inline-suppr \
  --suppress=missingIncludeSystem --error-exitcode=1 \
  --template='{file}:{line}: {severity} ({id}): {message}' || status=1

if [ $status -eq 0 ]; then echo "lint: clean" >&2; else echo "lint: findings above" >&2; fi
exit $status
