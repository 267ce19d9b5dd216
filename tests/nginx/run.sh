#!/usr/bin/env bash
# End-to-end tests of ngx_http_edgekit_module inside Debian's real nginx: the
# module is built (bindings/nginx/build.sh), nginx runs from a private prefix
# on a free loopback port, and curl checks what it answers. Tokens and keys come
# from PyJWT and python3-cryptography (tests/nginx/gen_tokens.py). The suite
# runs once with 1 worker and once with 2. nginx is stopped on any exit.
#
# Usage: tests/nginx/run.sh   (exit status 0 when every check passed)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
root=$PWD

so=$(bash bindings/nginx/build.sh | tail -n 1) || { echo "nginx: build failed"; exit 1; }
[ -f "$so" ] || { echo "nginx: no module at '$so'"; exit 1; }

prefix=$root/build/nginx-test
nginx_pid=
passed=0
failed=0

stop_nginx() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
  fi
  nginx_pid=
}
trap stop_nginx EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf '  FAIL  %s: %s\n' "$1" "$2"; }

rm -rf "$prefix"
mkdir -p "$prefix"/{conf,logs,html}
# Workers run as nobody when the tests run as root: they must reach html/.
chmod 755 "$prefix" "$prefix/html"
printf 'ok\n' >"$prefix/html/ok"
/usr/bin/python3 tests/nginx/gen_tokens.py "$prefix/conf" "$(date +%s)" ||
  { echo "nginx: gen_tokens.py failed (needs Debian's python3-jwt)"; exit 1; }
declare -A tok
while read -r name value; do tok[$name]=$value; done <"$prefix/conf/tokens.txt"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

# write_conf FILE WORKERS [EXTRA_SERVER_LINES [EXTRA_HTTP_LINES]]
write_conf() {
  cat >"$1" <<EOF
master_process on;
worker_processes $2;
pid $prefix/logs/nginx.pid;
error_log $prefix/logs/error.log info;
load_module $so;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $prefix/body; proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fastcgi; uwsgi_temp_path $prefix/uwsgi;
  scgi_temp_path $prefix/scgi;
  edgekit_inventory_zone sale 2m skus=16 buyers=4096 holds=1024;
  edgekit_inventory_stock sale flash 25;
  edgekit_inventory_stock sale limited 3;
  edgekit_inventory_stock sale short 1;
  edgekit_inventory_zone bulk 2m skus=4 buyers=1024 holds=1024;
  edgekit_inventory_stock bulk lots 300;
  server {
    listen 127.0.0.1:$port;
    edgekit_jwt_keys keys.jwks;
    edgekit_jwt_issuer https://issuer.test;
    edgekit_jwt_audience other-edge;
    edgekit_jwt_audience edge;
    $3
    location /api/ {
      edgekit_jwt on;
      add_header X-Status \$edgekit_jwt_status always;
      add_header X-Sub \$edgekit_jwt_claim_sub;
      add_header X-Uid \$edgekit_jwt_claim_uid;
      add_header X-Admin \$edgekit_jwt_claim_admin;
      add_header X-Name \$edgekit_jwt_claim_name;
      add_header X-Roles "[\$edgekit_jwt_claim_roles]";
      alias html/;
    }
    location /leeway/ { edgekit_jwt on; edgekit_jwt_leeway 1m; alias html/; }
    location /rs-only/ { edgekit_jwt on; edgekit_jwt_algorithms RS256 PS256; alias html/; }
    location /cached/ { edgekit_jwt on; edgekit_jwt_cache 64; alias html/; }
    location /cookie/ {
      edgekit_jwt on;
      edgekit_jwt_token \$cookie_auth;
      add_header X-Sub \$edgekit_jwt_claim_sub;
      alias html/;
    }
    location /arg/ { edgekit_jwt on; edgekit_jwt_token \$arg_token; alias html/; }
    location /pem/ { edgekit_jwt on; edgekit_jwt_keys ed25519.pub.pem; alias html/; }
    location /off/ {
      edgekit_jwt off;
      add_header X-Status "[\$edgekit_jwt_status]";
      alias html/;
    }
    location /proxied/ {
      edgekit_jwt on;
      proxy_set_header X-User \$edgekit_jwt_claim_sub;
      proxy_pass http://127.0.0.1:$port/echo/;
    }
    location /echo/ { return 200 "user=\$http_x_user\n"; }
    location /buy/ {
      edgekit_jwt on;
      edgekit_inventory_acquire sale sku=\$arg_sku buyer=\$edgekit_jwt_claim_sub;
    }
    location /buy-short/ {
      edgekit_inventory_acquire sale sku=short buyer=\$arg_buyer ttl=1s;
    }
    location /buy-lots/ {
      edgekit_inventory_acquire bulk sku=lots buyer=\$arg_buyer ttl=1h;
    }
  }
  ${4:-}
}
EOF
}

