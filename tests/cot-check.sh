#!/bin/sh
# cot-check.sh EVENTS OUT: parse CoT events with @tak-ps/node-cot, a real
# CoT implementation, installed from npm into a temporary folder (or
# $BORDERCOP_NODE_COT, a folder where it is installed already, kept
# between runs), and write what it read, one JSON object an event, to OUT.
# Exit 77 when node or npm is missing or the package cannot be installed.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
events=$1
out=$2
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "SKIP: node and npm are needed to check CoT with @tak-ps/node-cot (apt-get install nodejs npm)" >&2
	exit 77
fi
dir=${BORDERCOP_NODE_COT:-}
tmp=
if [ -z "$dir" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/bordercop-cot.XXXXXX") || exit 1
	dir=$tmp
	trap 'rm -rf "$tmp"' EXIT INT TERM
fi
if [ ! -d "$dir/node_modules/@tak-ps/node-cot" ]; then
	( cd "$dir" && [ -f package.json ] || echo '{"private":true}' >package.json
	  npm install --no-audit --no-fund --silent @tak-ps/node-cot ) \
	    >"$dir/npm.log" 2>&1 || {
		echo "SKIP: cannot install @tak-ps/node-cot from npm:" >&2
		tail -n 5 "$dir/npm.log" >&2
		exit 77
	}
fi
cp "$top_srcdir/tests/cot-parse.mjs" "$dir/cot-parse.mjs"
node "$dir/cot-parse.mjs" "$events" >"$out"
