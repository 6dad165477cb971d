# kill -9 at random moments during a storm of reviewers deciding (the
# whole storm at once, or single processes): every decision reported as saved
# is in the log, `docket verify` passes, a dead reviewer's cases come back
# when their leases end.
# The short form of tests/torture/crash_storm.sh (`make torture` runs 100
# rounds); a failure prints the seed that replays it.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the torture script checks the file after kill -9 with the sqlite3 CLI (PostgreSQL: t_pg_crash)"
DOCKET_TORTURE_ROUNDS=4 sh "$DOCKET_ROOT/tests/torture/crash_storm.sh" ||
	fail "the crash test found a problem (see above)"
