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
# wire, and the 99th percentile of a poll's transfer time.
#
# Environment: FANOUT_NS (default "200 1000"), FANOUT_SECONDS (60),
# FANOUT_INTERVAL (10).
set -u
top_srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
sim="$builddir/src/bordercop-sim"
fanout="$builddir/tests/fanout"
ns=${FANOUT_NS:-200 1000}
secs=${FANOUT_SECONDS:-60}
interval=${FANOUT_INTERVAL:-10}
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

: >"$tmp/sim.out"
"$sim" --listen 127.0.0.1:0 --seed 1 >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
i=0
while ! grep -q "listening on" "$tmp/sim.out"; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "bench-fanout: the simulator did not start"; exit 0; }
	sleep 0.1
done
sim_port=$(sed -n 's/^listening on 127.0.0.1://p' "$tmp/sim.out")
nginx_start "$sim_port" || { echo "bench-fanout: nginx did not start"; exit 0; }

echo "bench-fanout: $secs s per case after a ${interval} s warm-up, poll interval ${interval} s, sim: 300 units, a version every 5 s"
printf '%-6s %-8s %12s %8s %12s %9s %9s %6s\n' N via "upstream/s" "304" \
    "bytes/poll" "p50 ms" "p99 ms" failed
for n in $ns; do
	for via in cache direct; do
		if [ $via = cache ]; then
			url=$cache_url
			log="-L $tmp/upstream.log"
		else
			url="http://127.0.0.1:$sim_port"
			log=
		fi
		# shellcheck disable=SC2086
		"$fanout" -u "$url" -n "$n" -i "$interval" -w "$interval" \
		    -d "$secs" $log >"$tmp/out" 2>"$tmp/err"
		v() { sed -n "s/^$1=//p" "$tmp/out"; }
		if [ $via = cache ]; then
			up=$(v upstream_per_s)
			verdict=$(awk -v u="$up" 'BEGIN { print (u <= 1) ? "ok" : "MISSED" }')
			up="$up ($verdict, target <= 1)"
		else
			# Every poll reaches the simulator.
			up=$(awk -v p="$(v polls)" -v s="$secs" 'BEGIN { printf "%.2f", p / s }')
		fi
		printf '%-6s %-8s %12s %7.1f%% %12s %9s %9s %6s\n' "$n" "$via" \
		    "$up" "$(awk -v s="$(v share304)" 'BEGIN { print s * 100 }')" \
		    "$(v bytes_per_poll)" "$(v p50_ms)" "$(v p99_ms)" \
		    "$(v failed)"
		[ -s "$tmp/err" ] && sed 's/^/  /' "$tmp/err" | head -n 3
		sed -n 's/^first_failure=/  first failure: /p' "$tmp/out"
	done
done
exit 0
