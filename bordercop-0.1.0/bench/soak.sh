#!/bin/sh
#
# soak.sh: bordercop against bordercop-sim with injected faults, under
# valgrind, for thousands of polls; then the full-screen picture in tmux.
#
# Run by `make soak` from the build directory; see bench/README.md.  It
# proves three promises over a long run: nothing is definitely lost and
# valgrind sees no error; memory stays flat; and the picture is never lost
# (units stay on screen through every fault, the link says DOWN or SLOW
# while the feed misbehaves and OK once it is healthy again).
#
# Each valgrind run has a twin without valgrind against the same simulator,
# for memory: memcheck holds freed blocks back (--freelist-vol, 20 MB) and
# grows its own tables as new code runs, so the RSS of the valgrind process
# creeps without any leak in the program.  The twin's RSS is the program's
# own and must stay flat; the valgrind process's is shown for information.
#
# Environment (all optional):
#   BORDERCOP, BORDERCOP_SIM   the programs (src/bordercop, src/bordercop-sim)
#   BORDERCOP_MAP              the border map (maps/us-mx.geojson)
#   SOAK_POLLS                 polls of the --watch run (2000)
#   SOAK_TUI_SECONDS           length of the TUI run (240)
#   SOAK_REPORTS               one-shot --report runs, faults at 0.5 (16)
#   SOAK_INTERVAL              --interval of the --watch run, s (0.1)
#   SOAK_TUI_INTERVAL          --interval of the TUI run, s (0.5)
#   SOAK_UNITS, SOAK_SPEED     simulated units (500), simulated s per s (30)
#   SOAK_FAULT_RATE            share of requests faulted while on (0.05)
#   SOAK_DIR                   where logs go (soak-logs; replaced each run)
#   SOAK_RSS_MARGIN_KB,        allowed RSS growth from the first quarter
#   SOAK_RSS_PCT               to the last: the smaller of 2048 kB and 10 %
#   VALGRIND                   the valgrind command (valgrind)
#
# Exit status: 0 when every check passed, 1 when one failed, 2 when the
# run could not be set up.

set -u

BORDERCOP=${BORDERCOP:-src/bordercop}
SIM=${BORDERCOP_SIM:-src/bordercop-sim}
MAP=${BORDERCOP_MAP:-maps/us-mx.geojson}
POLLS=${SOAK_POLLS:-2000}
TUI_S=${SOAK_TUI_SECONDS:-240}
REPORTS=${SOAK_REPORTS:-16}
INTERVAL=${SOAK_INTERVAL:-0.1}
TUI_INTERVAL=${SOAK_TUI_INTERVAL:-0.5}
UNITS=${SOAK_UNITS:-500}
SPEED=${SOAK_SPEED:-30}
RATE=${SOAK_FAULT_RATE:-0.05}
D=${SOAK_DIR:-soak-logs}
RSS_MARGIN_KB=${SOAK_RSS_MARGIN_KB:-2048}
RSS_PCT=${SOAK_RSS_PCT:-10}
VALGRIND=${VALGRIND:-valgrind}
# Give up on a phase after this long (s): a hung client is a failure.
WATCH_MAX_S=${SOAK_WATCH_MAX_SECONDS:-1500}

VG="$VALGRIND --leak-check=full --errors-for-leak-kinds=definite \
--error-exitcode=99 --num-callers=30"
TMUX_SOCK=bordercop-soak-$$
SIM_PID=
WATCH_PID=
NATIVE_PID=
FAILED=0

say() { printf '%s\n' "soak: $*"; }
fail() { printf '%s\n' "soak: FAIL: $*"; FAILED=1; }
die() { printf '%s\n' "soak: $*" >&2; cleanup; exit 2; }

cleanup() {
	for p in $WATCH_PID $NATIVE_PID; do
		kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
		kill -TERM "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
}
trap 'cleanup; exit 2' INT TERM HUP

