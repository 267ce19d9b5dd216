#!/usr/bin/env bash
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
#
# Runs the lease tests against the real Debian redis-server: one private
# server on a free port of 127.0.0.1, no persistence, its files in a private
# temporary directory, stopped at the end whatever happens.
# Usage: run.sh PATH/TO/redis_lease_test PATH/TO/edgekit-lease-agent [gtest args]
set -euo pipefail
test_bin=$1
agent=$2
shift 2
server=$(command -v redis-server || true)
[ -n "$server" ] || { echo "run.sh: redis-server is not installed (scripts/install-deps.sh)"; exit 1; }

dir=$(mktemp -d /tmp/edgekit-redis.XXXXXX)
redis_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  --daemonize no --logfile "$dir/redis.log" &
redis_pid=$!
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.05
done

EDGEKIT_REDIS_PORT=$port EDGEKIT_LEASE_AGENT=$agent EDGEKIT_LEASE_TMP=$dir \
  "$test_bin" "$@"
