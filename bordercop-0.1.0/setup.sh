#!/bin/sh
# setup.sh: install bordercop's Debian build dependencies (as root, only
# what is missing), then configure and build in the source tree.
# Idempotent and quiet when there is nothing to do.
set -eu
cd "$(dirname "$0")"

PKGS="build-essential autoconf automake pkg-config libncurses-dev
libcurl4-openssl-dev libcjson-dev libproj-dev libcmocka-dev
libmicrohttpd-dev zlib1g-dev groff-base tmux procps ca-certificates"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: missing Debian packages:$missing" >&2
		echo "setup.sh: run as root, or: sudo apt-get install$missing" >&2
		exit 1
	fi
	echo "setup.sh: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x configure ] && [ configure -nt configure.ac ] && \
    [ configure -nt Makefile.am ] || autoreconf -fi >/dev/null 2>&1 || {
	echo "setup.sh: autoreconf failed; run 'autoreconf -fi' to see why" >&2
	exit 1
}
[ -f Makefile ] && [ config.status -nt configure ] ||
    ./configure --enable-werror >/dev/null
make -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
