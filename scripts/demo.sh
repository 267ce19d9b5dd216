#!/usr/bin/env bash
# What `make demo` runs: the example C programs against a build tree.
# Usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/boringssl}
echo "== token verification at the edge (examples/verify_tokens.c, C ABI only)"
"$build/examples/verify_tokens" examples/keys/demo.jwks examples/keys/rsa.pub.pem
echo
echo "== a flash sale across worker processes (examples/flash_sale.c, C ABI only)"
"$build/examples/flash_sale"
