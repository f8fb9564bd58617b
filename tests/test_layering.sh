#!/bin/sh
# test_layering.sh: check-layering.sh fails when a view calls a placement
# function and when a core file calls curses (objects built here to break
# the rules), and passes on a view that only reads the picture.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
CC=${CC:-cc}
check="$srcdir/tests/check-layering.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-layering.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

build() {	# build NAME.o from the C text on stdin
	cat >"$tmp/$1.c"
	if ! $CC -c -I"$srcdir/src" -o "$tmp/$1.o" "$tmp/$1.c" \
	    >"$tmp/$1.log" 2>&1; then
		echo "cannot build $1:"; cat "$tmp/$1.log"; exit 1
	fi
}

# A view that places a unit itself.
build libui_a-view_bad <<'C'
#include "border.h"
double view_bad(const struct border_map *m);
double
view_bad(const struct border_map *m)
{
	struct placement pl;

	border_locate(m, 31.3, -110.9, &pl);
	return (pl.s_km);
}
C
# A view that reads the picture only.
build libui_a-view_good <<'C'
#include "picture.h"
const char *view_good(const struct picture *p);
const char *
view_good(const struct picture *p)
{
	return (picture_unit(p, "USBP-1") != NULL ? "found" : "none");
}
C
# A core file that talks to the terminal.
build picture <<'C'
#include <curses.h>
int core_bad(void);
int
core_bad(void)
{
	return (wgetch(stdscr));
}
C

out=$(LAYERING_VIEWS="$tmp/libui_a-view_bad.o" LAYERING_CORE=" " \
    sh "$check" 2>&1)
st=$?
if [ $st -ne 0 ] && echo "$out" | grep -q \
    'libui_a-view_bad.o: a view calls placement: border_locate'; then
	pass "a view calling border_locate fails the check"
else
	fail "a view calling border_locate: status $st: $out"
fi

out=$(LAYERING_VIEWS=" " LAYERING_CORE="$tmp/picture.o" sh "$check" 2>&1)
st=$?
if [ $st -ne 0 ] && echo "$out" | grep -q \
    'picture.o: the core calls curses: .*wgetch'; then
	pass "a core file calling curses fails the check"
else
	fail "a core file calling curses: status $st: $out"
fi

out=$(LAYERING_VIEWS="$tmp/libui_a-view_good.o" LAYERING_CORE=" " \
    sh "$check" 2>&1)
st=$?
if [ $st -eq 0 ]; then
	pass "a view that reads the picture passes"
else
	fail "a view that reads the picture: status $st: $out"
fi
[ $failures -eq 0 ]
