# A decision on PostgreSQL first goes the fast way (decide() checks the
# lease, label and state itself, in one round trip). When the server
# picks that statement as a deadlock's victim, nothing was written, and
# the decision must go through the long way rather than fail. The
# deadlock is made on purpose: a psql session holds the chain lock, alice's
# decide() locks her case and waits for the chain, then the session asks
# for alice's case. alice's deadlock check runs last (deadlock_timeout
# 3 s for her, 30 s for the session), so the server aborts her statement:
# the server log must show the deadlock, and her decision must be
# recorded once, acknowledged, with verify passing. The session takes its
# steps when alice has taken hers (pg_until_waits, holding), not after
# sleeps, so a loaded machine cannot reorder them.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE alice LOGIN;
ALTER ROLE alice SET deadlock_timeout = '3s';
SQL
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
PG=$(uri "$me")
"$DOCKET" init "$PG" >/dev/null
"$DOCKET" import "$PG" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add "$PG" alice >/dev/null

# claim: alice claims the next case; id is its ext_id, cid its row id
claim() {
	run "$DOCKET" next "$(uri alice)"
	expect_rc 0
	id=${out#*\"id\":\"}
	id=${id%%\"*}
	[ -n "$id" ] && [ "$id" != "$out" ] || fail "no case claimed: $out"
	cid=$(psql -qAtX -d postgres -c "SELECT id FROM docket.cases WHERE ext_id = '$id'")
}
# first_queued: the case a claim takes next
first_queued() {
	psql -qAtX -d postgres -c "SELECT id FROM docket.cases WHERE state = 'queued'
	ORDER BY priority DESC, urgency, id LIMIT 1"
}
# wait_for WHAT SQL: until SQL counts 1 (alice waiting), at most 2.5 s
wait_for() {
	i=0
	until [ "$(psql -qAtX -d postgres -c "$2")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "never waited for $1"
		sleep 0.05
	done
}

# holding: SQL counting 1 once a psql session holds the chain lock
holding="SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE a.application_name = 'psql' AND l.locktype = 'advisory'
	AND l.objid = 3 AND l.granted"

claim

# The session: the chain lock (decide()'s advisory lock), then, once alice
# waits for it holding her case, her case.
psql -qX -v ON_ERROR_STOP=1 -d postgres >session.out 2>&1 <<SQL &
SET deadlock_timeout = '30s';
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 3);
$(pg_until_waits alice "AND l.locktype = 'advisory' AND l.objid = 3")
SELECT 1 FROM docket.cases WHERE id = $cid FOR UPDATE;
COMMIT;
SQL
session=$!
wait_for "the session's chain lock" "$holding"
run "$DOCKET" decide "$(uri alice)" "$id" --action accept
wait $session || fail "the psql session failed: $(cat session.out)"
grep -q "deadlock detected" "$pgdir/server.log" ||
	fail "no deadlock was made (the test did not test the fallback): $(tail -n 20 "$pgdir/server.log")"
expect_rc 0
[ "$(psql -qAtX -d postgres -c "SELECT count(*) FROM docket.decisions
	WHERE case_id = $cid AND reviewer = 'alice' AND action = 'accept'")" = 1 ] ||
	fail "alice's decision is not in the log exactly once"
[ "$(psql -qAtX -d postgres -c "SELECT state FROM docket.cases WHERE id = $cid")" != held ] ||
	fail "the case is still held"
run "$DOCKET" verify "$PG"
expect_rc 0

# The cause of the 64-client deadlock: decide --next claimed its next case
# after decide() took the chain lock, so the lock's holder could wait for
# a case another decider had locked while that decider waited for the
# lock. Now the claim comes first: while alice's decide --next waits for
# the chain lock (held by a session here), the case her claim takes is
# already locked by her, and no session holding the chain lock asks for it.
claim
first=$(first_queued)
[ -n "$first" ] || fail "no queued case left for the next claim"
psql -qX -v ON_ERROR_STOP=1 -d postgres >session2.out 2>&1 <<SQL &
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 3);
SELECT pg_sleep(4);
COMMIT;
SQL
session=$!
sleep 0.5
"$DOCKET" decide "$(uri alice)" "$id" --action accept --next >next.out 2>next.err &
decider=$!
wait_for "the chain lock" "SELECT count(*) FROM pg_locks l
	JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.usename = 'alice'
	AND l.locktype = 'advisory' AND NOT l.granted"
probe=$(psql -qAtX -d postgres -c "SET lock_timeout = '100ms'" \
	-c "SELECT id FROM docket.cases WHERE id = $first FOR UPDATE NOWAIT" 2>&1 || true)
case "$probe" in
*"could not obtain lock"*) ;;
*) fail "the next case was not claimed before the chain lock: $probe" ;;
esac
wait $session || fail "the psql session failed: $(cat session2.out)"
wait $decider || fail "decide --next failed: $(cat next.err)"
next=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' next.out)
[ "$(psql -qAtX -d postgres -c "SELECT id FROM docket.cases WHERE ext_id = '$next'")" = "$first" ] ||
	fail "decide --next did not hand back the case it claimed first: $(cat next.out)"
