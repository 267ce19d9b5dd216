#!/usr/bin/env bash
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
#
# The helper behind the real Debian Squid: a reverse proxy on 127.0.0.1 in
# front of a small origin, admitting a request only when edgekit verifies its
# token (an Authorization header on one port, a query parameter on another).
# Squid runs from a private directory on free unprivileged ports, as the
# proxy user when we are root, and is stopped at the end whatever happens.
# Usage: squid_test.sh PATH/TO/edgekit-squid-helper
set -euo pipefail
helper=$1
here=$(cd "$(dirname "$0")" && pwd)
for tool in squid nginx curl; do
  command -v $tool >/dev/null || PATH=$PATH:/usr/sbin command -v $tool >/dev/null ||
    { echo "squid_test: $tool is not installed (scripts/install-deps.sh)"; exit 1; }
done
export PATH=$PATH:/usr/sbin

dir=$(mktemp -d /tmp/edgekit-squid.XXXXXX)
chmod 755 "$dir"
origin_pid=""
cleanup() {
  if [ -f "$dir/squid.pid" ]; then
    kill "$(cat "$dir/squid.pid")" 2>/dev/null || true
  fi
  [ -n "$squid_pid" ] && kill "$squid_pid" 2>/dev/null || true
  [ -n "$origin_pid" ] && kill "$origin_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${SQUID_TEST_KEEP:-}" ] && echo "squid_test: kept $dir" || rm -rf "$dir"
}
squid_pid=""
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
origin_port=$(free_port); header_port=$(free_port); query_port=$(free_port)

/usr/bin/python3 "$here/make_tokens.py" "$dir" "$(date +%s)"
declare -A tok
while read -r name token; do tok[$name]=$token; done <"$dir/tokens"
# Squid runs the helper as its effective user: give it a copy it can reach.
cp "$helper" "$dir/edgekit-squid-helper"
# The origin: Debian's nginx from the same private directory.
mkdir -p "$dir/origin"
cat >"$dir/origin/nginx.conf" <<CONF
worker_processes 1;
error_log $dir/origin/error.log;
pid $dir/origin/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/origin/body;
  proxy_temp_path $dir/origin/proxy;
  fastcgi_temp_path $dir/origin/fastcgi;
  uwsgi_temp_path $dir/origin/uwsgi;
  scgi_temp_path $dir/origin/scgi;
  server {
    listen 127.0.0.1:$origin_port;
    location / { return 200 "stock: 3\n"; }
  }
}
CONF
nginx -p "$dir/origin" -c "$dir/origin/nginx.conf" -g 'daemon off;' >"$dir/origin/out.log" 2>&1 &
origin_pid=$!

policy="--keys $dir/keys.jwks --issuer https://issuer.example --audience edge"
cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$header_port accel defaultsite=origin.local no-vhost name=by_header
http_port 127.0.0.1:$query_port accel defaultsite=origin.local no-vhost name=by_query
cache_peer 127.0.0.1 parent $origin_port 0 no-query originserver name=origin
external_acl_type edgekit_header ttl=0 negative_ttl=0 children-max=2 children-startup=1 concurrency=8 %>{Authorization} $dir/edgekit-squid-helper --concurrency $policy
external_acl_type edgekit_query ttl=0 negative_ttl=0 children-max=2 children-startup=1 %>ru $dir/edgekit-squid-helper --query token $policy
acl on_header myportname by_header
acl on_query myportname by_query
acl header_ok external edgekit_header
acl query_ok external edgekit_query
http_access allow on_header header_ok
http_access allow on_query query_ok
http_access deny all
cache_peer_access origin allow all
cache deny all
pid_filename $dir/squid.pid
cache_log $dir/cache.log
logformat edgekit %>a %un %>Hs %rm %ru
access_log stdio:$dir/access.log edgekit
cache_store_log none
coredump_dir $dir
netdb_filename none
pinger_enable off
shutdown_lifetime 1 seconds
CONF

as_proxy=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R proxy:proxy "$dir"
  as_proxy=(runuser -u proxy --)
fi
"${as_proxy[@]}" squid -N -f "$dir/squid.conf" >"$dir/squid.out" 2>&1 &
squid_pid=$!

for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$header_port/" && break
  kill -0 "$squid_pid" 2>/dev/null || { echo "squid_test: squid exited"; cat "$dir/squid.out" "$dir/cache.log" 2>/dev/null | tail -20; exit 1; }
  sleep 0.1
done

failures=0
expect() {  # expect WANT_STATUS LABEL CURL_ARGS...
  local want=$1 label=$2; shift 2
  local got
  got=$(curl -s -o "$dir/body" -w '%{http_code}' "$@" || true)
  if [ "$got" = "$want" ]; then
    echo "ok   $label → $got"
  else
    echo "FAIL $label → $got, want $want"; failures=$((failures + 1))
  fi
}
h=http://127.0.0.1:$header_port/item/42
q=http://127.0.0.1:$query_port/item/42
expect 200 "header: valid token" -H "Authorization: Bearer ${tok[good]}" "$h"
grep -q "stock: 3" "$dir/body" || { echo "FAIL the origin's body did not come through"; failures=$((failures + 1)); }
expect 200 "header: HS256 token" -H "Authorization: Bearer ${tok[good_hs]}" "$h"
for bad in expired not_yet_valid wrong_issuer wrong_audience other_key alg_none; do
  expect 403 "header: $bad" -H "Authorization: Bearer ${tok[$bad]}" "$h"
done
expect 403 "header: no Authorization" "$h"
expect 403 "header: Basic credentials" -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l" "$h"
expect 200 "query: valid token" "$q?token=${tok[good]}"
expect 200 "query: among other parameters" "$q?a=1&token=${tok[good]}&b=2"
expect 403 "query: expired" "$q?token=${tok[expired]}"
expect 403 "query: none" "$q"
expect 403 "query: the header port's way" -H "Authorization: Bearer ${tok[good]}" "$q"
# Many requests at once over the concurrent channels: every one answered right.
for i in $(seq 1 40); do
  if [ $((i % 2)) -eq 0 ]; then t=${tok[good]}; else t=${tok[expired]}; fi
  curl -s -o /dev/null -w "$i %{http_code}\n" -H "Authorization: Bearer $t" "$h" &
done >"$dir/burst" 2>&1
wait $(jobs -p | grep -v -e "^$origin_pid\$" -e "^$squid_pid\$") 2>/dev/null || true
bad_burst=$(awk '($1 % 2 == 0 && $2 != 200) || ($1 % 2 == 1 && $2 != 403)' "$dir/burst" | wc -l)
[ "$(wc -l <"$dir/burst")" -eq 40 ] && [ "$bad_burst" -eq 0 ] && echo "ok   40 concurrent requests, each judged right" ||
  { echo "FAIL concurrent burst: $(cat "$dir/burst" | tr '\n' ' ')"; failures=$((failures + 1)); }

# Squid logged the verified subject as the user (the helper's user=).
sleep 0.5
grep -q " alice 200 GET" "$dir/access.log" && echo "ok   access.log names the token's subject" ||
  { echo "FAIL access.log: $(head -n3 "$dir/access.log")"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "squid_test: all passed" || { echo "squid_test: $failures failed"; tail -n 20 "$dir/cache.log"; exit 1; }
