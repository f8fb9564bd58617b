#!/bin/sh
# The end of a replay, with the real program over a journal of a few
# minutes of the demo: --replay --report at a --now more than
# --stale-after past the journal's last record is unknown (as --handover
# counts it): the last known picture, said to be so, and --fail-on-gap
# does not exit 3; --replay --watch ends at --to, or at the journal's end,
# with status 0; the terminal's status line says "end" there and still
# answers keys.
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bc="$builddir/src/bordercop"
map="$srcdir/maps/us-mx.geojson"
[ -x "$bc" ] || { echo "FAIL: $bc not built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-replay-end.XXXXXX") || exit 1
sock="bordercop-replay-end-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
j="$tmp/journal"

# An RFC 3339 time s seconds after the RFC 3339 time t.
later() {
	e=$(date -u -d "$1" +%s) || exit 1
	date -u -d "@$((e + $2))" +%Y-%m-%dT%H:%M:%SZ
}
# Run a command in the background for at most s seconds; its status, or
# 124 when it had to be killed.
within() {
	s=$1; shift
	"$@" &
	p=$!
	i=0
	while kill -0 "$p" 2>/dev/null; do
		if [ $i -ge $((s * 10)) ]; then
			kill -9 "$p" 2>/dev/null
			wait "$p" 2>/dev/null
			return 124
		fi
		sleep 0.1
		i=$((i + 1))
	done
	wait "$p"
}

# A journal of about 8 minutes of the demo (06:00 onwards, 120x).
"$bc" --demo --seed 7 --map "$map" --now 2026-11-28T06:00:00Z \
    --speed 120 --watch --count 3 --journal "$j" >"$tmp/rec.out" 2>&1 || {
	echo "FAIL: cannot record a journal"; cat "$tmp/rec.out"; exit 1; }
"$bc" --handover --journal "$j" --map "$map" --report-format json \
    >"$tmp/h.json" || { echo "FAIL: --handover"; exit 1; }
last=$(sed -n 's/^[[:space:]]*"to":[[:space:]]*"\([^"]*\)".*/\1/p' \
    "$tmp/h.json")
[ -n "$last" ] || { echo "FAIL: no end in the handover"; exit 1; }
echo "the journal ends at $last"

# 1. --report at the journal's last record (the handover shows whole
# seconds: one later has all of that second's): known, gaps open (3).
"$bc" --replay="$j" --map "$map" --report --fail-on-gap \
    --now "$(later "$last" 1)" >"$tmp/known.txt"
rc=$?
known_gaps=$(sed -n 's/^Gaps: \([0-9]*\),.*/\1/p' "$tmp/known.txt")
if [ "$rc" -eq 3 ] && [ "${known_gaps:-0}" -gt 0 ] &&
    ! grep -q '^Picture:' "$tmp/known.txt"; then
	ok "at the last record: known, $known_gaps gaps, status 3"
else
	fail "at the last record: status $rc, gaps '${known_gaps:-}'"
fi

# 2. 20 minutes later: unknown, the last known picture, not all gap.
t=$(later "$last" 1200)
"$bc" --replay="$j" --map "$map" --report --fail-on-gap --now "$t" \
    >"$tmp/unknown.txt"
rc=$?
if [ "$rc" -eq 0 ]; then ok "20 min past the end: status 0, not 3"
else fail "20 min past the end: status $rc"; fi
if grep -q "^Picture:  UNKNOWN since $last" "$tmp/unknown.txt"; then
	ok "... the report says the picture is unknown since $last"
else
	fail "... no 'Picture: UNKNOWN since $last'"
fi
if grep -q "^Gaps: unknown; as last known: $known_gaps," \
    "$tmp/unknown.txt"; then
	ok "... the gaps are the last known ones ($known_gaps), not counted"
else
	fail "... gaps: $(grep '^Gaps' "$tmp/unknown.txt")"
fi
if grep -q '^Clock:    '"$t"' (--now)' "$tmp/unknown.txt" &&
    ! grep -q ' 0 fresh' "$tmp/unknown.txt"; then
	ok "... at the clock asked, units as last known (not all stale)"
