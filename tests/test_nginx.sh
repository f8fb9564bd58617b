#!/bin/bash
# The shipped nginx cache (contrib/nginx/bordercop-cache.conf) in front of
# the real bordercop-sim, with real bordercop pollers (tests/fanout):
# pollers at the same version share one upstream request, an unchanged
# poll through the cache is a 304 with no body, and with a token per side
# (a partitioned API) neither side ever gets the other's answer, and no
# token or a wrong one never gets a cached answer.  Skipped (77) without
# nginx.  bash for its /dev/tcp.
set -u
top_srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
sim="$builddir/src/bordercop-sim"
fanout="$builddir/tests/fanout"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-nginx.XXXXXX") || exit 1
. "$top_srcdir/tests/nginx-lib.sh"
if [ -z "$nginx_bin" ]; then
	echo "SKIP: nginx is not installed (apt-get install nginx)"
	rm -rf "$tmp"
	exit 77
fi
simpid=
stop_sim() {
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
	simpid=
}
trap 'nginx_stop; stop_sim; rm -rf "$tmp"' EXIT INT TERM
failures=0
check() {	# check NAME COMMAND...: the command must succeed
	name=$1; shift
	if "$@"; then echo "ok: $name"; else
		echo "FAIL: $name"; failures=$((failures + 1)); fi
}

# start_sim ARGS...: the simulator on a free port; sets $sim_port.
start_sim() {
	: >"$tmp/sim.out"
	"$sim" --listen 127.0.0.1:0 --seed 5 --units 40 --tick 3600 \
	    --start 2026-11-28T02:00:00Z --instance nginx "$@" \
	    >"$tmp/sim.out" 2>"$tmp/sim.err" &
	simpid=$!
	i=0
	while ! grep -q "listening on" "$tmp/sim.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: sim did not start"; cat "$tmp/sim.err"; exit 1; }
		sleep 0.1
	done
	sim_port=$(sed -n 's/^listening on 127.0.0.1://p' "$tmp/sim.out")
}

# get PATH [HEADER...]: one request through the cache; the answer in
# $tmp/resp, its status in $status, a header with hdr NAME.
get() {
	path=$1; shift
	exec 3<>"/dev/tcp/127.0.0.1/${cache_url##*:}" || return 1
	{
		printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' "$path"
		for h in "$@"; do printf '%s\r\n' "$h"; done
		printf '\r\n'
	} >&3
	cat <&3 >"$tmp/resp"
	exec 3<&-
	status=$(head -n 1 "$tmp/resp" | cut -d' ' -f2)
}
hdr() {
	sed -n "/^\r\$/q; s/^$1: //Ip" "$tmp/resp" | tr -d '\r' | head -n 1
}
body_len() {
	sed '1,/^\r$/d' "$tmp/resp" | wc -c
}

# 1. Two pollers started together, polling every second for 3.5 s: their
#    first polls share one upstream request for the full answer, their
#    next ones one for the incremental URL, and every poll after the first
#    is a 304 from the cache.
start_sim
nginx_start "$sim_port" || { echo "FAIL: nginx did not start"; exit 1; }
"$fanout" -u "$cache_url" -n 2 -s 0 -i 1 -d 3.5 -L "$tmp/upstream.log" \
    >"$tmp/fan.out" 2>"$tmp/fan.err"
cat "$tmp/fan.out"
val() { sed -n "s/^$1=//p" "$tmp/fan.out"; }
polls=$(val polls)
check "the pollers polled (at least 6 polls)" [ "${polls:-0}" -ge 6 ]
check "no poll failed" [ "$(val failed)" = 0 ]
check "two 200s: the first poll of each" [ "$(val ok200)" = 2 ]
check "every later poll is a 304" [ "$(val not_modified)" = $((polls - 2)) ]
check "two upstream requests in all" [ "$(val upstream)" = 2 ]
check "one upstream request for both first polls" \
    [ "$(grep -c '^GET /v1/positions HTTP' "$tmp/upstream.log")" = 1 ]
check "one upstream request for the incremental URL" \
    [ "$(grep -c '^GET /v1/positions?since=' "$tmp/upstream.log")" = 1 ]
check "the cache logged its hits" grep -q 'cache=HIT' "$tmp/access.log"

