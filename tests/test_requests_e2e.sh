#!/bin/sh
# End to end, requests between the sides: one bordercop-sim with a token
# per side, two bordercop terminals in tmux, one with the US token and
# one with the MX token, driven as the two watch officers would.
#
#  1. US composes a cover request while the link is down: it shows
#     queued, and stays queued through a restart of bordercop.
#  2. The simulator comes up: the queued request goes out once.
#  3. US asks cover for a short gap from the gaps list (V); MX sees it
#     within a poll (REQ in 1, the request in its inbox) and accepts (A);
#     the simulated MX units go; both screens show covering, then closed.
#  4. The server holds each request exactly once.
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin="$builddir/src/bordercop"
sim="$builddir/src/bordercop-sim"
map="$srcdir/maps/us-mx.geojson"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
[ -x "$bin" ] && [ -x "$sim" ] || { echo "FAIL: programs not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-req-e2e.XXXXXX") || exit 1
sock="bordercop-req-e2e-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
simpid=
cleanup() {
	tm kill-server >/dev/null 2>&1
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
failures=0
fail() {
	echo "FAIL: $*"
	echo "--- screen:"; cat "$tmp/screen" 2>/dev/null
	failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# wait_for PANE TEXT [SECONDS]: poll the pane until TEXT shows up.
wait_for() {
	i=0
	while [ $i -lt $((${3:-10} * 10)) ]; do
		tm capture-pane -p -t "$1" >"$tmp/screen" 2>/dev/null
		grep -qF -- "$2" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_gone PANE TEXT [SECONDS]: poll the pane until TEXT is gone.
wait_gone() {
	i=0
	while [ $i -lt $((${3:-10} * 10)) ]; do
		tm capture-pane -p -t "$1" >"$tmp/screen" 2>/dev/null
		grep -qF -- "$2" "$tmp/screen" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
step() {	# step PANE NAME TEXT [SECONDS]
	if wait_for "$1" "$3" "${4:-10}"; then pass "$2"; else
		fail "$2: no '$3' on $1"; fi
}

printf 'us-e2e-t0ken\n' >"$tmp/us.tok"
printf 'mx-e2e-t0ken\n' >"$tmp/mx.tok"
chmod 600 "$tmp/us.tok" "$tmp/mx.tok"

# A free port for the simulator, kept for its restart.
"$sim" --listen 127.0.0.1:0 --map "$map" >"$tmp/probe" 2>&1 &
p=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	grep -q listening "$tmp/probe" && break
	sleep 0.2
done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/probe")
kill $p; wait $p 2>/dev/null
[ -n "$port" ] || { echo "FAIL: no port"; exit 1; }
api="http://127.0.0.1:$port"

# client NAME SIDE: a terminal for that side's officer.
client() {
	tm kill-window -t "$1" >/dev/null 2>&1
	tm new-window -d -n "$1" \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
	    XDG_CONFIG_HOME=$tmp/$1 XDG_STATE_HOME=$tmp/$1 \
	    $bin --api $api --token-file $tmp/$2.tok --side $(echo "$2" |
	    tr a-z A-Z) --map $map --interval 1 --cover-hold 300; \
	    echo EXIT=\$?; sleep 60"
}

tm new-session -d -s top -x 120 -y 40 "sleep 600"
tm set-option -g default-size 120x40 >/dev/null 2>&1

# 1. The link is down: a request is queued, and survives a restart.
client us us
step us "US terminal up, link down" "DOWN" 15
tm send-keys -t us 6
step us "requests view" "Requests  US"
tm send-keys -t us V
step us "the cover prompt" "cover #gap|FROM-TO"
tm send-keys -t us "2000-2003 hold" Enter
step us "queued while the link is down" "queued"
tm send-keys -t us q
sleep 1
client us us
tm send-keys -t us 6
step us "still queued after a restart" "queued" 15

# 2. The simulator comes up: the queued request goes out.
"$sim" --listen "127.0.0.1:$port" --map "$map" --seed 3 --speed 60 \
    --tick 1 --token-file "US=$tmp/us.tok" --token-file "MX=$tmp/mx.tok" \
    --state-dir "$tmp/simstate" >"$tmp/sim.out" 2>&1 &
simpid=$!
if wait_gone us "queued" 30 && grep -q '^ sent  *us-' "$tmp/screen"; then
	pass "the queued request is sent when the link is back"
else
	fail "the queued request is not sent"
fi

# 3. A short gap from the gaps list, as the US officer picks it.
XDG_STATE_HOME="$tmp/rep" "$bin" --report --api "$api" \
    --token-file "$tmp/us.tok" --map "$map" >"$tmp/report" 2>&1
gap=$(awk '/^Gaps:/ { on = 1; next } on && /^$/ { exit }
    on && $1 ~ /^[0-9]+$/ && $4 >= 1.5 && $4 <= 4 { print $2 "-" $3; exit }' \
    "$tmp/report")
[ -n "$gap" ] || { cat "$tmp/report"; echo "FAIL: no short gap"; exit 1; }
echo "gap $gap km"
client mx mx
tm send-keys -t mx 6
step mx "MX terminal, requests view" "Requests  MX" 15
tm send-keys -t us 4
tm send-keys -t us V
step us "V from the gaps view offers the selected (or longest) gap" "(or #gap|FROM-TO)"
tm send-keys -t us "$gap" Enter
tm send-keys -t us 6
step us "the request is in the outbox" "$gap"
step mx "MX sees it within a poll, in its inbox" "$gap" 10
step mx "counted unanswered on the status line" "REQ in "
# The bell rang (tmux flags a window that rang), without --bell.
# The US terminal, with alerts of its own but no request, did not.
if [ "$(tm display-message -p -t mx '#{window_bell_flag}')" = 1 ] &&
    [ "$(tm display-message -p -t us '#{window_bell_flag}')" = 0 ]; then
	pass "the MX terminal rang for the request, the US one did not"
else
	fail "no bell on the MX terminal"
fi
step mx "in the MX inbox" "INBOX"
step mx "with its canned text" "Favor de cubrir"
tm send-keys -t mx g A
step mx "MX accepts" "accepted" 10
step us "US sees it accepted" "accepted" 10
step us "US: covering, measured in the picture" "covering" 90
step mx "MX: covering" "covering" 20
step us "US: closed after the hold" "closed" 60
step mx "MX: closed" "closed" 20

# 4. Each request once on the server, as a third client reads it.
XDG_STATE_HOME="$tmp/rep2" "$bin" --report --api "$api" \
    --token-file "$tmp/mx.tok" --map "$map" >"$tmp/report2" 2>&1
if grep -q '^Requests (MX): 2,' "$tmp/report2"; then
	pass "the server holds the two requests, each once"
else
	sed -n '/^Requests/,$p' "$tmp/report2"
	fail "the server does not hold exactly the two requests"
fi

XDG_STATE_HOME="$tmp/rep3" "$bin" --report=json --api "$api" \
    --token-file "$tmp/us.tok" --map "$map" >"$tmp/report.json" 2>&1
if grep -q '"requests"' "$tmp/report.json" &&
    grep -q '"state":[[:space:]]*"closed"' "$tmp/report.json" &&
    grep -q '"state":[[:space:]]*"covering"' "$tmp/report.json"; then
	pass "the JSON report lists the requests with their history"
else
	fail "the JSON report lacks the requests"
fi

# --watch prints the request events.
XDG_STATE_HOME="$tmp/watch" timeout 20 "$bin" --watch --count 2 \
    --api "$api" --token-file "$tmp/mx.tok" --map "$map" \
    --interval 1 >"$tmp/watch.out" 2>&1
if grep -q "us-.*US->MX cover" "$tmp/watch.out"; then
	pass "--watch prints request events"
else
	cat "$tmp/watch.out"
	fail "--watch prints no request event"
fi

tm send-keys -t us q
tm send-keys -t mx q
step us "US quits cleanly" "EXIT=0"
step mx "MX quits cleanly" "EXIT=0"
[ $failures -eq 0 ] || exit 1
exit 0
