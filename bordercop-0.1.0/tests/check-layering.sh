#!/bin/sh
# check-layering.sh: the layers show in the includes.  Only the view files
# and ui.c (ui_term.c, which holds <term.h> apart) include curses (view.h,
# theirs, too); only poll.c includes curl;
# only feed.c and map.c parse with cJSON; geometry (border.c, coverage.c,
# picture.c) includes none of them.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
fail=0
inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*'
curses="$inc<n?curses\\.h>"
curl="$inc<curl/curl\\.h>"
view="$inc\"view\\.h\""
any="$inc[<\"](n?curses|curl/curl|cjson/cJSON|cJSON)\\.h[>\"]"

bad() {
	echo "check-layering: $1: $2"
	fail=1
}

for f in "$srcdir"/src/*.c "$srcdir"/src/*.h; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	if grep -Eq "$curses" "$f"; then
		case $name in
		view_*.c|ui.c|ui_term.c|view.h) ;;
		*) bad "$name" "includes curses (only view_*.c, ui*.c may)" ;;
		esac
	fi
	# view.h brings curses with it: the same rule.
	if grep -Eq "$view" "$f"; then
		case $name in
		view_*.c|ui.c) ;;
		*) bad "$name" "includes view.h (only view_*.c, ui.c may)" ;;
		esac
	fi
	if grep -Eq "$curl" "$f"; then
		case $name in
		poll.c) ;;
		*) bad "$name" "includes curl (only poll.c may)" ;;
		esac
	fi
	if grep -q 'cJSON_Parse' "$f"; then
		case $name in
		feed.c|map.c) ;;
		*) bad "$name" "parses with cJSON (only feed.c, map.c may)" ;;
		esac
	fi
	case $name in
	border.[ch]|coverage.[ch]|picture.[ch])
		if grep -Eq "$any" "$f"; then
			bad "$name" "geometry includes curses, curl or cJSON"
		fi
		;;
	esac
done
exit $fail
