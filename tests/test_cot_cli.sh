#!/bin/sh
# bordercop --cot from the command line: --watch streams the demo's gaps
# (and units only when asked), each event once a line; the options that
# need each other say so; --report refuses --cot.
set -u
builddir=${top_builddir:-.}
bc="$builddir/src/bordercop"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-cot.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CONFIG_HOME="$tmp/config"
failures=0
check() {	# check NAME COMMAND...: the command must succeed
	name=$1; shift
	if "$@"; then echo "ok: $name"; else
		echo "FAIL: $name"; failures=$((failures + 1)); fi
}

"$bc" --demo --watch --count 2 --cot "$tmp/gaps.cot" >/dev/null 2>"$tmp/err"
check "--watch --cot FILE exits 0" [ $? -eq 0 ]
check "gap drawings written" grep -q 'type="u-d-f"' "$tmp/gaps.cot"
check "no unit without --cot-units" [ "$(grep -c 'type="a-' "$tmp/gaps.cot")" -eq 0 ]
check "one event a line" [ "$(grep -c '^<?xml.*</event>$' "$tmp/gaps.cot")" -eq "$(wc -l <"$tmp/gaps.cot")" ]
check "the file is private" [ "$(stat -c %a "$tmp/gaps.cot")" = 600 ]

"$bc" --demo --watch --count 1 --cot "$tmp/units.cot" --cot-units own \
    --side MX >/dev/null 2>&1
check "--cot-units own --side MX: MX units, friendly" \
    grep -q 'uid="bordercop.unit.MX-[^"]*" type="a-f-' "$tmp/units.cot"
check "--cot-units own: no US unit" [ "$(grep -c 'uid="bordercop.unit.USBP' "$tmp/units.cot")" -eq 0 ]

"$bc" --demo --watch --count 1 --cot "$tmp/x.cot" --cot-units all \
    >/dev/null 2>"$tmp/err"
check "--cot-units without --side: exit 2" [ $? -eq 2 ]
check "--cot-units without --side: says --side" grep -q -- '--side' "$tmp/err"
"$bc" --demo --watch --count 1 --cot-units all --side us >/dev/null 2>"$tmp/err"
check "--cot-units without --cot: exit 2" [ $? -eq 2 ]
"$bc" --demo --watch --count 1 --cot "$tmp/x.cot" --cot-units all \
    --side GT >/dev/null 2>"$tmp/err"
check "--side GT: exit 2, named" grep -q "'GT' is not US or MX" "$tmp/err"
"$bc" --demo --watch --count 1 --cot "ftp://x:1" >/dev/null 2>"$tmp/err"
check "a bad destination: exit 2" [ $? -eq 2 ]
"$bc" --demo --report --cot "$tmp/x.cot" >/dev/null 2>"$tmp/err"
check "--report --cot: exit 2" [ $? -eq 2 ]
check "--report --cot: says why" grep -q "not --report" "$tmp/err"
exit $((failures > 0))