for p in "$BORDERCOP" "$SIM"; do
	[ -x "$p" ] || die "$p: not built (run make first)"
done
[ -r "$MAP" ] || die "$MAP: no map"
command -v "${VALGRIND%% *}" >/dev/null 2>&1 ||
    die "valgrind not found (apt-get install valgrind)"
command -v tmux >/dev/null 2>&1 || die "tmux not found"

rm -rf "$D" && mkdir -p "$D" || die "cannot create $D"
say "logs in $D; $POLLS polls in --watch, then $TUI_S s of the TUI"

now() { date +%s; }

# The simulated clock, so that a restarted simulator carries on where the
# last one was instead of jumping back in time.
SIM_T0=$(now)
SIM_WALL0=$SIM_T0
sim_clock() {
	t=$((SIM_T0 + SPEED * ($(now) - SIM_WALL0)))
	date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null
}

# sim_start ADDR STATUS RETRY_AFTER [RATE [SLOW_BPS]]: start the simulator
# with every kind of fault on, wait for its address, set SIM_PID and PORT.
SIM_RUNS=0
sim_start() {
	SIM_RUNS=$((SIM_RUNS + 1))
	start=$(sim_clock)
	"$SIM" --listen "$1" --map "$MAP" --seed 7 --units "$UNITS" \
	    --speed "$SPEED" --tick 1 ${start:+--start "$start"} \
	    --fault status,truncate,garbage,slow,delay \
	    --fault-rate "${4:-$RATE}" --fault-status "$2" --retry-after "$3" \
	    --fault-delay 5500 --fault-slow-bps "${5:-512}" \
	    >"$D/sim.$SIM_RUNS.out" 2>"$D/sim.$SIM_RUNS.err" &
	SIM_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' \
		    "$D/sim.$SIM_RUNS.out" 2>/dev/null)
		[ -n "$PORT" ] && return 0
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	cat "$D/sim.$SIM_RUNS.err" >&2
	die "bordercop-sim did not start"
}

sim_stop() {
	kill -TERM "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	SIM_PID=
}

# A mark in the phase log: the lines of the two --watch outputs it applies
# from.
mark() {
	printf '%s %s %s %s\n' "$(wc -l <"$D/watch.out")" \
	    "$(wc -l <"$D/native.out")" "$1" "$2" >>"$D/phases"
	say "$(printf '%5s polls: %s' "$2" "$1")"
}

rss_of() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# Valgrind's verdict on a log: "ok LOST ERRORS" or "bad LOST ERRORS".
vg_verdict() {
	awk '
	/definitely lost:/ { gsub(",", "", $4); lost = $4 }
	/All heap blocks were freed/ { lost = 0 }
	/ERROR SUMMARY:/ { errs = $4 }
	END {
		if (lost == "" || errs == "") { print "bad ? ?"; exit }
		print ((lost == 0 && errs == 0) ? "ok" : "bad"), lost, errs
	}' "$1"
}

# --- 1. --watch under valgrind -------------------------------------------

sim_start 127.0.0.1:0 503 1
URL=http://127.0.0.1:$PORT
say "bordercop-sim on $URL: $UNITS units, speed $SPEED, tick 1 s," \
    "faults at $RATE"
: >"$D/phases"
: >"$D/watch.out"
: >"$D/native.out"
: >"$D/rss.watch"

$VG --log-file="$D/watch.vg" "$BORDERCOP" --watch --api "$URL" \
    --map "$MAP" --interval "$INTERVAL" --count "$POLLS" \
    >"$D/watch.out" 2>"$D/watch.err" &
WATCH_PID=$!
"$BORDERCOP" --watch --api "$URL" --map "$MAP" --interval "$INTERVAL" \
    >"$D/native.out" 2>"$D/native.err" &
NATIVE_PID=$!
mark faults 0

