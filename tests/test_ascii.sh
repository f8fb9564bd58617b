#!/bin/sh
# Under a locale without UTF-8 every output is ASCII: the text report,
# --watch, an error message quoting a name with accents, and the terminal
# picture (drawn in tmux); under C.UTF-8 the same outputs keep their
# UTF-8 (so that the check would see it if the sinks lost the locale).
set -u
builddir=${top_builddir:-.}
bc="$builddir/src/bordercop"
[ -x "$bc" ] || { echo "FAIL: $bc not built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-ascii.XXXXXX") || exit 1
sock="bordercop-ascii-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
failures=0
now=2026-11-28T02:00:00Z
high=$(printf '[\200-\377]')
ascii() {	# ascii NAME FILE: FILE holds only ASCII bytes
	if LC_ALL=C grep -q "$high" "$2"; then
		echo "FAIL: $1: non-ASCII bytes:"
		LC_ALL=C grep -n "$high" "$2" | head -3
		failures=$((failures + 1))
	else
		echo "ok: $1"
	fi
}
utf8() {	# utf8 NAME FILE: FILE holds some UTF-8
	if LC_ALL=C grep -q "$high" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no UTF-8 at all"
		failures=$((failures + 1))
	fi
}
name="$tmp/caf$(printf '\303\251')-$(printf '\342\200\223').json"

for loc in C C.UTF-8; do
	LC_ALL=$loc LANG=$loc "$bc" --demo --seed 7 --now $now \
	    --report=text >"$tmp/report.$loc" 2>&1
	LC_ALL=$loc LANG=$loc "$bc" --demo --seed 7 --now $now --watch \
	    --count 2 >"$tmp/watch.$loc" 2>&1
	LC_ALL=$loc LANG=$loc "$bc" --feed "$name" --report=text \
	    >"$tmp/error.$loc" 2>&1
	LC_ALL=$loc LANG=$loc "$bc" --demo --seed 7 --now $now \
	    --report=json >"$tmp/json.$loc" 2>&1
done
# A short recorded demo for the handover in both locales.
XDG_STATE_HOME="$tmp/state" LC_ALL=C.UTF-8 "$bc" --demo --seed 7 \
    --now $now --watch --count 3 --journal "$tmp/j" >/dev/null 2>&1
for loc in C C.UTF-8; do
	LC_ALL=$loc LANG=$loc "$bc" --handover --journal "$tmp/j" \
	    >"$tmp/handover.$loc" 2>&1
	LC_ALL=$loc LANG=$loc "$bc" --handover --journal "$tmp/j" \
	    --report-format json >"$tmp/hjson.$loc" 2>&1
done
ascii "JSON report under LANG=C" "$tmp/json.C"
ascii "handover under LANG=C" "$tmp/handover.C"
ascii "JSON handover under LANG=C" "$tmp/hjson.C"
utf8 "JSON report under C.UTF-8 keeps its UTF-8" "$tmp/json.C.UTF-8"
utf8 "handover under C.UTF-8 keeps its UTF-8" "$tmp/handover.C.UTF-8"
# The same value: the escape of the line name's en dash, not a '?'.
if grep -q 'United States\\u2013Mexico' "$tmp/json.C" &&
    grep -q "United States$(printf '\342\200\223')Mexico" "$tmp/json.C.UTF-8"
then
	echo "ok: JSON under LANG=C escapes what it does not write"
else
	echo "FAIL: the JSON report under LANG=C lost the line's name"
	grep -n '"name"' "$tmp/json.C" | head -2
	failures=$((failures + 1))
fi
ascii "text report under LANG=C" "$tmp/report.C"
ascii "--watch under LANG=C" "$tmp/watch.C"
ascii "error message under LANG=C" "$tmp/error.C"
utf8 "text report under C.UTF-8 keeps its UTF-8" "$tmp/report.C.UTF-8"
utf8 "--watch under C.UTF-8 keeps its UTF-8" "$tmp/watch.C.UTF-8"
for loc in C C.UTF-8; do
	grep -q "joint%" "$tmp/watch.$loc" || { echo "FAIL: --watch ($loc)" \
	    "printed no sector table"; failures=$((failures + 1)); }
	grep -q "^Line: .* km joint" "$tmp/report.$loc" || { echo "FAIL:" \
	    "the text report ($loc) has no joint line"; failures=$((failures + 1)); }
done
grep -q "Nuevo Leon" "$tmp/watch.C" && echo "ok: Leon transliterated in --watch"
utf8 "error message under C.UTF-8 keeps the name" "$tmp/error.C.UTF-8"
grep -q "caf" "$tmp/error.C" || { echo "FAIL: the error names the file";
    failures=$((failures + 1)); }
grep -q "Copyright\|(c)" "$tmp/report.C" && echo "ok: (c) stands for the sign"

if command -v tmux >/dev/null 2>&1; then
	tm new-session -d -s a -x 100 -y 30 "env LC_ALL=C LANG=C \
	    TERM=xterm-256color $bc --demo --seed 7 --now $now; sleep 30"
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t a >"$tmp/tui" 2>/dev/null
		grep -q "max " "$tmp/tui" && break
		sleep 0.1
		i=$((i + 1))
	done
	for k in 1 2 3 4 '?'; do
		tm send-keys -t a "$k"
		sleep 0.3
		tm capture-pane -p -t a >>"$tmp/tui"
	done
	ascii "terminal picture under LANG=C (every view)" "$tmp/tui"
	tm send-keys -t a q q
else
	echo "skip: tmux not installed (terminal picture)"
fi

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
exit 0
