#!/usr/bin/env bash
# Token verification benchmark, run by `make bench` (scripts/bench.sh builds
# build/bench-boringssl and build/bench-openssl first).
#
# 1. Makes fresh keys with the openssl CLI and signs one realistic token per
#    algorithm with PyJWT (bench/token_vectors.py) into build/bench-token: every
#    binary verifies the very same tokens.
# 2. Checks that no binary holds two libcryptos (the BoringSSL build keeps the
#    OpenSSL 3 peers in bench_token_peers; see bench/token_bench.cmake).
# 3. Runs the binaries back to back, pinned to one core, interleaving the
#    repetitions at random so drifting load hits every case alike.
# 4. Prints one table per backend (bench/token_table.py): CPU-time medians,
#    edgekit/floor and edgekit/best peer. Fails if a correctness gate failed.
#
# Environment: TOKEN_BENCH_CPU (core to pin to, default 0), TOKEN_BENCH_REPS
# (repetitions, default 5, at least 5 for published figures),
# TOKEN_BENCH_MIN_TIME (seconds per repetition, default 0.3),
# TOKEN_BENCH_FILTER (a --benchmark_filter regex).
set -euo pipefail
cd "$(dirname "$0")/.."

cpu=${TOKEN_BENCH_CPU:-0}
reps=${TOKEN_BENCH_REPS:-5}
min_time=${TOKEN_BENCH_MIN_TIME:-0.3}
filter=${TOKEN_BENCH_FILTER:-.}
data=build/bench-token
bssl=build/bench-boringssl
ossl=build/bench-openssl
python=/usr/bin/python3  # Debian's, which has python3-jwt

for bin in $bssl/bench_token $bssl/bench_token_peers $ossl/bench_token; do
  [ -x "$bin" ] || { echo "token.sh: $bin is missing; run make bench" >&2; exit 1; }
done

rm -rf "$data"
mkdir -p "$data"
openssl rand -hex 32 | tr -d '\n' >"$data/hs256.secret"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$data/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$data/ec.pem"
openssl genpkey -algorithm ED25519 -out "$data/ed25519.pem"
for key in rsa ec ed25519; do
  openssl pkey -in "$data/$key.pem" -pubout -out "$data/$key.pub.pem"
done
$python bench/token_vectors.py "$data"

# libcrypto.so.0 is Debian's BoringSSL, libcrypto.so.3 OpenSSL 3.
libcryptos() { ldd "$1" | grep -oE 'libcrypto\.so\.[0-9]+' | sort -u | tr '\n' ' '; }
for bin in $bssl/bench_token $bssl/bench_token_peers $ossl/bench_token; do
  found=$(libcryptos "$bin")
  if [ "$(wc -w <<<"$found")" -ne 1 ]; then
    echo "token.sh: $bin loads '$found': two crypto libraries in one process" >&2
    exit 1
  fi
  echo "token.sh: $bin → $found"
done

run() {  # run BINARY OUT.json
  echo "token.sh: $1 on core $cpu, $reps × ${min_time}s per case" >&2
  taskset -c "$cpu" "$1" --token_data="$data" --benchmark_filter="$filter" \
    --benchmark_repetitions="$reps" --benchmark_min_time="$min_time" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_out="$2" --benchmark_out_format=json >"${2%.json}.log" 2>&1
}
run $bssl/bench_token "$data/boringssl.json"
run $bssl/bench_token_peers "$data/boringssl-peers.json"
run $ossl/bench_token "$data/openssl.json"

echo
echo "Token verification ($(nproc) CPUs, pinned to core $cpu; load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) at the end)"
$python bench/token_table.py \
  "BoringSSL backend (edgekit and floor on Debian's BoringSSL; peers on OpenSSL 3, separate process)=$data/boringssl.json,$data/boringssl-peers.json" \
  "OpenSSL 3 backend (everything in one process)=$data/openssl.json"
