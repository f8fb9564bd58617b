#!/bin/sh
# check-man.sh: every man page lints clean with groff, and the long options
# of `bordercop --help` are exactly those in bordercop(1)'s OPTIONS.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-.}
fail=0

if ! command -v groff >/dev/null 2>&1; then
	echo "check-man: groff not found; skipped"
	exit 77
fi
for page in "$srcdir"/man/*.[157]; do
	[ -f "$page" ] || continue
	out=$(groff -mdoc -ww -z -Tutf8 "$page" 2>&1)
	if [ -n "$out" ]; then
		echo "check-man: $page:"
		echo "$out"
		fail=1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$builddir/src/bordercop" --help >"$tmp/help" || {
	echo "check-man: bordercop --help failed"
	exit 1
}
# Options in --help: the first --name on each option line.
sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p' \
    "$tmp/help" | sort -u >"$tmp/help.opts"
# Options in the man page: `Fl -name` inside OPTIONS.
sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$srcdir/man/bordercop.1" |
    grep '^\.It' | grep -o 'Fl -[a-z][a-z0-9-]*' | sed 's/^Fl -//' |
    sort -u >"$tmp/man.opts"
if [ ! -s "$tmp/help.opts" ] || ! cmp -s "$tmp/help.opts" "$tmp/man.opts"
then
	echo "check-man: --help and bordercop.1 OPTIONS differ"
	echo "(< only in --help, > only in the man page)"
	diff "$tmp/help.opts" "$tmp/man.opts"
	fail=1
fi

# Two mdoc slips that lint clean but print wrong: words after Fl on a
# macro line are all flags (".Pq Fl -interval , default 10 s" prints
# "-default -10 -s"), and a quoted phrase whose first word is a macro name
# calls that macro (".Dq No unit available" prints "unit available"); the
# word is written \&No.
for page in "$srcdir"/man/*.[157]; do
	[ -f "$page" ] || continue
	grep -nE '^\.(.* )?(Dq|Qq|Sq|Ql|Do|Qo|So) (No|Ns|Pa|Op|It|Li|Em|Sy|Ad|Ic|In|At|An|Ap|Ms) ' \
	    "$page" | sed "s|^|check-man: $page:|; s|\$| (a macro, not a word)|"
	awk -v page="$page" 'BEGIN {
		n = split("Ac Ad An Ao Ap Aq Ar At Bc Bo Bq Brc Bro Brq Bsx Bx " \
		    "Cd Cm Dc Do Dq Dv Dx Ec Em En Eo Er Ev Fa Fc Fl Fn Fo Fr " \
		    "Ft Fx Ic In It Lb Li Lk Ms Mt Nm No Ns Nx Oc Oo Op Ot Ox " \
		    "Pa Pc Pf Po Pq Qc Ql Qo Qq Sc So Sq St Sx Sy Ta Tn Ux Va " \
		    "Vt Xc Xo Xr", m, " ")
		for (i = 1; i <= n; i++)
			callable[m[i]] = 1
	}
	/^\./ && !/^\.\\"/ {
		inflag = 0
		for (i = 2; i <= NF; i++) {
			if ($i in callable) {
				inflag = $i == "Fl"
				continue
			}
			if (inflag && $i ~ /^[A-Za-z0-9][A-Za-z0-9]+$/)
				printf "check-man: %s:%d: %s: \"%s\" after Fl is " \
				    "a flag\n", page, NR, $0, $i
		}
	}' "$page"
done >"$tmp/slips"
if [ -s "$tmp/slips" ]; then
	cat "$tmp/slips"
	fail=1
fi

# The configuration file's keys in bordercop.1 (CONFIGURATION FILE: the
# .Cm lines after "The keys allowed are:" up to the flags) are exactly
# the options that OPTIONS() in src/options.h lets the file set, and the
# flags listed there exactly those of them that are flags.
# One X(...) of OPTIONS() a line, its strings and letters blanked so that
# the fields split at commas: 1 id, 2 long name, 6 type, 9 config.
sed -n '/^#define OPTIONS(X)/,/^$/p' "$srcdir/src/options.h" |
    tr -d '\\\n\t' | sed 's/X(/\
X(/g' | awk '/^X\(/ {
	if (match($0, /"[^"]*"/) == 0) next
	name = substr($0, RSTART + 1, RLENGTH - 2)
	gsub(/"[^"]*"/, "S"); gsub(/\047[^\047]*\047/, "C")
	n = split($0, f, ",")
	gsub(/ /, "", f[6]); gsub(/ /, "", f[9])
	if (n >= 10 && f[9] == "1") {
		print name >"'"$tmp"'/cfg.opts"
		if (f[6] == "OPTT_FLAG") print name >"'"$tmp"'/cfg.flags"
	}
}'
sed -n '/^\.Sh CONFIGURATION FILE/,/^\.Sh /p' "$srcdir/man/bordercop.1" |
    sed -n '/^The keys allowed are:/,/^The flags/p' | grep '^\.Cm ' |
    sed 's/^\.Cm //; s/ [,.]//g' | tr ' ' '\n' | grep . | sort -u \
    >"$tmp/man.cfg"
sed -n '/^\.Sh CONFIGURATION FILE/,/^\.Sh /p' "$srcdir/man/bordercop.1" |
    sed -n '/^The flags/,/^\.Pc/p' | grep '^\.Cm ' |
    sed 's/^\.Cm //; s/ [,.]//g' | tr ' ' '\n' | grep . | sort -u \
    >"$tmp/man.flags"
sort -u "$tmp/cfg.opts" -o "$tmp/cfg.opts" 2>/dev/null
sort -u "$tmp/cfg.flags" -o "$tmp/cfg.flags" 2>/dev/null
if [ ! -s "$tmp/cfg.opts" ] || ! cmp -s "$tmp/cfg.opts" "$tmp/man.cfg"; then
	echo "check-man: the configuration keys of OPTIONS() and bordercop.1"
	echo "CONFIGURATION FILE differ (< only in options.h, > only in the page)"
	diff "$tmp/cfg.opts" "$tmp/man.cfg"
	fail=1
fi
if [ ! -s "$tmp/cfg.flags" ] || ! cmp -s "$tmp/cfg.flags" "$tmp/man.flags"
then
	echo "check-man: the configuration flags of OPTIONS() and bordercop.1"
	echo "CONFIGURATION FILE differ (< only in options.h, > only in the page)"
	diff "$tmp/cfg.flags" "$tmp/man.flags"
	fail=1
fi
exit $fail