# expect NAME CODE HEADER_REGEX CURL_ARGS...: the status line must be CODE
# and, unless HEADER_REGEX is empty, some response header line must match HEADER_REGEX.
expect() {
  local name=$1 code=$2 header=${3:-} out got
  shift 3
  out=$(curl -s -o /dev/null -D - --max-time 10 "$@" 2>&1 | tr -d '\r')
  got=$(awk 'NR==1 {print $2}' <<<"$out")
  if [ "$got" != "$code" ]; then bad "$name" "status '$got', want $code"; return; fi
  if [ -n "$header" ] && ! grep -qE "$header" <<<"$out"; then
    bad "$name" "no header line matches /$header/ in: $(tr '\n' '|' <<<"$out")"; return
  fi
  ok "$name"
}

bearer() { printf 'Authorization: Bearer %s' "${tok[$1]}"; }

# Refused tokens: each gives 401, the invalid_token challenge and its status.
refused() {
  local name=$1 status=$2
  expect "$name -> 401 $status" 401 "^X-Status: $status$" -H "$(bearer "$name")" "$base/api/ok"
  expect "$name -> invalid_token challenge" 401 '^WWW-Authenticate: Bearer error="invalid_token"$' \
    -H "$(bearer "$name")" "$base/api/ok"
}

# A request that waits for its body while another request verifies a token in
# the same worker: its claim variables must still be its own.
interleaved() {
  /usr/bin/python3 - "$port" "${tok[es_valid]}" "${tok[rs_valid]}" <<'EOF'
import socket, subprocess, sys, time
port, alice, bob = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", int(port)))
s.sendall(("POST /proxied/ok HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
           "Content-Length: 4\r\nConnection: close\r\n\r\n" % alice).encode())
time.sleep(0.3)
other = subprocess.run(["curl", "-s", "-H", "Authorization: Bearer " + bob,
                        "http://127.0.0.1:%s/proxied/x" % port],
                       capture_output=True, text=True).stdout
s.sendall(b"body")
resp = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    resp += chunk
first = resp.split(b"\r\n\r\n", 1)[-1].decode()
sys.exit(0 if other == "user=bob\n" and first == "user=alice\n" else
         print("other=%r first=%r" % (other, first)) or 1)
EOF
}

# Every buyer tries once, concurrently, for the 25 units of "flash": exactly
# 25 holds with distinct ids, the rest sold out, then nothing more for anyone.
flash_sale() {
  /usr/bin/python3 - "$base" "$prefix/conf/buyers.txt" <<'EOF'
import concurrent.futures, json, sys, urllib.error, urllib.request
base, tokens = sys.argv[1], open(sys.argv[2]).read().split()
def buy(tok):
    req = urllib.request.Request(base + "/buy/x?sku=flash",
                                 headers={"Authorization": "Bearer " + tok})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
with concurrent.futures.ThreadPoolExecutor(12) as pool:
    first = list(pool.map(buy, tokens))
    again = list(pool.map(buy, tokens))
wins = [b["hold"] for c, b in first if c == 200]
codes = sorted(set(c for c, _ in first))
late = sorted(set(c for c, _ in again))
bad = len(wins) != 25 or len(set(wins)) != 25 or codes != [200, 409] or late != [409]
if bad:
    print("wins=%d distinct=%d codes=%s again=%s" % (len(wins), len(set(wins)), codes, late))
sys.exit(1 if bad else 0)
EOF
}