[ "$(psql -qAtX -d postgres -c "SELECT count(*) FROM docket.decisions d JOIN docket.cases c
	ON c.id = d.case_id WHERE c.ext_id = '$id' AND d.action = 'accept'")" = 1 ] ||
	fail "the decision is not in the log exactly once"
run "$DOCKET" verify "$PG"
expect_rc 0

# And the case being decided is locked before that claim (hold_case()): a
# claim's walk can keep a lock on a case it reached through an old queue
# entry and skipped, then wait on the case another decide --next has just
# claimed; had that decider claimed first, it would wait for its own case
# holding the claimed one (3 deadlocks in 6 runs at 64 clients). While a
# session holds alice's case, her decide --next must wait before claiming.
claim
first=$(first_queued)
psql -qX -v ON_ERROR_STOP=1 -d postgres >session3.out 2>&1 <<SQL &
BEGIN;
SELECT 1 FROM docket.cases WHERE id = $cid FOR UPDATE;
SELECT pg_sleep(3);
COMMIT;
SQL
session=$!
sleep 0.5
"$DOCKET" decide "$(uri alice)" "$id" --action accept --next >next.out 2>next.err &
decider=$!
wait_for "her case" "SELECT count(*) FROM pg_stat_activity
	WHERE usename = 'alice' AND wait_event_type = 'Lock'"
probe=$(psql -qAtX -d postgres -c "SELECT id FROM docket.cases WHERE id = $first FOR UPDATE NOWAIT" 2>&1 || true)
[ "$probe" = "$first" ] || fail "the next case was claimed before the case being decided was locked: $probe"
wait $session || fail "the psql session failed: $(cat session3.out)"
wait $decider || fail "decide --next failed: $(cat next.err)"
next=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' next.out)
[ "$(psql -qAtX -d postgres -c "SELECT id FROM docket.cases WHERE ext_id = '$next'")" = "$first" ] ||
	fail "decide --next did not hand back the first queued case: $(cat next.out)"
[ "$(psql -qAtX -d postgres -c "SELECT count(*) FROM docket.decisions
	WHERE case_id = $cid AND action = 'accept'")" = 1 ] ||
	fail "the decision is not in the log exactly once"
run "$DOCKET" verify "$PG"
expect_rc 0

# Any transaction the server picks as a deadlock's victim is rolled back
# whole, nothing written: docket runs it again (store_retry) rather than
# fail. A resolve always goes the long way (its case locked, then the
# chain lock in decide()); here a session holding the chain lock asks
# for the case once the supervisor's resolve waits for the lock, and the
# supervisor's deadlock check (0.5 s) runs first, so the resolve is the
# victim. Run again, it waits for the session and goes through: recorded
# once, exit 0, nothing on stderr.
claim
run "$DOCKET" decide "$(uri alice)" "$id" --action escalate --reason needs-expert
expect_rc 0
psql -qX -v ON_ERROR_STOP=1 -d postgres >session4.out 2>&1 <<SQL &
SET deadlock_timeout = '30s';
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 3);
$(pg_until_waits "$me" "AND l.locktype = 'advisory' AND l.objid = 3")
SELECT 1 FROM docket.cases WHERE id = $cid FOR UPDATE;
COMMIT;
SQL
session=$!
wait_for "the session's chain lock" "$holding"
cp "$pgdir/server.log" server.before
export PGOPTIONS='-c deadlock_timeout=500ms'
run "$DOCKET" decide "$PG" "$id" --action resolve --label good
unset PGOPTIONS
wait $session || fail "the resolve's psql session failed: $(cat session4.out)"
[ "$(diff server.before "$pgdir/server.log" | grep -c "deadlock detected")" -ge 1 ] ||
	fail "no deadlock was made (the test did not test the retry): $(tail -n 20 "$pgdir/server.log")"
expect_rc 0
[ -z "$err" ] || fail "the retried resolve said: $err"
[ "$(psql -qAtX -d postgres -c "SELECT count(*) FROM docket.decisions
	WHERE case_id = $cid AND action = 'resolve'")" = 1 ] ||
	fail "the resolve is not in the log exactly once"
[ "$(psql -qAtX -d postgres -c "SELECT state || ' ' || final_label FROM docket.cases
	WHERE id = $cid")" = "done good" ] || fail "the resolved case is not done with label good"
run "$DOCKET" verify "$PG"
expect_rc 0
