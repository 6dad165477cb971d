#!/bin/sh
# ensure-deps.sh: make sure the Debian packages docket needs are installed.
# As root it installs what is missing; otherwise it prints the exact command.
# Usage: tools/ensure-deps.sh [--list] build|test|ci|bench
# --list prints the target's packages and installs nothing (for
# tests/check-tools.py, which checks that every command the scripts run
# comes from one of them or from a package every Debian has).
set -eu
list=0
[ "${1:-}" = --list ] && { list=1; shift; }

build="gcc binutils make pkg-config libncurses-dev libsqlite3-dev libsodium-dev libcsv-dev libpq-dev"
test="$build libcmocka-dev sqlite3 postgresql postgresql-client-common tmux python3 valgrind procps passwd util-linux chromium poppler-utils"
ci="$test clang libclang-rt-14-dev"
bench="$test hyperfine bc time git"

case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
ci) want=$ci ;;
bench) want=$bench ;;
*) echo "usage: $0 [--list] build|test|ci|bench" >&2; exit 2 ;;
esac
if [ $list = 1 ]; then
	echo $want
	exit 0
fi

missing=""
for p in $want; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "docket: installing missing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	exit 0
fi
echo "docket: missing Debian packages:$missing" >&2
echo "Install them with:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
