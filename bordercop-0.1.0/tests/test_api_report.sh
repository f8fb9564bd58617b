#!/bin/sh
# bordercop --report --api against the real bordercop-sim on loopback: the
# one-shot report carries the link, a token is required when the server
# asks for one, a refused answer exits 6 with the cause, and a garbage
# body exits 5.
set -u
builddir=${top_builddir:-.}
bc="$builddir/src/bordercop"
sim="$builddir/src/bordercop-sim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-api.XXXXXX") || exit 1
simpid=
stop_sim() {
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
	simpid=
}
trap 'stop_sim; rm -rf "$tmp"' EXIT INT TERM
failures=0
check() {	# check NAME COMMAND...: the command must succeed
	name=$1; shift
	if "$@"; then echo "ok: $name"; else
		echo "FAIL: $name"; failures=$((failures + 1)); fi
}

# start_sim ARGS...: start the simulator on a free port, set $url.
start_sim() {
	rm -f "$tmp/sim.out"
	: >"$tmp/sim.out"
	"$sim" --listen 127.0.0.1:0 --seed 3 --units 60 --tick 1 \
	    --start 2026-11-28T02:00:00Z "$@" >"$tmp/sim.out" 2>"$tmp/sim.err" &
	simpid=$!
	i=0
	while ! grep -q "listening on" "$tmp/sim.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: sim did not start"; cat "$tmp/sim.err"; exit 1; }
		sleep 0.1
	done
	url="http://$(sed -n 's/^listening on //p' "$tmp/sim.out" | head -n 1)"
}

start_sim
"$bc" --report=json --api "$url" >"$tmp/out.json" 2>"$tmp/err"
st=$?
check "report over the API exits 0" [ $st -eq 0 ]
check "the report names the link state" grep -q '"state":[[:space:]]*"OK"' "$tmp/out.json"
check "the report counts the bytes on the wire" grep -q '"bytes_rx":[[:space:]]*[1-9]' "$tmp/out.json"
check "the report has the sim's units" grep -q '"id":[[:space:]]*"' "$tmp/out.json"
"$bc" --report --api "$url" >"$tmp/out.txt" 2>&1
check "the text report shows the link" grep -q '^Link: *OK, 1 poll' "$tmp/out.txt"
stop_sim

# A server that wants a token.
printf 'sekrit-token-42\n' >"$tmp/token"
chmod 600 "$tmp/token"
start_sim --token-file "$tmp/token"
"$bc" --report --api "$url" >"$tmp/out" 2>"$tmp/err"
st=$?
check "no token: exit 6" [ $st -eq 6 ]
check "no token: the cause is named" grep -qi "authori" "$tmp/err"
check "no token: nothing on stdout" [ ! -s "$tmp/out" ]
"$bc" --report --api "$url" --token-file "$tmp/token" >"$tmp/out" 2>"$tmp/err"
check "with the token file: exit 0" [ $? -eq 0 ]
BORDERCOP_TOKEN=sekrit-token-42 "$bc" --report --api "$url" >"$tmp/out" 2>"$tmp/err"
check "with BORDERCOP_TOKEN: exit 0" [ $? -eq 0 ]
chmod 644 "$tmp/token"
"$bc" --report --api "$url" --token-file "$tmp/token" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a token file others can read is refused" [ $st -eq 2 ]
check "the refusal says why" grep -q "token" "$tmp/err"
check "the token never appears in errors" sh -c "! grep -q sekrit '$tmp/err'"
stop_sim

# A server that answers garbage.
start_sim --fault garbage
"$bc" --report --api "$url" >"$tmp/out" 2>"$tmp/err"
st=$?
check "garbage body: exit 5" [ $st -eq 5 ]
check "garbage body: one line on stderr" [ "$(wc -l <"$tmp/err")" -eq 1 ]
stop_sim

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
exit 0