# Phases, by share of the polls: faults with 503 and Retry-After; healthy
# (SIGUSR1); the simulator restarted (connection refused, then a new run:
# an unknown cursor and a full answer) with faults and 500; healthy to the
# end, so the last state must be OK.
P30=$((POLLS * 30 / 100))
P45=$((POLLS * 45 / 100))
P75=$((POLLS * 75 / 100))
phase=0
t0=$(now)
polls=0
while kill -0 "$WATCH_PID" 2>/dev/null; do
	sleep 1
	h=$(tail -c 8192 "$D/watch.out" | grep '^== ' | tail -n 1)
	n=$(printf '%s\n' "$h" | sed -n 's/.* polls \([0-9]*\) .*/\1/p')
	[ -n "$n" ] && polls=$n
	r=$(rss_of "$WATCH_PID")
	rn=$(rss_of "$NATIVE_PID")
	[ -n "$r" ] && [ -n "$rn" ] && printf '%s %s %s %s\n' \
	    "$(($(now) - t0))" "$polls" "$r" "$rn" >>"$D/rss.watch"
	if [ $phase -eq 0 ] && [ "$polls" -ge $P30 ]; then
		kill -USR1 "$SIM_PID"
		mark healthy "$polls"
		phase=1
	elif [ $phase -eq 1 ] && [ "$polls" -ge $P45 ]; then
		mark restart "$polls"
		sim_stop
		sleep 3
		sim_start "127.0.0.1:$PORT" 500 2
		mark faults "$polls"
		phase=2
	elif [ $phase -eq 2 ] && [ "$polls" -ge $P75 ]; then
		kill -USR1 "$SIM_PID"
		mark healthy "$polls"
		phase=3
	elif [ "$polls" -ge "$POLLS" ]; then
		break
	fi
	if [ $(($(now) - t0)) -gt "$WATCH_MAX_S" ]; then
		fail "--watch: only $polls polls in $WATCH_MAX_S s"
		break
	fi
done
kill -TERM "$WATCH_PID" "$NATIVE_PID" 2>/dev/null
wait "$WATCH_PID"
WATCH_RC=$?
wait "$NATIVE_PID"
NATIVE_RC=$?
WATCH_PID=
NATIVE_PID=
WATCH_S=$(($(now) - t0))
NATIVE_POLLS=$(grep '^== ' "$D/native.out" | tail -n 1 |
    sed -n 's/.* polls \([0-9]*\) .*/\1/p')
mark end "$polls"

