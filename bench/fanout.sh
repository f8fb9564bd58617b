#!/bin/sh
#
# fanout.sh: hundreds of bordercop pollers against bordercop-sim, through
# the shipped nginx cache (contrib/nginx/bordercop-cache.conf) and
# without it.  Run by `make bench-fanout` (and `make bench`); skipped
# when nginx is not installed.  See bench/README.md.
#
# Each case: N pollers of the project's own poller (tests/fanout, one
# process, first polls spread over one interval) at the default interval
# of 10 s, against a simulator of 300 units publishing a version every
# 5 s (its defaults).  After a warm-up of one interval (the first, full
# polls), FANOUT_SECONDS of polls are counted.  Printed per case: the
# requests per second that reached the simulator (target <= 1 with the
# cache), the share of polls answered 304, body bytes per poll on the
# wire, and the 99th percentile of a poll's transfer time.  The baseline
# ("no-cache") goes through the same nginx without the cache: the
# simulator itself takes at most 64 connections from one address.
#
# One more case shows the 304s: with a version every 5 s and a poll every
# 10 s a client always finds something new, so the largest N is run once
# more against a simulator that publishes every FANOUT_QUIET_TICK s (30).
#
# Environment: FANOUT_NS (default "200 1000"), FANOUT_SECONDS (60),
# FANOUT_INTERVAL (10), FANOUT_QUIET_TICK (30; 0: no such case).
set -u
top_srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
sim="$builddir/src/bordercop-sim"
fanout="$builddir/tests/fanout"
ns=${FANOUT_NS:-200 1000}
secs=${FANOUT_SECONDS:-60}
interval=${FANOUT_INTERVAL:-10}
quiet=${FANOUT_QUIET_TICK:-30}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-fanout.XXXXXX") || exit 1
. "$top_srcdir/tests/nginx-lib.sh"
if [ -z "$nginx_bin" ]; then
	echo "bench-fanout: skipped, nginx is not installed (apt-get install nginx)"
	rm -rf "$tmp"
	exit 0
fi
simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; nginx_stop; rm -rf "$tmp"' EXIT INT TERM
ulimit -n 16384 2>/dev/null || ulimit -n 4096 2>/dev/null

# start SIM-ARGS...: the simulator and nginx in front of it.
start() {
	[ -n "$simpid" ] && { kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; }
	nginx_stop
	rm -rf "$tmp/nginx/cache"
	: >"$tmp/sim.out"
	"$sim" --listen 127.0.0.1:0 --seed 1 "$@" >"$tmp/sim.out" \
	    2>"$tmp/sim.err" &
	simpid=$!
	i=0
	while ! grep -q "listening on" "$tmp/sim.out"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "bench-fanout: the simulator did not start"; exit 0; }
		sleep 0.1
	done
	sim_port=$(sed -n 's/^listening on 127.0.0.1://p' "$tmp/sim.out")
	nginx_start "$sim_port" || { echo "bench-fanout: nginx did not start"; exit 0; }
}

# run N VIA LABEL: one case, one line.
run() {
	if [ "$2" = cache ]; then url=$cache_url; else url=$nocache_url; fi
	"$fanout" -u "$url" -n "$1" -i "$interval" -w "$interval" \
	    -d "$secs" -L "$tmp/upstream.log" >"$tmp/out" 2>"$tmp/err"
	v() { sed -n "s/^$1=//p" "$tmp/out"; }
	up=$(v upstream_per_s)
	if [ "$2" = cache ]; then
		verdict=$(awk -v u="$up" 'BEGIN { print (u <= 1) ? "ok" : "MISSED" }')
		up="$up ($verdict, target <= 1)"
	fi
	printf '%-6s %-18s %24s %7.1f%% %11s %8s %8s %6s\n' "$1" "$3" \
	    "$up" "$(awk -v s="$(v share304)" 'BEGIN { print s * 100 }')" \
	    "$(v bytes_per_poll)" "$(v p50_ms)" "$(v p99_ms)" "$(v failed)"
	[ -s "$tmp/err" ] && sed 's/^/  /' "$tmp/err" | head -n 3
	sed -n 's/^first_failure=/  first failure: /p' "$tmp/out"
}

echo "bench-fanout: $secs s per case after a ${interval} s warm-up; poll interval ${interval} s; bordercop-sim: 300 units"
printf '%-6s %-18s %24s %8s %11s %8s %8s %6s\n' N case "upstream req/s" "304" \
    "bytes/poll" "p50 ms" "p99 ms" failed
start
for n in $ns; do
	run "$n" cache "cache, tick 5 s"
	run "$n" no-cache "no cache, tick 5 s"
done
if [ "$quiet" != 0 ]; then
	start --tick "$quiet"
	run "$n" cache "cache, tick $quiet s"
fi
echo "(bytes/poll: body bytes on the wire, headers not counted; times: libcurl's transfer time)"
exit 0
