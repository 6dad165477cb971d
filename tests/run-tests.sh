#!/bin/sh
# run-tests.sh: the runner of `make test`. Runs every part asked for, even
# after a failure, one line per test ("ok   ..." or "FAIL ..." with the end
# of its output), and ends with one verdict line, "N passed, M failed",
# summing all parts; exits 1 if anything failed.
#   checks  tests/check-tools.py (and its self-test), make check-layers
#   unit    each $BUILD/tests/test_* (cmocka; one per tests/test_*.c), and
#           those using a store (tests/fixture.h) again on PostgreSQL
#           where a server is installed, unless DOCKET_TEST_PG=no
#   sh      tests/run-sh.sh: each tests/sh/t_*.sh on $DOCKET, and beside
#           it the same on PostgreSQL (tests/pg/run-sh-pg.sh) where a
#           server is installed, unless DOCKET_TEST_PG=no
#   replay  each $BUILD/fuzz/replay_NAME on fuzz/corpus/NAME/
# Each unit test and replay runs with TMPDIR set to a directory of its own
# that must be empty when it ends: a test that leaves files behind fails.
# Usage: BUILD=build DOCKET=build/docket tests/run-tests.sh PART...
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
BUILD=${BUILD:-build}
logs=$BUILD/test-logs
mkdir -p "$logs"
passed=0
failed=0
failures=""

pass() {
	passed=$((passed + 1))
	echo "ok   $1"
}

failure() {
	failed=$((failed + 1))
	failures="$failures, $1"
	echo "FAIL $1${2:+ ($2)}"
}

# one NAME CMD...: run CMD with a fresh, private TMPDIR; it passes if it
# exits 0 and leaves TMPDIR empty. Its output goes to $logs/NAME.log and
# is shown (the end of it) only when it fails.
one() {
	name=$1
	shift
	log="$logs/$(echo "$name" | tr ' /' '__').log"
	tmp=$(mktemp -d /tmp/docket-run-XXXXXX) || { failure "$name" "mktemp"; return; }
	TMPDIR=$tmp "$@" >"$log" 2>&1
	rc=$?
	left=$(ls -A "$tmp")
	rm -rf "$tmp"
	if [ $rc -eq 0 ] && [ -z "$left" ]; then
		pass "$name$(summary "$log")"
		return
	fi
	if [ $rc -ne 0 ]; then
		failure "$name" "exit $rc; log: $log"
	else
		failure "$name" "left in TMPDIR: $(echo $left)"
	fi
	tail -n 30 "$log" | sed 's/^/     | /'
}

# summary LOG: " (N tests)", " (N tests, K skipped)" or " (N inputs)" from
# a cmocka or replay log.
summary() {
	k=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:/\1/p' "$1" | tail -n 1)
	sed -n -e "s/^\\[  PASSED  \\] \\([0-9]*\\) test(s)\\./ (\\1 tests${k:+, $k skipped})/p" \
		-e 's/^.*: \([0-9]*\) inputs replayed$/ (\1 inputs)/p' "$1" | tail -n 1
}