# The picture never lost, the link states, the faults seen: one pass over
# the output, with the phase marks.
watch_checks() {
awk -v phases="$D/phases" -v col="$1" -v strict=$((POLLS >= 1000)) '
BEGIN {
	while ((getline l < phases) > 0) {
		split(l, f, " ")
		np++; pline[np] = f[col]; pname[np] = f[3]
	}
	cur = 0
}
function phase_end() {
	if (cur == 0) return
	if (pname[cur] == "healthy") {
		nh++
		if (last_state != "OK")
			printf "FAIL healthy period %d ends with link %s\n", \
			    nh, last_state
		if (bad_after_ok > 0)
			printf "FAIL healthy period %d: %d blocks DOWN or " \
			    "SLOW after recovery\n", nh, bad_after_ok
		if (recover_blocks != "")
			printf "INFO healthy period %d: link OK from its " \
			    "block %s on\n", nh, recover_blocks
	} else if (pname[cur] == "faults") {
		nfaulty++
		if (downs_in > 0) faulty_down++
	}
}
{
	while (cur < np && NR > pline[cur + 1]) {
		phase_end()
		cur++
		seen_ok = 0; bad_after_ok = 0; downs_in = 0
		recover_blocks = ""; nblk = 0
	}
}
/^== / {
	blocks++
	for (i = 1; i <= NF; i++) if ($i == "polls") polls = $(i + 1)
	inblock = 1
	next
}
inblock && /^(feed|DEMO).*  link / {
	st = $0; sub(/.*  link /, "", st); sub(/ .*/, "", st)
	states[st]++
	if (prev != "" && st != prev) { trans[prev "->" st]++; ntrans++ }
	prev = st; last_state = st; nblk++
	if (st == "DOWN") downs_in++
	if (st == "OK" && !seen_ok) { seen_ok = 1; recover_blocks = nblk }
	else if (seen_ok && st != "OK") bad_after_ok++
	if (match($0, /\([0-9]+ failed: /)) {
		e = substr($0, RSTART + RLENGTH)
		sub(/\)$/, "", e); sub(/[:,].*/, "", e)
		failed[e]++; nfailed++
	}
	next
}
inblock && /^no picture yet/ {
	if (pictured)
		printf "FAIL picture lost at poll %d (no picture)\n", polls
	inblock = 0
	next
}
# The units per side: "units f/s/l US 226/7/1 MX 178/2/0 ..." (or the
# older "US 226 fresh 7 stale 1 lost  MX ...").
inblock && (/^units f\/s\/l / || / fresh .* stale .* lost /) {
	ns = 0
	if ($1 == "units") {
		for (i = 3; i < NF && ns < 2; i++)
			if ($(i + 1) ~ /^[0-9]+\/[0-9]+\/[0-9]+$/) {
				split($(i + 1), c, "/")
				code[++ns] = $i; cnt[ns] = c[1] + c[2] + c[3]
			}
	} else {
		code[1] = $1; cnt[1] = $2 + $4 + $6
		code[2] = $8; cnt[2] = $9 + $11 + $13; ns = 2
	}
	us = ns >= 1 ? cnt[1] : 0; mx = ns >= 2 ? cnt[2] : 0
	if (!pictured && us + mx > 0) { pictured = 1; first = polls }
	if (pictured && (us == 0 || mx == 0)) {
		printf "FAIL picture lost at poll %d: %s %d, %s %d units\n", \
		    polls, code[1], us, code[2], mx
		lost++
	}
	if (us + mx < minu || minu == "") minu = us + mx
	inblock = 0
	next
}
END {
	phase_end()
	if (!pictured) print "FAIL no picture in the whole run"
	if (!states["DOWN"]) print "FAIL the link never showed DOWN"
	# One fault in five is a delay past the 5 s of SLOW: certain
	# to come in a run of 1000 polls or more (the simulator draws
	# its faults from its seed), by chance in a shorter one.
	if (!states["SLOW"])
		printf "%s the link never showed SLOW\n", \
		    (strict ? "FAIL" : "INFO")
	if (faulty_down < nfaulty)
		printf "FAIL %d of %d faulty periods never showed DOWN\n", \
		    nfaulty - faulty_down, nfaulty
	printf "INFO blocks printed %d, last poll %d, first picture at " \
	    "poll %d, fewest units %d\n", blocks, polls, first, minu
	printf "INFO link blocks:"
	for (s in states) printf " %s %d", s, states[s]
	printf "\nINFO link transitions %d:", ntrans
	for (t in trans) printf " %s %d", t, trans[t]
	printf "\nINFO failed polls %d:", nfailed
	for (e in failed) printf " [%s] %d", e, failed[e]
	printf "\n"
}' "$2"
}
watch_checks 1 "$D/watch.out" >"$D/watch.checks"
watch_checks 2 "$D/native.out" >"$D/native.checks"

