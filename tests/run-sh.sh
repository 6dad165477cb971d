#!/bin/sh
# run-sh.sh: runs every tests/sh/t_*.sh against the real binary ($DOCKET),
# each in its own empty directory with no user config and a TMPDIR of its
# own that must be empty when it ends, and prints a summary.
# Usage: DOCKET=/path/to/docket tests/run-sh.sh [PATTERN]
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
# The tests set the clock and inject faults (DOCKET_NOW, DOCKET_FAULT),
# which only the test build honours: given build/docket, run the
# build/test/docket made beside it (named docket too, so tests that look
# for "docket review" among processes find it). DOCKET_PLAIN stays the
# binary as installed, for the tests that check it ignores them.
if [ -x "$(dirname "$DOCKET")/test/docket" ]; then
	DOCKET_PLAIN=${DOCKET_PLAIN:-$DOCKET}
	DOCKET=$(dirname "$DOCKET")/test/docket
fi
: "${DOCKET_PLAIN:=$DOCKET}"
export DOCKET DOCKET_PLAIN
# the sqlite3 CLI's docket_obj (tests/casejson_sql.c), built beside it
: "${DOCKET_SQLEXT:=$(dirname "$DOCKET_PLAIN")/sqlext/casejson_sql.so}"
export DOCKET_TESTS="$here"
export DOCKET_ROOT="$(cd "$here/.." && pwd)"
# Tests that read a SQLite store's cases (case_obj in sh/lib.sh) need it:
# stores pack their values, which only docket's own decoder reads. A
# binary built by `make` alone (not `make build-tests`), or one from
# elsewhere, has none beside it: it is built from this tree for this run.
if [ ! -f "$DOCKET_SQLEXT" ]; then
	sqlext_dir=$(mktemp -d /tmp/docket-sqlext-XXXXXX)
	trap 'rm -rf "$sqlext_dir"' EXIT
	if make -s -C "$DOCKET_ROOT" BUILD="$sqlext_dir" \
		"$sqlext_dir/sqlext/casejson_sql.so" >"$sqlext_dir/make.log" 2>&1; then
		DOCKET_SQLEXT="$sqlext_dir/sqlext/casejson_sql.so"
	else
		echo "note: no $DOCKET_SQLEXT, and building it failed" \
			"($(tail -n 1 "$sqlext_dir/make.log")): the tests reading a" \
			"SQLite store's cases will fail; run 'make build-tests'"
	fi
fi
export DOCKET_SQLEXT
pattern=${1:-}
passed=0
failed=0
skipped=0
failures=""
for t in "$here"/sh/t_*.sh; do
	name=$(basename "$t" .sh)
	case "$name" in *"$pattern"*) ;; *) continue ;; esac
	work=$(mktemp -d /tmp/docket-sh-XXXXXX)
	# The tests read stores with the sqlite3 CLI while docket writes them:
	# give the CLI a busy timeout (it has none by default) through its rc file.
	echo ".timeout 10000" >"$work/.sqliterc"
	mkdir "$work.tmp"
	# A private HOME and XDG dirs: no user config leaks into a test. No
	# locale either, as on a fresh machine (and under CI): a test that
	# needs one sets it, so a developer's LANG cannot hide a test's need.
	# Exit 77: the test cannot run here (it says why): skipped, not passed.
	(cd "$work" && env -u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE \
		HOME="$work" XDG_CONFIG_HOME="$work/.config" \
		XDG_DATA_HOME="$work/.local/share" TMUX= DOCKET_CONFIG= \
		TMPDIR="$work.tmp" TERM=xterm-256color sh "$t") >"$work.log" 2>&1
	rc=$?
	left=$(ls -A "$work.tmp")
	[ -z "$left" ] || { rc=1; echo "left in TMPDIR: $(echo $left)" >>"$work.log"; }
	rm -rf "$work.tmp"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name"
		rm -rf "$work" "$work.log"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1))
		echo "skip $name: $(tail -n 1 "$work.log")"
		rm -rf "$work" "$work.log"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name (log: $work.log)"
		sed 's/^/     | /' "$work.log" | tail -n 30
	fi
done
[ -n "$failures" ] && echo "failed:$failures"
# The verdict; ", K skipped" only when a test could not run here.
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
