#!/bin/sh
# End to end: drive the real bordercop in tmux as a watch officer would
# (send-keys, then capture-pane), on the embedded demo: every view, a
# search, the details pane, a resize below 80x24 and back, quit; then a
# dropped session (SIGHUP).  Each step checks the screen.
set -u
builddir=${top_builddir:-.}
bin="$builddir/src/bordercop"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-e2e.XXXXXX") || exit 1
# Each run of the program gets a tmux server of its own, ended with
# kill-server: no session is killed and then replaced on a live server.
run=0
sock="bordercop-e2e-$$-$run"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { tm kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
failures=0
fail() {
	echo "FAIL: $*"
	tm has-session -t e2e 2>/dev/null || echo "(the tmux server $sock is gone)"
	echo "--- screen:"; cat "$tmp/screen" 2>/dev/null
	failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# wait_for TEXT [SECONDS]: poll the pane until TEXT shows up.
wait_for() {
	i=0
	while [ $i -lt $((${2:-10} * 10)) ]; do
		tm capture-pane -p -t e2e >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_gone TEXT: poll the pane until TEXT is no longer on it.
wait_gone() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t e2e >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
gone() {	# gone NAME TEXT: the screen no longer shows TEXT
	if wait_gone "$2"; then pass "$1"; else fail "$1: still '$2'"; fi
}
# step_re NAME REGEX: the screen now shows a line matching REGEX
step_re() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t e2e >"$tmp/screen" 2>/dev/null
		if grep -qE -- "$2" "$tmp/screen"; then pass "$1"; return; fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1: no match for '$2'"
}
step() {	# step NAME TEXT: the screen now shows TEXT
	if wait_for "$2" 5; then pass "$1"; else fail "$1: no '$2'"; fi
}

# start [ARGS]: a fresh server and session running the program; its
# process id is written to $tmp/pid (the shell execs it).
start() {
	tm kill-server >/dev/null 2>&1
	run=$((run + 1))
	sock="bordercop-e2e-$$-$run"
	rm -f "$tmp/pid"
	tm new-session -d -s e2e -x 100 -y 30 \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp \
	    sh -c 'echo \$\$ >\"$tmp/pid\"; exec \"\$0\" \"\$@\"' \
	    $bin --demo --seed 7 --now 2026-11-28T02:00:00Z $*; \
	    echo \"EXIT=\$?\"; sleep 60"
}

start
step "demo starts with its banner" "DEMO"
step "map view: sectors on the line" "TCA"
tm send-keys -t e2e 2
step "sector strips" "Sectors"
step "sector strips list MX states" "Sonora"
tm send-keys -t e2e 3
step "unit board" "callsign"
tm send-keys -t e2e / T C A - 1 Enter
step "search finds the callsign" "TCA-1"
tm send-keys -t e2e Enter
step "details of the unit" "footprint"
tm send-keys -t e2e Escape
tm send-keys -t e2e 4
step "gaps view" "gaps"
tm send-keys -t e2e '?'
step "help lists the keys" "quit"
tm send-keys -t e2e 1
tm resize-window -t e2e -x 70 -y 20
step "too small below 80x24" "too small"
tm resize-window -t e2e -x 100 -y 30
step "back to size: the map again" "TCA"
tm send-keys -t e2e q
step "q quits with status 0" "EXIT=0"
tm capture-pane -p -t e2e >"$tmp/screen"
if grep -q "DEMO" "$tmp/screen"; then
	fail "terminal restored after q (the COP is still on screen)"
else
	pass "terminal restored after q"
fi

# A callsign never reaches the screen raw: the board shows no ESC.
start
step "demo again" "DEMO"
tm send-keys -t e2e 3
step "board" "callsign"
if tm capture-pane -p -e -t e2e | grep -q "$(printf '\033')]"; then
	fail "OSC sequence on the screen"
else
	pass "no OSC sequence on the screen"
fi
# A dropped SSH session: SIGHUP ends it cleanly.
child=$(cat "$tmp/pid" 2>/dev/null)
if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
	kill -HUP "$child"
	step "SIGHUP ends the program" "EXIT=0"
else
	fail "could not find the bordercop process (pid '${child:-}')"
fi

# ASCII and monochrome: still a picture, sides still told apart.
start --ascii --no-color
step "ASCII mode starts" "DEMO"
tm capture-pane -p -t e2e >"$tmp/screen"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/screen"; then
	fail "ASCII mode drew non-ASCII bytes"
else
	pass "ASCII mode draws ASCII only"
fi
tm send-keys -t e2e q
step "q in ASCII mode" "EXIT=0"

# Acting from the picture: the longest-gap key, Enter on a row of the
# gaps view, help closing three ways, a filter that shrinks the board,
# / then n.  Each step compares what the key should have put on screen.
start
step "demo for the watch keys" "DEMO"
step "a first picture" "max "
tm send-keys -t e2e 4
step "gaps view" "Open gaps, longest first"
tm capture-pane -p -t e2e >"$tmp/screen"
first=$(sed -n 's/^! #\([0-9]*\) .*/\1/p' "$tmp/screen" | sed -n 1p)
third=$(sed -n 's/^! #\([0-9]*\) .*/\1/p' "$tmp/screen" | sed -n 3p)
[ -n "$first" ] && [ -n "$third" ] || fail "gap ids in the gaps view"
tm send-keys -t e2e 3 L
step "L from the board: the longest gap's id" "longest: gap #$first "
step_re "L shows its label on the map" "#$first [0-9]+km"
tm send-keys -t e2e 4 Down Down Enter
step "Enter on the third row: that gap on the map" "gap #$third "
step "the map is zoomed to it" "km/col"
tm send-keys -t e2e '?'
step "help" "bordercop keys"
tm send-keys -t e2e Escape
gone "Esc closes help" "bordercop keys"
tm send-keys -t e2e '?'
step "help again" "bordercop keys"
tm send-keys -t e2e '?'
gone "? closes help" "bordercop keys"
tm send-keys -t e2e '?'
step "help a third time" "bordercop keys"
tm send-keys -t e2e q
gone "q closes help" "bordercop keys"
sleep 0.3
tm capture-pane -p -t e2e >"$tmp/screen"
if grep -q "EXIT=" "$tmp/screen"; then
	fail "q in help quit the program"
else
	pass "q in help leaves the program running"
fi
# The board: End, then a sector filter; every matching row is shown.
tm send-keys -t e2e 3 G e
step "a filtered board" "filter sector"
tm capture-pane -p -t e2e >"$tmp/screen"
want=$(sed -n 's/^\([0-9]*\) of [0-9]* units.*/\1/p' "$tmp/screen")
rows=$(grep -cE '^[A-Z]+ +(US|MX) ' "$tmp/screen")
if [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$want" = "$rows" ]; then
	pass "the filtered board shows all $want matching rows"
else
	fail "filtered board: '$want' match, $rows rows shown"
fi
# / then n: the selection (reverse video) moves to the second match.
tm send-keys -t e2e r / T C A - Enter
step "search keeps the first match" "TCA-"
sel() { tm capture-pane -p -e -t e2e | grep "$(printf '\033')\[7m" |
    grep -o 'TCA-[0-9]*' | head -1; }
one=$(sel)
tm send-keys -t e2e n
sleep 0.3
two=$(sel)
if [ -n "$one" ] && [ -n "$two" ] && [ "$one" != "$two" ]; then
	pass "/ then n: from $one to $two"
else
	fail "/ then n did not move ('$one' then '$two')"
fi
tm send-keys -t e2e N
sleep 0.3
if [ "$(sel)" = "$one" ]; then
	pass "N goes back to $one"
else
	fail "N did not go back to $one"
fi
# Every sector code of both sides on the 80x24 overview.
tm resize-window -t e2e -x 80 -y 24
tm send-keys -t e2e 1 0
step "80x24 overview" "km/col"
sleep 0.3
tm capture-pane -p -t e2e | sed -n '2,22p' >"$tmp/screen"
miss=
for c in SDC ELC YUM TCA EPT BBT DRT LRT RGV BC SO CH CA NL TM; do
	grep -qw "$c" "$tmp/screen" || miss="$miss $c"
done
if [ -z "$miss" ]; then
	pass "every sector code at 80x24"
else
	fail "sector codes missing at 80x24:$miss"
fi
# The line's attribution whole on the legend row, never cut.
if tm capture-pane -p -t e2e | sed -n '23p' |
    grep -q "OpenStreetMap contributors *$"; then
	pass "the attribution whole at 80x24"
else
	fail "the attribution cut at 80x24: $(tm capture-pane -p -t e2e |
	    sed -n '23p')"
fi
tm resize-window -t e2e -x 100 -y 30
tm send-keys -t e2e 3
tm send-keys -t e2e p
step_re "p pauses: PAUSED with the picture's time" "PAUSED [0-9:]{8}Z"
tm send-keys -t e2e p
gone "p again resumes" "PAUSED"
tm send-keys -t e2e q
step "q from the board quits" "EXIT=0"

# A fixed picture: the sample feed at a fixed clock, so that every step
# compares the whole screen with an expected one (tests/screens/e2e-*.txt;
# BORDERCOP_UPDATE_SCREENS=1 writes them): a step passes only when the key
# did its job.  Only the link's age (local seconds) is masked.
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
map="$srcdir/maps/us-mx.geojson"
feed="$srcdir/tests/data/sample-feed.json"
norm() {
	sed -E 's/^([^ ]+ (OK|SLOW|DOWN|WAIT) ).{5}/\1~~~~~/'
}
# screen_is NAME WHAT: within 5 s the screen is tests/screens/e2e-NAME.txt
screen_is() {
	want="$srcdir/tests/screens/e2e-$1.txt"
	if [ "${BORDERCOP_UPDATE_SCREENS:-}" = 1 ]; then
		sleep 1
		tm capture-pane -p -t e2e | norm >"$want"
		pass "$2 (screen written)"
		return
	fi
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t e2e | norm >"$tmp/screen"
		cmp -s "$tmp/screen" "$want" && { pass "$2"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: the screen is not e2e-$1.txt"
	diff "$want" "$tmp/screen" | head -n 20
}
startfeed() {
	tm kill-server >/dev/null 2>&1
	run=$((run + 1))
	sock="bordercop-e2e-$$-$run"
	tm new-session -d -s e2e -x 100 -y 30 \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp \
	    $bin --map $map --now 2026-11-28T02:00:00Z $*; \
	    echo \"EXIT=\$?\"; sleep 60"
}

startfeed --feed "$feed"
step "the feed's picture comes up" "sample-feed"
screen_is feed-map "map of the feed, on the feed's clock"
tm send-keys -t e2e 2
screen_is feed-sectors "2: sector strips"
tm send-keys -t e2e 3
screen_is feed-units "3: unit board, first page"
grep -q "TAM-14" "$tmp/screen" 2>/dev/null &&
    fail "TAM-14 should not be on the board's first page"
tm send-keys -t e2e / T A M - 1 4 Enter
screen_is feed-search "/TAM-14: a callsign past the first page"
tm send-keys -t e2e Enter
screen_is feed-details "Enter: the details of TAM-14"
tm send-keys -t e2e Escape 4
screen_is feed-gaps "4: gaps with ids, sectors crossed, who can close them"
# The ids on the screen are the reports' ids, gap for gap.
tm capture-pane -p -t e2e >"$tmp/gaps"
"$bin" --report --map "$map" --feed "$feed" --now 2026-11-28T02:00:00Z \
    >"$tmp/report" 2>&1
n=0
for line in $(sed -nE 's/^! #([0-9]+) +[^ ]+ +([0-9.]+) +([0-9.]+) .*/\1:\2:\3/p' \
    "$tmp/gaps"); do
	n=$((n + 1))
	want=$(echo "$line" | awk -F: '{ printf "%4d%10.1f%10.1f", $1, $2, $3 }')
	grep -qF -- "$want" "$tmp/report" || fail "gap $line: not in the report"
done
if [ $n -ge 5 ]; then
	pass "the $n gap ids on the screen are the report's"
else
	fail "only $n gaps read off the screen"
fi
tm send-keys -t e2e n
screen_is feed-gap-jump "n: the map on the longest gap, its id in the message"
tm send-keys -t e2e '?'
screen_is feed-help "?: help"
tm send-keys -t e2e q
gone "q closes the help" "bordercop keys"
tm send-keys -t e2e q
step "q quits the feed's picture" "EXIT=0"

# A hostile feed (escape sequences, controls, bidi overrides in every
# text): the board shows clean text, and the screen holds no sequence
# but the colours tmux itself reports.
startfeed --feed "$srcdir/tests/data/feeds/hostile.json"
step "the hostile feed comes up" "hostile"
tm send-keys -t e2e 3
step "its units on the board" "TCA 42"
tm capture-pane -p -e -t e2e >"$tmp/raw"
if sed 's/\x1b\[[0-9;:]*m//g' "$tmp/raw" | LC_ALL=C grep -q "$(printf '[\033\007]')"; then
	fail "a control sequence from the feed reached the screen"
else
	pass "no control sequence from the feed on the screen"
fi
if grep -q "pwned\|owned" "$tmp/raw"; then
	fail "an OSC title from the feed reached the screen"
else
	pass "no OSC payload on the screen"
fi
tm send-keys -t e2e q
step "q quits the hostile feed's picture" "EXIT=0"

[ $failures -eq 0 ] || { echo "$failures step(s) failed"; exit 1; }
exit 0