# Flat memory: after the first 5 % of the run (warm-up), the largest RSS
# of the last quarter against the largest of the first quarter.  rss_flat
# TIME_COLUMN RSS_COLUMN FILE prints "ok|bad Q1 Q4 ALLOWED" in kB.
rss_flat() {
	awk -v t="$1" -v c="$2" -v m="$RSS_MARGIN_KB" -v pct="$RSS_PCT" '
	{ T = $t; x[NR] = $t; y[NR] = $c }
	END {
		for (i = 1; i <= NR; i++) {
			if (x[i] >= T * 0.05 && x[i] <= T * 0.25 && y[i] > q1)
				q1 = y[i]
			if (x[i] >= T * 0.75 && y[i] > q4)
				q4 = y[i]
		}
		allow = q1 * pct / 100; if (allow > m) allow = m
		printf "%s %d %d %d\n", (q1 > 0 && q4 > 0 && \
		    q4 <= q1 + allow) ? "ok" : "bad", q1, q4, allow
	}' "$3"
}
RSS_VG=$(rss_flat 1 3 "$D/rss.watch")
RSS_NATIVE=$(rss_flat 1 4 "$D/rss.watch")

WATCH_VG=$(vg_verdict "$D/watch.vg")

# --- 2. the TUI in tmux, under valgrind ----------------------------------

# Faults back on (the 500s of the second simulator), then toggled every
# minute.  Two sessions on a private tmux server, 120x40: "vg" runs the
# TUI under valgrind, "twin" without, for memory.
kill -USR1 "$SIM_PID"
for w in vg twin; do
	pre=
	[ $w = vg ] && pre="$VG --log-file=$D/tui.vg"
	cat >"$D/tui-$w.sh" <<EOF
#!/bin/sh
TERM=xterm-256color; export TERM
$pre "$BORDERCOP" --api "$URL" --map "$MAP" --interval "$TUI_INTERVAL" \
    2>"$D/tui-$w.err"
echo \$? >"$D/tui-$w.rc"
EOF
	chmod +x "$D/tui-$w.sh"
	: >"$D/tui-$w.status"
done
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s vg -x 120 -y 40 \
    "$D/tui-vg.sh" || die "tmux did not start"
tmux -L "$TMUX_SOCK" new-session -d -s twin -x 120 -y 40 \
    "$D/tui-twin.sh" || die "tmux did not start"

# The program in a session: the child of the pane's shell.
tui_pid() {
	pp=$(tmux -L "$TMUX_SOCK" list-panes -t "$1" -F '#{pane_pid}' \
	    2>/dev/null)
	[ -n "$pp" ] && ps -o pid= --ppid "$pp" | head -n 1 | tr -d ' '
}

# The status line of a session: "LINK US MX" (units per side, -1 when
# not shown, LINK - when no link state is shown).
tui_status() {
	st=$(tmux -L "$TMUX_SOCK" capture-pane -p -t "$1" 2>/dev/null |
	    head -n 1)
	echo "$el $st" >>"$D/tui-$1.status"
	printf '%s\n' "$st" | awk '
	{
		link = ""; us = -1; mx = -1
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^(OK|SLOW|DOWN|WAIT)$/) link = $i
			if ($i == "US" || $i == "MX") {
				split($(i + 1), c, "/")
				n = c[1] + c[2] + c[3]
				if ($i == "US") us = n; else mx = n
			}
		}
		print (link == "" ? "-" : link), us, mx
	}'
}

t0=$(now)
: >"$D/rss.tui"
VG_PID= TWIN_PID=
keys="1 2 3 4 Tab BTab 1 j j k n N + + - 0 2 j 3 j j k 4 n ? 1 C-l a"
ki=0 nkeys=$(echo $keys | wc -w)
caps=0 badcaps=0 pic_vg=0 pic_twin=0 next_cap=0 next_toggle=60 el=0
while [ $el -lt "$TUI_S" ] && [ ! -f "$D/tui-vg.rc" ]; do
	sleep 2
	ki=$((ki % nkeys + 1))
	k=$(echo $keys | cut -d ' ' -f $ki)
	for w in vg twin; do
		tmux -L "$TMUX_SOCK" send-keys -t $w "$k" 2>/dev/null
	done
	el=$(($(now) - t0))
	[ -z "$VG_PID" ] && VG_PID=$(tui_pid vg)
	[ -z "$TWIN_PID" ] && TWIN_PID=$(tui_pid twin)
	r=$(rss_of "${VG_PID:-0}")
	rn=$(rss_of "${TWIN_PID:-0}")
	[ -n "$r" ] && [ -n "$rn" ] && echo "$el $r $rn" >>"$D/rss.tui"
	if [ $el -ge $next_toggle ]; then
		kill -USR1 "$SIM_PID"
		next_toggle=$((next_toggle + 60))
	fi
	[ $el -ge $next_cap ] || continue
	next_cap=$((el + 10))
	caps=$((caps + 1))
	for w in vg twin; do
		set -- $(tui_status $w)
		eval pic=\$pic_$w
		if [ "$2" -gt 0 ] && [ "$3" -gt 0 ] && [ "$1" != - ]; then
			eval pic_$w=1
		elif [ "$pic" -eq 1 ]; then
			badcaps=$((badcaps + 1))
			fail "TUI ($w) at $el s: status line lost:" \
			    "$(tail -n 1 "$D/tui-$w.status")"
		fi
	done
