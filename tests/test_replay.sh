#!/bin/sh
# Replay in tmux, as a watch officer would: record a session of the demo
# (with --journal, acknowledging alerts as they come), go back into it
# with R and out with R again; then --replay it: pause, jump to an alert, step
# back past it, go to a time, and compare the status line and the gaps
# view with `--report --replay --now` of the same journal at that time;
# the sectors view's recency strips and the map's trails are there.
set -u
builddir=${top_builddir:-.}
bin="$builddir/src/bordercop"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-replay.XXXXXX") || exit 1
j="$tmp/journal"
run=0
sock="bordercop-replay-$$-$run"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
# The program in the pane is killed hard: a hung one ignores the hangup.
reap() {
	for p in $(tm list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		pkill -9 -P "$p" 2>/dev/null
	done
	tm kill-server >/dev/null 2>&1
}
cleanup() { reap; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
failures=0
fail() {
	echo "FAIL: $*"
	echo "--- screen:"; cat "$tmp/screen" 2>/dev/null
	failures=$((failures + 1))
}
pass() { echo "ok: $*"; }
wait_for() {	# wait_for TEXT [SECONDS]: poll the pane until TEXT shows up
	i=0
	while [ $i -lt $((${2:-10} * 10)) ]; do
		tm capture-pane -p -t r >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
step() {	# step NAME TEXT: the screen now shows TEXT
	if wait_for "$2" 5; then pass "$1"; else fail "$1: no '$2'"; fi
}
start() {	# start ARGS: a fresh server and session running the program
	reap
	run=$((run + 1))
	sock="bordercop-replay-$$-$run"
	tm new-session -d -s r -x 132 -y 40 \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
	    XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp/state $bin $*; \
	    echo \"EXIT=\$?\"; sleep 60"
}
# The replayed time on the status line, HH:MM:SS.
banner() {
	tm capture-pane -p -t r | sed -n '1s/.*REPLAY \([0-9:]*\)Z.*/\1/p'
}

# 1. A session of the demo, recorded; alerts acknowledged as they come.
start --demo --seed 7 --now 2026-11-28T02:00:00Z --speed 60 \
    --alert-gap 2 --journal "$j"
step "the demo runs, recording" "DEMO"
n=0
while [ $n -lt 10 ]; do
	sleep 1
	tm send-keys -t r a
	n=$((n + 1))
done
tm send-keys -t r R
step "R goes back into this session's journal" "REPLAY"
step "... paused at the latest moment" "paused"
# Steps back and forth: the replay's own engine now holds alerts, and
# leaving it must hand the screen back to the live ones (it once spun on
# the freed replay's alert count).
tm send-keys -t r , ; sleep 0.3; tm send-keys -t r , ; sleep 0.3
tm send-keys -t r . ; sleep 0.5
tm send-keys -t r R
step "R again returns to the live picture" "DEMO"
tm send-keys -t r 4
step "... and the live picture still answers keys" "Open gaps"
tm send-keys -t r q
step "quit" "EXIT=0"

"$bin" --handover --journal "$j" --report-format json >"$tmp/h.json"
raised=$(sed -n 's/.*"raised":[[:space:]]*\([0-9]*\).*/\1/p' "$tmp/h.json")
if [ "${raised:-0}" -ge 2 ]; then pass "the session recorded $raised alerts"
else fail "the session recorded ${raised:-no} alerts"; fi

# 2. The replay.
start --replay="$j"
step "--replay shows the banner" "REPLAY 02:"
tm send-keys -t r z
step "z pauses" "paused"
tm send-keys -t r '}'
step "} jumps to the next alert" "alert: "
a=$(banner)
if grep -q "\"time\":[[:space:]]*\"2026-11-28T${a}Z\"" "$tmp/h.json"; then
	pass "... at the time the alert was recorded ($a)"
else
	fail "... $a is not the time of a recorded alert"
fi
tm send-keys -t r ','
wait_for "REPLAY" 2
sleep 0.5
b=$(banner)
if [ -n "$a" ] && [ -n "$b" ] && [ "$b" \< "$a" ]; then
	pass ", steps back past the alert ($a to $b)"
else
	fail ", did not step back past the alert ($a, then $b)"
fi
tm send-keys -t r T 0 2 : 0 6 : 0 0 Enter
step "T goes to a time" "REPLAY 02:06:00Z paused"
sleep 1.5	# a rebuild at that moment
tm capture-pane -p -t r >"$tmp/screen"
status=$(sed -n 1p "$tmp/screen")

"$bin" --report --replay="$j" --now 2026-11-28T02:06:00Z >"$tmp/report" ||
    fail "--report --replay --now"
units() {	# units SIDE: fresh/stale/lost from the report
	sed -n "s/.*$1 [0-9]*: \([0-9]*\) fresh, \([0-9]*\) stale, \([0-9]*\) lost.*/\1\/\2\/\3/p" \
	    "$tmp/report" | head -n 1
}
us=$(units US)
mx=$(units MX)
gaps=$(sed -n 's/^Gaps: \([0-9]*\),.*/\1/p' "$tmp/report")
case $status in
*"US $us"*"MX $mx"*"gaps $gaps "*)
	pass "the status line is the report's picture (US $us, MX $mx, gaps $gaps)" ;;
*)	fail "status line '$status' is not US $us, MX $mx, gaps $gaps" ;;
esac

# The gaps view lists the longest first: the report's longest gap.
tm send-keys -t r 4
step "the gaps view" "Open gaps, longest first: $gaps"
longest=$(sed -n '/^Gaps:/,/^$/p' "$tmp/report" |
    awk '$1 ~ /^[0-9]+$/ && NF >= 4 { print $4, $2, $3 }' |
    sort -k1,1 -rn | head -n 1)
set -- $longest
if [ $# -eq 3 ] && wait_for "$2  $3   $1" 2; then
	pass "the gaps view shows the report's longest gap ($2-$3 km)"
elif [ $# -eq 3 ] && grep -q " $2 *$3 *$1 " "$tmp/screen"; then
	pass "the gaps view shows the report's longest gap ($2-$3 km)"
else
	fail "the gaps view does not show the longest gap '$longest'"
fi
tm send-keys -t r 2
step "the sectors view: each side's coverage recency" "US last covered"
step "... with its key" "<15m"
tm send-keys -t r 1 t
step "t on the map: the trails" "trails: the last 30 min of each unit"
tm send-keys -t r R
step "R in a --replay says there is no live feed" "no live feed"
tm send-keys -t r q
step "quit the replay" "EXIT=0"

exit $((failures > 0))
