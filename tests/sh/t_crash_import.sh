# kill -9 at random moments during import: the store holds the whole
# file or none of it, passes integrity_check and `docket verify`.
# The short form of tests/torture/crash_import.sh (`make torture` runs 100
# rounds); a failure prints the seed that replays it.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the torture script checks the file after kill -9 with the sqlite3 CLI (PostgreSQL: t_pg_crash)"
DOCKET_TORTURE_ROUNDS=6 DOCKET_TORTURE_IMPORT_ROWS=60000 sh "$DOCKET_ROOT/tests/torture/crash_import.sh" ||
	fail "the crash test found a problem (see above)"