done
for w in vg twin; do
	tmux -L "$TMUX_SOCK" send-keys -t $w 1 2>/dev/null
done
sleep 1
for w in vg twin; do
	tmux -L "$TMUX_SOCK" send-keys -t $w q 2>/dev/null
done
i=0
while { [ ! -f "$D/tui-vg.rc" ] || [ ! -f "$D/tui-twin.rc" ]; } &&
    [ $i -lt 120 ]; do
	sleep 1
	i=$((i + 1))
done
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
TUI_S=$el
TUI_RC=$(cat "$D/tui-vg.rc" 2>/dev/null)
TWIN_RC=$(cat "$D/tui-twin.rc" 2>/dev/null)
TUI_VG=$(vg_verdict "$D/tui.vg")
TUI_STATES=$(awk '{ for (i = 2; i <= NF; i++)
    if ($i ~ /^(OK|SLOW|DOWN|WAIT)$/) s[$i]++ }
    END { for (k in s) printf "%s %d ", k, s[k] }' "$D/tui-vg.status")
TUI_RSS_VG=$(rss_flat 1 2 "$D/rss.tui")
TUI_RSS_TWIN=$(rss_flat 1 3 "$D/rss.tui")
sim_stop

# --- 3. --report, one shot, under valgrind -------------------------------

# Half the answers faulted: every way out of a one-shot run (a report,
# exit 5 for a malformed answer, 6 for the network or HTTP) must free
# everything and say why in one line.
sim_start 127.0.0.1:0 503 1 0.5 4096
URL=http://127.0.0.1:$PORT
n=0 rep_bad=0
: >"$D/report.outcomes"
while [ $n -lt "$REPORTS" ]; do
	n=$((n + 1))
	$VG --log-file="$D/report.$n.vg" "$BORDERCOP" --report --api "$URL" \
	    --map "$MAP" >"$D/report.$n.out" 2>"$D/report.$n.err"
	rc=$?
	set -- $(vg_verdict "$D/report.$n.vg")
	why=$(head -n 1 "$D/report.$n.err" | sed 's/^bordercop: //; s/[:,].*//')
	echo "$rc $1 ${why:-report}" >>"$D/report.outcomes"
	case $rc in
	0)	grep -q . "$D/report.$n.out" || {
			fail "--report $n: exit 0 and no report"
			rep_bad=$((rep_bad + 1)); } ;;
	5|6)	[ "$(wc -l <"$D/report.$n.err")" -eq 1 ] || {
			fail "--report $n: exit $rc without one line of why"
			rep_bad=$((rep_bad + 1)); } ;;
	*)	fail "--report $n: exit $rc (see $D/report.$n.err)"
		rep_bad=$((rep_bad + 1)) ;;
	esac
	if [ "$1" != ok ]; then
		fail "--report $n: valgrind (see $D/report.$n.vg)"
		rep_bad=$((rep_bad + 1))
	fi
done
sim_stop