else
	fail "... clock or units: $(grep -e '^Clock' -e '^Units' \
	    "$tmp/unknown.txt")"
fi
"$bc" --replay="$j" --map "$map" --report=json --now "$t" >"$tmp/u.json"
if tr -d ' \t\n' <"$tmp/u.json" |
    grep -q '"picture":{"state":"unknown","as_of":"'"$last"'",'; then
	ok "... JSON picture.state unknown"
else
	fail "... JSON: $(grep -A3 '"picture"' "$tmp/u.json")"
fi
# Within --stale-after of the end it is still known (aged).
t=$(later "$last" 200)
"$bc" --replay="$j" --map "$map" --report=json --now "$t" >"$tmp/k.json"
if tr -d ' \t\n' <"$tmp/k.json" | grep -q '"picture":{"state":"live"'; then
	ok "200 s past the end (stale after 300 s): still known"
else
	fail "200 s past the end: $(grep -A3 '"picture"' "$tmp/k.json")"
fi
"$bc" --handover --journal "$j" --map "$map" --report-format json \
    --from "$last" --to "$(later "$last" 1200)" >"$tmp/h2.json"
if tr -d ' \t\n' <"$tmp/h2.json" | grep -q '"end_known":false'; then
	ok "--handover over the same time agrees: the end is unknown"
else
	fail "--handover says the end is known"
fi

# 3. --watch ends at --to with status 0, its last block at --to.
a=$(later "$last" -240)
b=$(later "$a" 3)
within 20 "$bc" --replay="$j" --map "$map" --from "$a" --to "$b" --watch \
    >"$tmp/w.out" 2>"$tmp/w.err"
rc=$?
lastblock=$(sed -n 's/^== \([0-9:]*\) UTC.*/\1/p' "$tmp/w.out" | tail -n 1)
if [ "$rc" -eq 0 ] && [ "$lastblock" = "$(echo "$b" | cut -c12-19)" ]; then
	ok "--watch --to $b: ended with status 0 after its block"
else
	fail "--watch --to: status $rc, last block ${lastblock:-none}"
	cat "$tmp/w.err"
fi
# Without --to: at the journal's end.
within 20 "$bc" --replay="$j" --map "$map" --now "$(later "$last" -3)" \
    --watch >"$tmp/w2.out" 2>"$tmp/w2.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^== $(echo "$last" | cut -c12-19) UTC" \
    "$tmp/w2.out"; then
	ok "--watch without --to: ended at the journal's end, status 0"
else
	fail "--watch without --to: status $rc"
	tail -n 3 "$tmp/w2.out"
fi

# 4. The terminal: "end" on the status line, and keys still work.
if command -v tmux >/dev/null 2>&1; then
	tm new-session -d -s r -x 160 -y 30 \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
	    $bc --replay=$j --map $map --from $a --to $b; \
	    echo \"EXIT=\$?\"; sleep 30"
	want="REPLAY $(echo "$b" | cut -c12-19)Z end"
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t r >"$tmp/screen" 2>/dev/null
		grep -qF "$want" "$tmp/screen" && break
		sleep 0.1
		i=$((i + 1))
	done
	if grep -qF "$want" "$tmp/screen"; then
		ok "the status line says '$want'"
	else
		fail "no '$want' on the status line"
		head -n 1 "$tmp/screen"
	fi
	tm send-keys -t r z
	sleep 1
	tm capture-pane -p -t r >"$tmp/screen"
	if head -n 1 "$tmp/screen" | grep -q "REPLAY [0-9:]*Z paused"; then
		ok "... a key still works there (z: paused)"
	else
		fail "... z did nothing: $(head -n 1 "$tmp/screen")"
	fi
	tm send-keys -t r q
	sleep 1
	tm capture-pane -p -t r >"$tmp/screen"
	if grep -q "EXIT=0" "$tmp/screen"; then ok "... q quits"
	else fail "... q did not quit"; fi
else
	echo "skip: tmux not installed (the terminal part)"
fi

[ $failures -eq 0 ] || { echo "$failures failed"; exit 1; }
exit 0
