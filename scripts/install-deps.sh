#!/usr/bin/env bash
# Installs the Debian packages edgekit builds, tests and benchmarks against.
# Idempotent: does nothing (and never touches the network) when everything is present.
# Usage: scripts/install-deps.sh [build|test|bench|all]   (default: test)
set -euo pipefail

build_pkgs=(cmake make g++ pkg-config libabsl-dev android-libboringssl-dev
            picojson-dev libssl-dev libgtest-dev libgmock-dev)
test_pkgs=(python3 python3-jwt python3-cryptography openssl clang-14 libclang-rt-14-dev
           llvm-14 binutils nginx squid nodejs clang-tidy-14 cppcheck abigail-tools gcovr
           nginx-dev libpcre2-dev zlib1g-dev curl redis-server)
bench_pkgs=(libbenchmark-dev libjwt-dev libcpp-jwt-dev libcjose-dev nlohmann-json3-dev
            util-linux python3 nginx wrk python3-jwt python3-cryptography openssl)

case "${1:-test}" in
  build) want=("${build_pkgs[@]}") ;;
  test)  want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all)   want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