# sh_counts NAME OUT RUNNER: add the counts of OUT's verdict line.
sh_counts() {
	counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed\(, [0-9]* skipped\)\{0,1\}$/\1 \2/p' "$2" | tail -n 1)
	if [ -n "$counts" ]; then
		passed=$((passed + ${counts% *}))
		failed=$((failed + ${counts#* }))
		[ "${counts#* }" -eq 0 ] || failures="$failures, $1"
	else
		failure "$1" "no verdict from $3"
	fi
}

# unit_pg: the store's unit tests on PostgreSQL (the unit part): each test
# binary using fixture_setup or fixture_new (a test about the SQLite file
# itself skips there, saying why: fixture_sqlite_only). Each test makes a
# new store (fixture.h), whose schema's WAL was most of the time: the
# cluster does not sync it (DOCKET_PG_NOSYNC; 0.52x the part's time). A
# database copied from a template per test measured slower (CREATE
# DATABASE copies the catalogs: 0.3-0.6 s, against 0.2 s for the schema).
unit_pg() {
	pg_work=$(mktemp -d /tmp/docket-unit-pg-XXXXXX) || { failure "unit pg" "mktemp"; return; }
	# (the server runs as nobody under root: it must reach its directory)
	chmod 0755 "$pg_work"
	trap 'tests/pg/cluster.sh stop "$pg_work/pg" >/dev/null 2>&1; rm -rf "$pg_work"; exit 1' INT TERM
	if pg_envs=$(DOCKET_PG_NOSYNC=1 tests/pg/cluster.sh start "$pg_work/pg" 2>"$pg_work/start.log"); then
		for src in $(grep -l 'fixture_setup\|fixture_new' tests/test_*.c); do
			t=$(basename "$src" .c)
			one "unit pg $t" env DOCKET_TEST_ENGINE=postgres \
				$(echo "$pg_envs" | grep '^PG') "$BUILD/tests/$t"
		done
	else
		failure "unit pg" "the cluster did not start: $(tail -n 3 "$pg_work/start.log")"
	fi
	tests/pg/cluster.sh stop "$pg_work/pg" >/dev/null 2>&1
	rm -rf "$pg_work"
	trap - INT TERM
}

for part in "$@"; do
	case "$part" in
	checks)
		one "check-tools self-test" python3 tests/check-tools.py --self-test
		one "check-tools" python3 tests/check-tools.py
		one "check-layers" "${MAKE:-make}" --no-print-directory -s check-layers
		;;
	unit)
		for src in tests/test_*.c; do
			t=$(basename "$src" .c)
			one "unit $t" "$BUILD/tests/$t"
		done
		# The tests that use a store (tests/fixture.h) once more with
		# the store on PostgreSQL: one throwaway cluster for the run, a
		# database per test binary (fixture.h), lines "unit pg NAME".
		# Where no server is installed, or DOCKET_TEST_PG=no, not.
		if [ "${DOCKET_TEST_PG:-yes}" != no ] &&
			ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
			unit_pg
		fi
		;;
	sh)
		# The shell suite on SQLite, and beside it (the two take turns
		# on the cores while tests wait on tmux and servers) the same
		# suite on PostgreSQL (tests/pg/run-sh-pg.sh: one throwaway
		# cluster, a database per store), where a server is installed
		# and DOCKET_TEST_PG is not "no". Each prints a line per test
		# and ends on its own "N passed, M failed": shown as "shell
		# tests: ..." / "shell tests on PostgreSQL: ...", so the verdict
		# of the whole run is the only bare one; their counts join the
		# total. The PostgreSQL run's lines come after the SQLite run's.
		docket_bin=${DOCKET:-$root/$BUILD/docket}
		pg_out="$logs/sh-pg.out"
		pg_pid=
		rm -f "$pg_out"
		if [ "${DOCKET_TEST_PG:-yes}" != no ] &&
			ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
			DOCKET=$docket_bin tests/pg/run-sh-pg.sh >"$pg_out" 2>&1 &
			pg_pid=$!
		fi
		out="$logs/sh.out"
		DOCKET=$docket_bin tests/run-sh.sh | tee "$out" |
			sed -u 's/^[0-9]* passed, [0-9]* failed\(, [0-9]* skipped\)\{0,1\}$/shell tests: &/'
		sh_counts "shell tests" "$out" tests/run-sh.sh
		if [ -n "$pg_pid" ]; then
			wait "$pg_pid"
			sed -e 's/^\(ok  \|FAIL\|skip\) /\1 pg /' \
				-e 's/^[0-9]* passed, [0-9]* failed\(, [0-9]* skipped\)\{0,1\}$/shell tests on PostgreSQL: &/' \
				-e 's/^failed:/failed on PostgreSQL:/' "$pg_out"
			sh_counts "shell tests on PostgreSQL" "$pg_out" tests/pg/run-sh-pg.sh
		elif [ "${DOCKET_TEST_PG:-yes}" != no ]; then
			echo "(no PostgreSQL server installed: the shell suite ran on SQLite only)"
		fi
		;;
	replay)
		for src in fuzz/fuzz_*.c; do
			n=$(basename "$src" .c)
			n=${n#fuzz_}
			one "replay $n" "$BUILD/fuzz/replay_$n" "fuzz/corpus/$n"
		done
		;;
	*)
		echo "run-tests.sh: unknown part '$part' (checks unit sh replay)" >&2
		failure "$part" "unknown part"
		;;
	esac
done
[ -n "$failures" ] && echo "failed: ${failures#, }"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
