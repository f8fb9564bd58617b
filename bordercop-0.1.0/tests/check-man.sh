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
exit $fail