# 300 units, enough that each worker refills its CPU's lane in blocks: 400
# buyers at once get exactly 300 distinct holds, the last units gathered
# back from the lanes, and 100 answers of sold out.
lane_sale() {
  /usr/bin/python3 - "$base" <<'EOF'
import concurrent.futures, json, sys, urllib.error, urllib.request
base = sys.argv[1]
def buy(i):
    try:
        with urllib.request.urlopen(base + "/buy-lots/?buyer=b%d" % i,
                                    timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    first = list(pool.map(buy, range(400)))
wins = [b["hold"] for c, b in first if c == 200]
lost = [c for c, _ in first if c != 200]
bad = len(wins) != 300 or len(set(wins)) != 300 or lost != [409] * 100
if bad:
    print("wins=%d distinct=%d others=%s" % (len(wins), len(set(wins)),
                                            sorted(set(lost))))
sys.exit(1 if bad else 0)
EOF
}

run_suite() {
  local workers=$1
  printf '\n-- %s worker(s)\n' "$workers"
  write_conf "$prefix/conf/nginx.conf" "$workers" ""
  if ! nginx -t -q -p "$prefix" -c conf/nginx.conf; then
    bad "nginx -t ($workers workers)" "configuration refused"; return
  fi
  : >"$prefix/logs/error.log"
  nginx -p "$prefix" -c conf/nginx.conf -g 'daemon off;' &
  nginx_pid=$!
  local up=
  for _ in $(seq 50); do
    curl -s -o /dev/null "$base/off/ok" && { up=1; break; }
    sleep 0.1
  done
  [ -n "$up" ] || { bad "start ($workers workers)" "nginx did not answer"; stop_nginx; return; }
  local n
  n=$(pgrep -P "$nginx_pid" | wc -l)
  [ "$n" -eq "$workers" ] && ok "$workers worker process(es) running" ||
    bad "worker count" "$n processes, want $workers"

  expect "valid ES256 -> 200, claims as headers" 200 '^X-Sub: alice$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "status variable ok" 200 '^X-Status: ok$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "number claim as text" 200 '^X-Uid: 42$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "boolean claim as text" 200 '^X-Admin: true$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "escaped string claim unescaped" 200 '^X-Name: Zoë "Z"$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "array claim is not found" 200 '^X-Roles: \[\]$' -H "$(bearer es_valid)" "$base/api/ok"
  expect "claim with CR LF -> still 200" 200 '^X-Sub: alice$' -H "$(bearer crlf_claim)" "$base/api/ok"
  if curl -s -o /dev/null -D - --max-time 10 -H "$(bearer crlf_claim)" "$base/api/ok" |
       tr -d '\r' | grep -qiE '^(X-Injected|X-Name):'; then
    bad "claim with CR LF" "it reached the response headers"
  else
    ok "claim with CR LF is not found, no header split"
  fi
  expect "valid RS256 -> 200" 200 '^X-Sub: bob$' -H "$(bearer rs_valid)" "$base/api/ok"
  expect "audience array holding ours -> 200" 200 '^X-Sub: carol$' -H "$(bearer aud_array)" "$base/api/ok"
  expect "lower-case bearer scheme, extra spaces" 200 '^X-Sub: alice$' \
    -H "authorization: bearer   ${tok[es_valid]}  " "$base/api/ok"

  expect "missing token -> 401" 401 '^WWW-Authenticate: Bearer$' "$base/api/ok"
  expect "missing token -> status no_token" 401 '^X-Status: no_token$' "$base/api/ok"
  expect "Basic credentials -> 401 Bearer" 401 '^WWW-Authenticate: Bearer$' -u a:b "$base/api/ok"
  expect "empty bearer -> 401" 401 '^WWW-Authenticate: Bearer$' -H 'Authorization: Bearer ' "$base/api/ok"
  refused expired expired
  refused not_yet_valid not_yet_valid
  refused bad_signature bad_signature
  refused other_key bad_signature
  refused unknown_kid key_not_found
  refused wrong_issuer bad_issuer
  refused wrong_audience bad_audience
  refused alg_none unsupported_alg
  refused alg_none_kid unsupported_alg
  refused hs_confusion key_not_found
  refused malformed malformed

  expect "expired 10 s ago, leeway 1m -> 200" 200 '' -H "$(bearer recently_expired)" "$base/leeway/ok"
  expect "expired 1 h ago, leeway 1m -> 401" 401 '' -H "$(bearer expired)" "$base/leeway/ok"
  expect "algorithm allow-list admits RS256" 200 '' -H "$(bearer rs_valid)" "$base/rs-only/ok"
  expect "algorithm allow-list refuses ES256" 401 'invalid_token' -H "$(bearer es_valid)" "$base/rs-only/ok"
  expect "cached verifier, first sight" 200 '' -H "$(bearer rs_valid)" "$base/cached/ok"
  expect "cached verifier, second sight" 200 '' -H "$(bearer rs_valid)" "$base/cached/ok"
  expect "cached verifier still refuses expired" 401 '' -H "$(bearer expired)" "$base/cached/ok"
  expect "token from a cookie -> 200" 200 '^X-Sub: alice$' -b "auth=${tok[es_valid]}" "$base/cookie/ok"
  expect "cookie location ignores Authorization" 401 '^WWW-Authenticate: Bearer$' \
    -H "$(bearer es_valid)" "$base/cookie/ok"
  expect "bad token in the cookie -> 401" 401 'invalid_token' -b "auth=${tok[expired]}" "$base/cookie/ok"
  expect "token from an argument -> 200" 200 '' "$base/arg/ok?token=${tok[es_valid]}"
  expect "PEM Ed25519 key, EdDSA token -> 200" 200 '' -H "$(bearer ed_valid)" "$base/pem/ok"
  expect "PEM location refuses the JWKS key's token" 401 '' -H "$(bearer es_valid)" "$base/pem/ok"
  expect "module off -> 200 without token, no status" 200 '^X-Status: \[\]$' "$base/off/ok"

  local body
  body=$(curl -s --max-time 10 -H "$(bearer es_valid)" "$base/proxied/ok")
  [ "$body" = "user=alice" ] && ok "claim passed upstream by proxy_set_header" ||
    bad "claim passed upstream by proxy_set_header" "body '$body'"
  body=$(curl -s --max-time 10 -H "$(bearer expired)" -o /dev/null -w '%{http_code}' "$base/proxied/ok")
  [ "$body" = 401 ] && ok "expired never reaches upstream" || bad "expired never reaches upstream" "$body"
  interleaved && ok "claims stay per request across interleaved verifies" ||
    bad "interleaved requests" "claims crossed between requests"

  flash_sale && ok "60 concurrent buyers, 25 units: 25 distinct holds, never more" ||
    bad "flash sale" "oversold or wrong answers"
  lane_sale && ok "400 concurrent buyers, 300 units through lanes: exactly 300 holds" ||
    bad "lane sale" "oversold, undersold or wrong answers"
  local b0 b1 b2 b3
  b0=$(sed -n 1p "$prefix/conf/buyers.txt"); b1=$(sed -n 2p "$prefix/conf/buyers.txt")
  b2=$(sed -n 3p "$prefix/conf/buyers.txt"); b3=$(sed -n 4p "$prefix/conf/buyers.txt")
  body=$(curl -s --max-time 10 -H "Authorization: Bearer $b0" "$base/buy/x?sku=limited")
  [[ $body =~ ^\{\"status\":\"ok\",\"hold\":\"[0-9]+\"\}$ ]] && ok "acquire answers its hold id" ||
    bad "acquire answers its hold id" "body '$body'"
  expect "same buyer again -> 429 buyer limit" 429 '' -H "Authorization: Bearer $b0" "$base/buy/x?sku=limited"
  expect "second buyer -> 200" 200 '' -H "Authorization: Bearer $b1" "$base/buy/x?sku=limited"
  expect "third buyer -> 200" 200 '' -H "Authorization: Bearer $b2" "$base/buy/x?sku=limited"
  expect "fourth buyer -> 409 sold out" 409 '' -H "Authorization: Bearer $b3" "$base/buy/x?sku=limited"
  expect "unknown SKU -> 404" 404 '' -H "Authorization: Bearer $b3" "$base/buy/x?sku=nope"
  expect "no SKU -> 400" 400 '' -H "Authorization: Bearer $b3" "$base/buy/x"
  expect "buying needs a token -> 401" 401 '' "$base/buy/x?sku=flash"
  expect "short hold taken" 200 '' "$base/buy-short/?buyer=p"
  expect "short SKU sold out while held" 409 '' "$base/buy-short/?buyer=q"
  sleep 2.2
  expect "expired hold returned by the worker timer" 200 '' "$base/buy-short/?buyer=q"
  kill -HUP "$nginx_pid"
  sleep 1.5
  expect "after reload the zone keeps its stock (still sold out)" 409 '' \
    -H "Authorization: Bearer $b3" "$base/buy/x?sku=limited"
  expect "after reload tokens still verify" 200 '^X-Sub: alice$' -H "$(bearer es_valid)" "$base/api/ok"

  grep -q 'edgekit_jwt: access refused: expired' "$prefix/logs/error.log" &&
    ok "refusal logged with its status name" || bad "log" "no 'access refused: expired' line"
  if grep -E '\[(alert|crit|emerg)\]|exited on signal' "$prefix/logs/error.log"; then
    bad "error log" "alerts or crashes above"
  else
    ok "no alert, crit or crash in the error log"
  fi
  stop_nginx
}

# nginx -t must refuse bad configurations with a message naming the problem.
refuses_conf() {
  local name=$1 pattern=$2 out
  write_conf "$prefix/conf/bad.conf" 1 "$3" "${4:-}"
  if out=$(nginx -t -p "$prefix" -c conf/bad.conf 2>&1); then
    bad "nginx -t refuses $name" "accepted"
  elif ! grep -qE "$pattern" <<<"$out"; then
    bad "nginx -t refuses $name" "message: $out"
  else
    ok "nginx -t refuses $name"
  fi
}

run_suite 1
run_suite 2

printf '\n-- nginx -t\n'
refuses_conf "a garbage key file" 'edgekit_jwt_keys ".*garbage.jwks": not a usable PEM key: malformed' \
  'location /g/ { edgekit_jwt on; edgekit_jwt_keys garbage.jwks; }'
refuses_conf "a missing key file" 'open\(\) ".*missing.jwks" failed' \
  'location /g/ { edgekit_jwt on; edgekit_jwt_keys missing.jwks; }'
refuses_conf "an RSA-1024 key" 'not a usable PEM key: bad_key' \
  'location /g/ { edgekit_jwt on; edgekit_jwt_keys rsa1024.pub.pem; }'
refuses_conf "edgekit_jwt without keys" 'no "edgekit_jwt_keys" is set' '' \
  "server { listen 127.0.0.1:$port; server_name nokeys; location / { edgekit_jwt on; } }"
refuses_conf "an unknown algorithm" 'cannot build the verifier: invalid_argument' \
  'location /g/ { edgekit_jwt on; edgekit_jwt_algorithms RS256 XX999; }'
refuses_conf "kid= on a JWKS" '"kid=" is for PEM keys' \
  'location /g/ { edgekit_jwt on; edgekit_jwt_keys keys.jwks kid=a; }'

refuses_conf "a zone too small for its region" 'the region needs [0-9]+ bytes' '' \
  'edgekit_inventory_zone tiny 64k skus=16;'
refuses_conf "an undeclared zone" 'unknown edgekit_inventory_zone "nozone"' \
  'location /b/ { edgekit_inventory_acquire nozone sku=a buyer=b; }'
refuses_conf "acquire without buyer=" 'needs both "sku=" and "buyer="' \
  'location /b/ { edgekit_inventory_acquire sale sku=a; }'

printf '\nnginx module: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
