# kill -9 at random moments during export: no file under the final name
# or a complete one, never an unrecorded partial; the next export works.
# The short form of tests/torture/crash_export.sh (`make torture` runs 100
# rounds); a failure prints the seed that replays it.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the torture script checks the file after kill -9 with the sqlite3 CLI (PostgreSQL: t_pg_crash)"
DOCKET_TORTURE_ROUNDS=6 sh "$DOCKET_ROOT/tests/torture/crash_export.sh" ||
	fail "the crash test found a problem (see above)"
