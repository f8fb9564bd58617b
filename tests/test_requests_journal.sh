#!/bin/sh
# End to end, requests in the journal and the handover: one bordercop-sim
# whose MX side answers by itself (--auto-answer MX), one US terminal in
# tmux recording to a journal (--journal DIR), driven as the officer would:
#
#  1. US asks cover for a short gap from the gaps list (V); the simulated
#     MX side accepts, its units go, the picture shows covering, then
#     closed.
#  2. In the same terminal, R replays the session: the requests view
#     shows the request as recorded, and refuses to answer it.
#  3. --handover --report-format json over the journal lists it, ours,
#     US>MX, closed, with its times in order; the text handover names it
#     within 80 columns (ASCII under LANG=C).
#  4. The counts agree with two independent counts: the server's own
#     list (--report with the US token) and the replay's report at the
#     window's end (--replay --report --now).
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin="$builddir/src/bordercop"
sim="$builddir/src/bordercop-sim"
map="$srcdir/maps/us-mx.geojson"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
[ -x "$bin" ] && [ -x "$sim" ] || { echo "FAIL: programs not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-req-journal.XXXXXX") || exit 1
sock="bordercop-req-journal-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
simpid=
cleanup() {
	tm kill-server >/dev/null 2>&1
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
pass() { echo "ok: $*"; }
check() {	# check NAME COMMAND...: the command must succeed
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# wait_for TEXT [SECONDS]: poll the terminal until TEXT shows up.
wait_for() {
	i=0
	while [ $i -lt $((${2:-10} * 10)) ]; do
		tm capture-pane -p -t us >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
step() {	# step NAME TEXT [SECONDS]
	if wait_for "$2" "${3:-10}"; then pass "$1"; else
		fail "$1: no '$2' on the screen"
		echo "--- screen:"; cat "$tmp/screen"
	fi
}

printf 'us-jr-t0ken\n' >"$tmp/us.tok"
printf 'mx-jr-t0ken\n' >"$tmp/mx.tok"
chmod 600 "$tmp/us.tok" "$tmp/mx.tok"

"$sim" --listen 127.0.0.1:0 --map "$map" --seed 3 --speed 60 --tick 1 \
    --token-file "US=$tmp/us.tok" --token-file "MX=$tmp/mx.tok" \
    --auto-answer MX --auto-delay 30 --state-dir "$tmp/simstate" \
    >"$tmp/sim.out" 2>&1 &
simpid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	grep -q listening "$tmp/sim.out" && break
	sleep 0.2
done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/sim.out")
[ -n "$port" ] || { cat "$tmp/sim.out"; echo "FAIL: no port"; exit 1; }
api="http://127.0.0.1:$port"

# A short gap, as the officer would pick it from the gaps list.
"$bin" --report --api "$api" --token-file "$tmp/us.tok" --map "$map" \
    >"$tmp/report" 2>&1
gap=$(awk '/^Gaps:/ { on = 1; next } on && /^$/ { exit }
    on && $1 ~ /^[0-9]+$/ && $4 >= 1.5 && $4 <= 4 { print $2 "-" $3; exit }' \
    "$tmp/report")
[ -n "$gap" ] || { cat "$tmp/report"; echo "FAIL: no short gap"; exit 1; }
echo "gap $gap km"

j="$tmp/journal"
tm new-session -d -s us -x 120 -y 40 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
    $bin --api $api --token-file $tmp/us.tok --side US --map $map \
    --interval 1 --cover-hold 120 --journal $j; echo EXIT=\$?; sleep 60"

# 1. The request, asked, accepted, covered and closed.
tm send-keys -t us 4
step "the gaps view" "Gaps" 15
tm send-keys -t us V
step "V offers a gap" "(or #gap|FROM-TO)"
tm send-keys -t us "$gap" Enter
tm send-keys -t us 6
step "the request is in the outbox" "$gap"
step "the simulated MX side accepts" "accepted" 30
step "covering, measured in the picture" "covering" 90
step "closed after the hold" "closed" 60
id=$(sed -n 's/^ *closed  *\(us-[A-Za-z0-9._-]*\) .*/\1/p' "$tmp/screen" |
    head -n 1)
[ -n "$id" ] || { cat "$tmp/screen"; echo "FAIL: no request id"; exit 1; }
echo "request $id"

# 2. R: the session replayed; the requests view as recorded, read-only.
tm send-keys -t us R
step "R replays the session" "REPLAY" 10
step "... the requests view shows the request as recorded" "$id" 10
tm send-keys -t us A
step "... and refuses to answer in a replay" \
    "replay: requests are shown as recorded" 10
tm send-keys -t us R
step "R again: live" "live" 10
tm send-keys -t us q
step "the terminal quits cleanly" "EXIT=0" 10

# 3. The handover over the journal.
"$bin" --handover --journal "$j" --map "$map" --report-format json \
    >"$tmp/h.json" 2>"$tmp/h.err"
check "--handover --report-format json" test -s "$tmp/h.json"
# One member a line, as cJSON prints: the requests object's fields,
# then its first item's.
member() {	# member KEY: the value of the first "KEY": in the requests
	sed -n '/"requests":/,$p' "$tmp/h.json" | first "$1"
}
item() {	# item KEY: the value of KEY in the first of requests.items
	sed -n '/"requests":/,$p' "$tmp/h.json" | sed -n '/"items":/,$p' |
	    first "$1"
}
first() {
	sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\\(.*\\)/\\1/p" |
	    head -n 1 | sed 's/,$//; s/^"//; s/"$//'
}
before() {	# before A B: time A is not later than time B
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a "" <= b "") }'
}
check "... one request in the window" test "$(member total)" = 1
check "... ours" test "$(member ours)" = 1
check "... its id" test "$(item id)" = "$id"
check "... asked by US of MX" sh -c "test '$(item from_side)' = US &&
    test '$(item to_side)' = MX && test '$(item kind)' = cover"
check "... the stretch asked" test "$(item from_km)-$(item to_km)" = \
    "$(echo "$gap" | awk -F- '{ printf "%g-%g", $1, $2 }')"
check "... closed at the end" test "$(item state)" = closed
check "... its change to closed on the timeline" grep -q \
    "\"text\":.*\"request $id US>MX cover[^:]*: closed" "$tmp/h.json"
check "... accepted" test "$(item answer)" = accepted
asked=$(item asked) answered=$(item answered)
covering=$(item covering) closed=$(item closed)
case "$asked$answered$covering$closed" in
*null*|"")	fail "a time of the request is missing: $asked $answered" \
		    "$covering $closed" ;;
*)	if before "$asked" "$answered" && before "$answered" "$covering" &&
	    before "$covering" "$closed"; then
		pass "... asked, answered, covering and closed, in that order"
	else
		fail "... times out of order: $asked $answered $covering $closed"
	fi ;;
