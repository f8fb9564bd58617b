#!/bin/sh
# check-layering.sh: the layers as a build fact, read from what each
# object calls (nm -u), not from how its includes are spelt.
#
#   - the view library (ui.c and view_*.c) calls no placement (border_*,
#     coverage, picture_build, geod_*), feed (feed_*, cJSON_*) or poll
#     (poll_*, source_*, curl_*) function: it reads the picture;
#   - the core (the members of libbordercop.a) calls no curses, no
#     libmicrohttpd, and no curl outside poll.o;
#   - only feed.o and map.o parse with cJSON (cJSON_Parse*);
#   - only border.o calls GeographicLib (geod_*), and no header of src/
#     includes <geodesic.h>.
#
# LAYERING_VIEWS and LAYERING_CORE, when set, name the objects to check
# instead of the build's (tests/test_layering.sh shows the check failing
# on objects built to break the rules).
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
NM=${NM:-nm}
fail=0

bad() {
	echo "check-layering: $1: $2"
	fail=1
}

# The undefined symbols of an object, one a line, that match a pattern.
calls() {
	"$NM" -u "$1" | awk '{ print $NF }' | grep -E "$2" | sort -u |
	    head -n 4 | tr '\n' ' '
}

views=${LAYERING_VIEWS-}
core=${LAYERING_CORE-}
if [ -z "$views" ] && [ -z "$core" ]; then
	lib="$builddir/src/libbordercop.a"
	if [ ! -f "$lib" ] || [ ! -f "$builddir/src/libui_a-ui.o" ]; then
		echo "check-layering: build first (no $lib)"
		exit 1
	fi
	for m in $(ar t "$lib"); do
		core="$core $builddir/src/$m"
	done
	views="$builddir/src/libui_a-ui.o"
	for o in "$builddir"/src/libui_a-view_*.o; do
		views="$views $o"
	done
fi

placement='^(border_|coverage_|ivlist_|picture_build$|geod_)'
feedpoll='^(feed_|cJSON_|poll_|source_|curl_)'
curses='^(initscr|newterm|endwin|doupdate|wrefresh|wnoutrefresh|werase|wgetch|wget_wch|newwin|delwin|waddn?str|mvwadd|mvwin|wattr|wbkgdset|keypad|nodelay|cbreak|noecho|curs_set|beep|start_color|init_pair|has_colors|setupterm|tigetstr|set_term|delscreen|resize_term|stdscr|curscr)$'

for o in $views; do
	name=$(basename "$o")
	s=$(calls "$o" "$placement")
	[ -n "$s" ] && bad "$name" "a view calls placement: $s"
	s=$(calls "$o" "$feedpoll")
	[ -n "$s" ] && bad "$name" "a view calls the feed or the poller: $s"
done

for o in $core; do
	name=$(basename "$o")
	s=$(calls "$o" "$curses")
	[ -n "$s" ] && bad "$name" "the core calls curses: $s"
	s=$(calls "$o" '^MHD_')
	[ -n "$s" ] && bad "$name" "the core calls libmicrohttpd: $s"
	if [ "$name" != poll.o ]; then
		s=$(calls "$o" '^curl_')
		[ -n "$s" ] && bad "$name" "calls curl (only poll.o may): $s"
	fi
	case $name in
	feed.o|map.o) ;;
	*)	s=$(calls "$o" '^cJSON_Parse')
		[ -n "$s" ] && bad "$name" "parses with cJSON (only feed.o, map.o may): $s" ;;
	esac
	if [ "$name" != border.o ]; then
		s=$(calls "$o" '^geod_')
		[ -n "$s" ] && bad "$name" "calls GeographicLib (only border.o may): $s"
	fi
done

for h in "$srcdir"/src/*.h; do
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<geodesic\.h>' "$h"; then
		bad "$(basename "$h")" "exports <geodesic.h> (only border.c includes it)"
	fi
done
exit $fail
