#!/bin/sh
# The journal as a person meets it, with the real program: --watch over a
# feed file records it; a second program on the same journal is refused
# and names the first; kill -9 loses nothing written; a torn tail is
# reported once and cut by the next run; --handover reads the journal and
# exits 3 with --fail-on-gap while a gap is open at the end.
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bc="$builddir/src/bordercop"
feed="$srcdir/tests/data/sample-feed.json"
map="$srcdir/maps/us-mx.geojson"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-history.XXXXXX") || exit 1
pid=
stop() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	pid=
}
trap 'stop; rm -rf "$tmp"' EXIT INT TERM
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() {	# check NAME COMMAND...: the command must succeed
	name=$1; shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
# No journal may land in the home of whoever runs the tests.
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
j="$tmp/journal"
day="$j/2026-11-28.bcj"

# start: a --watch recording the feed file, in the background.
start() {
	# Emptied here: the job's own redirection may come after the first
	# look below, which would then see the last run's "== ".
	: >"$tmp/watch.out"
	"$bc" --watch --feed "$feed" --map "$map" --journal "$j" \
	    >"$tmp/watch.out" 2>"$tmp/watch.err" &
	pid=$!
	i=0
	while ! grep -q "^== " "$tmp/watch.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: --watch did not print"; \
		    cat "$tmp/watch.err"; exit 1; }
		sleep 0.1
	done
}

start
check "the journal file of the feed's day exists" test -s "$day"
check "the lock names the writer" grep -qx "$pid" "$j/lock"

"$bc" --watch --count 1 --feed "$feed" --map "$map" --journal "$j" \
    >"$tmp/second.out" 2>"$tmp/second.err"
rc=$?
check "a second writer is refused with status 2" test $rc -eq 2
check "... saying who holds the journal" grep -q \
    "journal $j is in use by another bordercop (pid $pid)" "$tmp/second.err"
check "... and printing nothing" test ! -s "$tmp/second.out"

# kill -9: the keyframe was written, and synced, before the print.
size=$(wc -c <"$day")
stop
check "kill -9 loses nothing written" test "$(wc -c <"$day")" -eq "$size"

# The window around the feed's time: the gap of the sample is open at
# the end (no END record: known for --stale-after past the last one).
"$bc" --handover --journal "$j" --map "$map" \
    --from 2026-11-28T01:59:00Z --to 2026-11-28T02:02:00Z --fail-on-gap \
    >"$tmp/handover.txt" 2>"$tmp/handover.err"
rc=$?
check "--handover --fail-on-gap: status 3 with a gap open at the end" \
    test $rc -eq 3
check "... the report names the window" grep -q \
    "SHIFT HANDOVER  2026-11-28T01:59:00Z to 2026-11-28T02:02:00Z (3 min)" \
    "$tmp/handover.txt"
check "... 1 min unknown before the first picture" grep -q \
    "picture known 2 min, unknown 1 min" "$tmp/handover.txt"
check "... lists the gaps open at the end" grep -q \
    "^GAPS OPEN AT THE END ([1-9]" "$tmp/handover.txt"
check "... within 80 columns" sh -c \
    "! LC_ALL=C.UTF-8 awk 'length > 80' '$tmp/handover.txt' | grep -q ."
check "... and nothing on stderr" test ! -s "$tmp/handover.err"
"$bc" --handover --journal "$j" --map "$map" --report-format json \
    --from 2026-11-28T01:59:00Z --to 2026-11-28T02:02:00Z \
    >"$tmp/handover.json"
check "--report-format json: the handover object" grep -q \
    '"handover":	"bordercop-handover/1"' "$tmp/handover.json"
"$bc" --handover --journal "$j" --map "$map" \
    --from 2026-11-28T03:00:00Z --to 2026-11-28T02:00:00Z \
    >/dev/null 2>"$tmp/bad.err"
check "--to before --from: status 2" test $? -eq 2
"$bc" --handover --journal "$tmp/none" --map "$map" >/dev/null \
    2>"$tmp/none.err"
check "no journal there: status 5" test $? -eq 5
check "... saying where it looked" grep -q "$tmp/none" "$tmp/none.err"

# A torn tail: half a record, as a crash in the middle of write(2) leaves.
cp "$day" "$tmp/before"
printf 'BCJr\027\000\000\000garbage' >>"$day"
"$bc" --handover --journal "$j" --map "$map" \
    --from 2026-11-28T01:59:00Z --to 2026-11-28T02:02:00Z \
    >"$tmp/handover2.txt" 2>"$tmp/handover2.err"
check "a reader skips the torn tail" cmp -s "$tmp/handover.txt" \
    "$tmp/handover2.txt"
check "... and says so once" test "$(grep -c 'torn or corrupt' \
    "$tmp/handover2.err")" -eq 1
start
stop
check "the next writer says so once" test "$(grep -c \
    'not a whole record (torn or corrupt), cut off' "$tmp/watch.err")" -eq 1
check "... and cuts it: what was good is kept" sh -c \
    "head -c $size '$day' | cmp -s - '$tmp/before'"
check "... the torn bytes are gone" sh -c "! grep -q garbage '$day'"
check "... and the new run appended after it" \
    test "$(wc -c <"$day")" -gt "$size"
"$bc" --handover --journal "$j" --map "$map" \
    --from 2026-11-28T01:59:00Z --to 2026-11-28T02:02:00Z \
    >/dev/null 2>"$tmp/handover3.err"
check "... so that no reader warns again" test ! -s "$tmp/handover3.err"

# --replay takes its directory after '=' (its argument is optional).
"$bc" --replay "$j" --report >/dev/null 2>"$tmp/replay.err"
check "--replay DIR: status 2" test $? -eq 2
check "... saying how to write it" grep -q \
    "for --replay, write --replay=$j" "$tmp/replay.err"
"$bc" --replay="$j" --report --map "$map" --now 2026-11-28T02:00:30Z \
    >"$tmp/replay.txt" 2>"$tmp/replay.err"
check "--replay=DIR --report --now: the picture of that moment" \
    grep -q "^Clock:    2026-11-28T02:00:30Z (--now)" "$tmp/replay.txt"
"$bc" --replay="$j" --feed "$feed" --report >/dev/null 2>"$tmp/both.err"
check "--replay and --feed exclude each other" grep -q \
    "only one of --feed, --api, --demo and --replay" "$tmp/both.err"

exit $((failures > 0))