esac
check "... nothing of it is open at the end" test "$(member open_at_end)" = 0

LANG=C LC_ALL=C "$bin" --handover --journal "$j" --map "$map" \
    >"$tmp/h.txt" 2>"$tmp/h.err"
short=$(printf '%.15s' "$id")
check "the text handover counts it" grep -q \
    "^REQUESTS (1: ours 1, theirs 0; open at the end 0)" "$tmp/h.txt"
check "... closed, ours" grep -q "^  closed  *1  *0$" "$tmp/h.txt"
check "... and names it" sh -c "grep '^  $short' '$tmp/h.txt' |
    grep -q ' US>MX cover .* closed '"

check "... within 80 columns" sh -c \
    "! awk 'length > 80' '$tmp/h.txt' | grep -q ."
check "... in ASCII under LANG=C" sh -c \
    "! LC_ALL=C grep -q '[^ -~]' '$tmp/h.txt'"
check "... and nothing on stderr" test ! -s "$tmp/h.err"

# 4. Independent counts: the server's list, and the replay's report of
#    the window's end.
XDG_STATE_HOME="$tmp/rep" "$bin" --report --api "$api" \
    --token-file "$tmp/us.tok" --map "$map" >"$tmp/server.txt" 2>&1
check "the server holds the one request, closed" sh -c "
    grep -q '^Requests (US): 1,' '$tmp/server.txt' &&
    grep -q '^  closed  *$id ' '$tmp/server.txt'"
to=$(sed -n 's/^[[:space:]]*"to":[[:space:]]*"\(.*\)",$/\1/p' "$tmp/h.json" |
    head -n 1)
"$bin" --replay="$j" --report --map "$map" --now "$to" \
    >"$tmp/replay.txt" 2>&1
check "the replay's report at the window's end: the same request, closed" \
    sh -c "grep -q '^Requests (US): 1,' '$tmp/replay.txt' &&
    grep -q '^  closed  *$id ' '$tmp/replay.txt'"
# A record is made when the client learns of a change, after the
# server's stamp: at the stamp of covering it is known, not yet closed.
"$bin" --replay="$j" --report --map "$map" --now "$covering" \
    >"$tmp/replay0.txt" 2>&1
check "... and as it stood when it was covering: known, not yet closed" \
    sh -c "grep -q '^Requests (US): 1,' '$tmp/replay0.txt' &&
    grep -q ' $id US->MX cover' '$tmp/replay0.txt' &&
    ! grep -q '^  closed  *$id ' '$tmp/replay0.txt'"

[ $failures -eq 0 ] || exit 1
exit 0
