#!/usr/bin/env bash
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
#
# The helper's side of Squid's external ACL protocol, without Squid: request
# lines in, exact replies out. Tokens come from PyJWT (make_tokens.py).
# Usage: helper_test.sh PATH/TO/edgekit-squid-helper
set -euo pipefail
helper=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 "$here/make_tokens.py" "$dir" "$(date +%s)"
declare -A tok
while read -r name token; do tok[$name]=$token; done <"$dir/tokens"

failures=0
# expect NAME HELPER_ARGS... <<< "input lines"; compares stdout with $want.
check() {
  local name=$1; shift
  local got
  got=$("$helper" "$@" <<<"$input" 2>"$dir/stderr") || {
    echo "FAIL $name: helper exited $? ($(cat "$dir/stderr"))"; failures=$((failures + 1)); return; }
  if [ "$got" != "$want" ]; then
    echo "FAIL $name"; diff <(echo "$want") <(echo "$got") | sed "s/^/    /" || true
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}
policy=(--keys "$dir/keys.jwks" --issuer https://issuer.example --audience edge)

# Every verdict, with channel IDs (concurrency=N), the way Squid quotes an
# Authorization header: the space as %20.
input="0 Bearer%20${tok[good]}
1 Bearer%20${tok[good_hs]}
2 ${tok[good]}
3 bearer%20%20${tok[good]}
4 Bearer%20${tok[expired]}
5 Bearer%20${tok[not_yet_valid]}
6 Bearer%20${tok[wrong_issuer]}
7 Bearer%20${tok[wrong_audience]}
8 Bearer%20${tok[other_key]}
9 Bearer%20${tok[alg_none]}
10 -
11 Bearer%20${tok[good_no_kid]}
12 Bearer%20not.a.token
13 Bearer%20${tok[good]}%2
14 Basic%20YWxhZGRpbjpvcGVuc2VzYW1l
15 Bearer%20${tok[good]} extra values ignored
16"
want="0 OK user=alice
1 OK user=bob%20smith%2F%C3%BC
2 OK user=alice
3 OK user=alice
4 ERR message=expired
5 ERR message=not_yet_valid
6 ERR message=bad_issuer
7 ERR message=bad_audience
8 ERR message=bad_signature
9 ERR message=unsupported_alg
10 ERR message=missing_token
11 OK user=alice
12 ERR message=malformed
13 ERR message=malformed
14 ERR message=malformed
15 OK user=alice
16 ERR message=missing_token"
check "every verdict, concurrent" "${policy[@]}" --concurrency

# Without channel IDs; a PEM key without a kid serves the token without one;
# no user= when the claim is turned off.
input="Bearer%20${tok[good_no_kid]}
Bearer%20${tok[good]}"
want="OK
ERR message=key_not_found"
check "PEM key, no user claim" --keys "$dir/rsa.pub.pem" --user-claim ""

# The token in a query parameter of %>ru, as Squid quotes the URL, and with
# the parameter itself percent-encoded inside the URL.
input="1 http%3A%2F%2Forigin.local%2Fitem%3Fx%3D1%26token%3D${tok[good]}%26y%3D2
2 http://origin.local/item?token=${tok[good]}#frag
3 http://origin.local/item?token%3D${tok[good]}
4 http://origin.local/item?tok=${tok[good]}
5 http://origin.local/item?token=${tok[expired]}"
want="1 OK user=alice
2 OK user=alice
3 OK user=alice
4 ERR message=missing_token
5 ERR message=expired"
check "query parameter" "${policy[@]}" --concurrency --query token

# A line with no channel ID under concurrency cannot be answered on a
# channel: BH, and the helper goes on. A 100 KB line is just a bad token.
long=$(head -c 100000 /dev/zero | tr '\0' 'A')
input="Bearer%20${tok[good]}
7 Bearer%20$long
8 Bearer%20${tok[good]}"
want="BH message=no_channel_id
7 ERR message=malformed
8 OK user=alice"
check "unroutable and oversized lines" "${policy[@]}" --concurrency

# Start-up errors: exit non-zero with a reason, never answer.
for bad in "--keys $dir/missing" "--keys $dir/tokens" "" "--keys $dir/keys.jwks --leeway -1" \
           "--keys $dir/keys.jwks --algorithm XX999" "--keys $dir/keys.jwks stray"; do
  # shellcheck disable=SC2086
  if "$helper" $bad </dev/null >"$dir/out" 2>"$dir/err" || [ ! -s "$dir/err" ] || [ -s "$dir/out" ]; then
    echo "FAIL start-up '$bad' should fail with a message"; failures=$((failures + 1))
  else
    echo "ok   start-up '$bad' refused: $(head -n1 "$dir/err")"
  fi
done

[ "$failures" -eq 0 ] && echo "helper_test: all passed" || { echo "helper_test: $failures failed"; exit 1; }
