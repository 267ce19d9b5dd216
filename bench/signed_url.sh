#!/usr/bin/env bash
# Signed-URL benchmarks, run by `make bench` (scripts/bench.sh builds first):
#  1. bench_signed_url on both crypto backends, pinned to core 0, 5
#     repetitions, CPU-time medians, each dialect's ratio to its floor.
#  2. The real nginx's secure_link_md5, as a WHOLE-REQUEST comparison: one
#     nginx process (core 0) answering `return 200` with and without a
#     secure_link check, loaded by wrk (core 1). The difference of the two
#     per-request times is nginx's secure_link cost, to set beside edgekit's
#     NginxMd5 verify time from step 1. It includes noise of a few percent of
#     a ~10 µs request, so read it as an order of magnitude.
# On a shared machine other work skews both; say so when quoting numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}

for backend in boringssl openssl; do
  bin=build/bench-$backend/bench_signed_url
  if [ ! -x "$bin" ]; then echo "signed_url.sh: $bin not built, skipped"; continue; fi
  echo "== bench_signed_url ($backend), taskset -c 0, $REPS repetitions"
  taskset -c 0 "$bin" --benchmark_repetitions="$REPS" \
    --benchmark_report_aggregates_only=true --benchmark_color=false
done

nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ] || ! command -v wrk >/dev/null; then
  echo "signed_url.sh: nginx or wrk missing (scripts/install-deps.sh bench); whole-request comparison skipped"
  exit 0
fi

prefix=$(mktemp -d /tmp/edgekit-nginx-bench-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$prefix"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$prefix/logs"
cat >"$prefix/nginx.conf" <<CONF
daemon off;
master_process off;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type text/plain;
  server {
    listen 127.0.0.1:$port;
    location /r/ { return 200 "ok\n"; }
    location /s/ {
      secure_link \$arg_md5,\$arg_expires;
      secure_link_md5 "\$secure_link_expires\$uri\$remote_addr secret";
      if (\$secure_link = "") { return 403; }
      if (\$secure_link = "0") { return 410; }
      return 200 "ok\n";
    }
  }
}
CONF
taskset -c 0 "$nginx" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/r/" && break; sleep 0.1; done

exp=4102444800
md5=$(printf '%s' "$exp/s/f.txt127.0.0.1 secret" | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =)
link="http://127.0.0.1:$port/s/f.txt?md5=$md5&expires=$exp"
ref="http://127.0.0.1:$port/r/f.txt?md5=$md5&expires=$exp"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$link")" = 200 ] || { echo "secure link refused"; exit 1; }

rps() { taskset -c 1 wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$prefix/ref" ; : >"$prefix/link"
taskset -c 1 wrk -t1 -c32 -d2s "$ref" >/dev/null   # warm-up
for _ in $(seq "$ROUNDS"); do
  rps "$ref" >>"$prefix/ref"
  rps "$link" >>"$prefix/link"
done
r=$(median <"$prefix/ref"); l=$(median <"$prefix/link")
echo
echo "== nginx $("$nginx" -v 2>&1 | sed 's/.*\///') whole-request comparison (1 process on core 0, wrk -c32 on core 1, $ROUNDS x ${SECONDS_PER_RUN}s, medians)"
echo "   return 200                  : $r req/s  (runs: $(tr '\n' ' ' <"$prefix/ref"))"
echo "   secure_link_md5 + return 200: $l req/s  (runs: $(tr '\n' ' ' <"$prefix/link"))"
awk -v r="$r" -v l="$l" 'BEGIN { printf "   secure_link cost per request: %.0f ns (1e9/%s - 1e9/%s); compare BM_NginxMd5 above\n", 1e9/l - 1e9/r, l, r }'