# --- summary -------------------------------------------------------------

# rss_line WHAT VERDICT: print one RSS verdict; WHAT "valgrind" is only
# for information.
rss_line() {
	w=$1
	shift
	printf '  RSS (%s): first quarter max %d kB, last quarter max %d kB' \
	    "$w" "$2" "$3"
	if [ "$w" = valgrind ]; then
		printf ', +%d kB (memcheck'"'"'s own, no verdict)\n' $(($3 - $2))
	else
		printf ', allowed +%d kB: %s\n' "$4" "$1"
	fi
}

echo
echo "== soak summary =="
echo "--watch under valgrind: $polls polls in $WATCH_S s" \
    "(interval $INTERVAL s), exit $WATCH_RC"
sed 's/^INFO /  /; s/^FAIL /  FAIL: /' "$D/watch.checks"
grep -q '^FAIL' "$D/watch.checks" && FAILED=1
grep -q '^INFO blocks printed' "$D/watch.checks" ||
    fail "--watch: the output could not be checked"
set -- $WATCH_VG
printf '  valgrind: definitely lost %s bytes, %s errors: %s\n' "$2" "$3" "$1"
[ "$1" = ok ] || fail "--watch: valgrind (see $D/watch.vg)"
[ "$WATCH_RC" = 0 ] || fail "--watch exited $WATCH_RC (see $D/watch.err)"
rss_line valgrind $RSS_VG
echo "--watch twin without valgrind: ${NATIVE_POLLS:-0} polls, exit $NATIVE_RC"
sed 's/^INFO /  /; s/^FAIL /  FAIL: /' "$D/native.checks"
grep -q '^FAIL' "$D/native.checks" && FAILED=1
grep -q '^INFO blocks printed' "$D/native.checks" ||
    fail "--watch twin: the output could not be checked"
rss_line program $RSS_NATIVE
set -- $RSS_NATIVE
[ "$1" = ok ] || fail "--watch: memory grew"
[ "$NATIVE_RC" = 0 ] || fail "--watch twin exited $NATIVE_RC"

echo "TUI under valgrind: $TUI_S s in tmux 120x40 (interval" \
    "$TUI_INTERVAL s), exit ${TUI_RC:-none}"
printf '  status line captures %d (each session), lost %d, link states: %s\n' \
    "$caps" "$badcaps" "$TUI_STATES"
set -- $TUI_VG
printf '  valgrind: definitely lost %s bytes, %s errors: %s\n' "$2" "$3" "$1"
[ "$1" = ok ] || fail "TUI: valgrind (see $D/tui.vg)"
[ "$TUI_RC" = 0 ] || fail "TUI exited ${TUI_RC:-never} (see $D/tui-vg.err)"
[ $pic_vg -eq 1 ] || fail "TUI: never showed units"
rss_line valgrind $TUI_RSS_VG
echo "TUI twin without valgrind: exit ${TWIN_RC:-none}"
rss_line program $TUI_RSS_TWIN
set -- $TUI_RSS_TWIN
[ "$1" = ok ] || fail "TUI: memory grew"
[ "$TWIN_RC" = 0 ] || fail "TUI twin exited ${TWIN_RC:-never}"
[ $pic_twin -eq 1 ] || fail "TUI twin: never showed units"

echo "--report under valgrind, faults at 0.5: $REPORTS runs, $rep_bad bad"
awk '{ $2 = ""; k = $0; sub(/  /, " ", k); c[k]++ }
    END { for (k in c) printf "  exit %s: %d\n", k, c[k] }' \
    "$D/report.outcomes" | sort
printf '  valgrind: %d of %d runs with nothing definitely lost and no error\n' \
    "$(grep -c ' ok ' "$D/report.outcomes")" "$REPORTS"

if [ $FAILED -ne 0 ]; then
	echo "soak: FAILED (logs in $D)"
	exit 1
fi
echo "soak: passed (logs in $D)"
exit 0
