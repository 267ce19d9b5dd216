#!/usr/bin/env bash
# Fails if libedgekit.so exports any symbol outside the edgekit_ namespace:
# the linker version script and -fvisibility=hidden must keep C++ internals,
# Abseil and the crypto library out of the ABI.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sed 's/@.*//')
count=$(grep -c '^edgekit_' <<<"$symbols" || true)
stray=$(grep -v '^edgekit_' <<<"$symbols" || true)
if [ -n "$stray" ]; then
  echo "exported symbols outside edgekit_*:" >&2
  echo "$stray" >&2
  exit 1
fi
# Guard against a vacuous pass on an empty or unreadable library.
if [ "$count" -lt 20 ]; then
  echo "only $count edgekit_ symbols exported; expected the whole API" >&2
  exit 1
fi
echo "ok: $count symbols, all edgekit_*"