# 2. By hand: the unchanged poll is a 304 with no body, from the cache.
get /v1/positions 'Accept-Encoding: gzip'
check "full answer through the cache: 200" [ "$status" = 200 ]
check "gzip passed through" [ "$(hdr Content-Encoding)" = gzip ]
etag=$(hdr ETag)
check "a short strong ETag" [ -n "$etag" ] && [ ${#etag} -le 128 ] &&
    [ "${etag#W/}" = "$etag" ]
get /v1/positions
cursor=$(sed '1,/^\r$/d' "$tmp/resp" | sed -n 's/.*"cursor":"\([^"]*\)".*/\1/p')
check "the plain answer has a cursor" [ -n "$cursor" ]
get "/v1/positions?since=$cursor" 'Accept-Encoding: gzip' "If-None-Match: $etag"
check "unchanged poll through the cache: 304" [ "$status" = 304 ]
check "the 304 has no body" [ "$(body_len)" -eq 0 ]
check "the 304 came from the cache" [ "$(hdr X-Cache-Status)" = HIT ]
nginx_stop
stop_sim

# 3. A partitioned API: one token per side.
printf 'us-side-token\n' >"$tmp/us.tok"
printf 'mx-side-token\n' >"$tmp/mx.tok"
chmod 600 "$tmp/us.tok" "$tmp/mx.tok"
rm -rf "$tmp/nginx/cache"
start_sim --token-file "US=$tmp/us.tok" --token-file "MX=$tmp/mx.tok"
nginx_start "$sim_port" || { echo "FAIL: nginx did not start"; exit 1; }
wrong=0
for round in 1 2 3; do
	for side in US MX; do
		tok=$(echo "$side" | tr 'A-Z' 'a-z')-side-token
		get /v1/positions "Authorization: Bearer $tok"
		[ "$status" = 200 ] || wrong=$((wrong + 1))
		grep -q "\"partition\":\"$side\"" "$tmp/resp" ||
		    wrong=$((wrong + 1))
		[ "$round" -gt 1 ] && [ "$(hdr X-Cache-Status)" != HIT ] &&
		    wrong=$((wrong + 1))
	done
done
check "each side always gets its own answer, from the cache after the first" \
    [ $wrong -eq 0 ]
check "one upstream request per side" \
    [ "$(grep -c '^GET /v1/positions HTTP' "$tmp/upstream.log")" = 2 ]
get /v1/positions
check "no token: refused, not served from the cache" [ "$status" = 401 ]
get /v1/positions "Authorization: Bearer us-side-tokeN"
check "a wrong token: refused" [ "$status" = 401 ]
get /v1/positions "Authorization: Bearer us-side-token"
us_etag=$(hdr ETag)
get /v1/positions "Authorization: Bearer mx-side-token" "If-None-Match: $us_etag"
check "the US tag is no 304 for MX" [ "$status" = 200 ] &&
    grep -q '"partition":"MX"' "$tmp/resp"
# Real pollers of both sides at once.
"$fanout" -u "$cache_url" -n 3 -i 1 -d 2.5 -T "$tmp/us.tok" \
    >"$tmp/fan.us" 2>&1 &
fpid=$!
"$fanout" -u "$cache_url" -n 3 -i 1 -d 2.5 -T "$tmp/mx.tok" \
    >"$tmp/fan.mx" 2>&1
wait $fpid
check "US pollers: no failure" grep -q '^failed=0$' "$tmp/fan.us"
check "MX pollers: no failure" grep -q '^failed=0$' "$tmp/fan.mx"

# 4. The control: the same configuration without the token in its key
#    gives one side's cached answer to the other, and this test sees it.
nginx_stop
rm -rf "$tmp/nginx/cache"
cp "$top_srcdir/contrib/nginx/bordercop-cache.conf" "$tmp/unkeyed.conf"
sed -i 's/|\$http_authorization"/"/' "$tmp/unkeyed.conf"
check "the control drops the token from the key" \
    [ "$(grep -c 'http_authorization' "$tmp/unkeyed.conf")" -eq 0 ]
nginx_conf="$tmp/unkeyed.conf" nginx_start "$sim_port" ||
    { echo "FAIL: nginx did not start"; exit 1; }
get /v1/positions "Authorization: Bearer us-side-token"
get /v1/positions "Authorization: Bearer mx-side-token"
check "control: without the token in the key, MX gets the US answer" \
    grep -q '"partition":"US"' "$tmp/resp"
get /v1/positions
check "control: and no token at all gets it too" [ "$status" = 200 ]

[ $failures -eq 0 ] || { echo "nginx error log:"; cat "$tmp/nginx/error.log"; }
exit $((failures > 0))
