# Every write transaction on PostgreSQL that the server may pick as a
# deadlock's victim is run again (store_retry), not reported as failed:
# the server rolled it back whole, nothing written. Before, only claims
# and decisions were (queue.c); a re-route, a signature, a reference, an
# export's or a report's record and a reveal said "deadlock detected".
#
# The deadlock is made on purpose, through the binary: a psql session
# holds the chain lock (decisions hold it while they append), waits until
# docket's command, holding the store's writer lock, waits for it, then
# asks for the writer lock. The command's deadlock check runs first
# (deadlock_timeout 0.5 s for it, 30 s for the session), so the server
# aborts it. The server log must show the deadlock, the command must
# succeed with no error said, and its entry be in the log once.
#
# A re-route is also made the victim of a cycle over two cases, as a
# reviewer's session locking them in the other order would make.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
PG=$(uri "$me")
q() { psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "$*"; }
"$DOCKET" init "$PG" >/dev/null
"$DOCKET" import "$PG" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
export XDG_CONFIG_HOME="$PWD/config"
"$DOCKET" key init >/dev/null

# entries ACTION: how many entries of ACTION the log has
entries() { q "SELECT count(*) FROM docket.decisions WHERE action = '$1'"; }
# holding: 1 once the session holds the chain lock
holding="SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE a.application_name = 'psql' AND l.locktype = 'advisory'
	AND l.objid = 3 AND l.granted"
# a waiter holding the writer lock: docket inside its write transaction
# (a read taking the chain lock first must not set the session going)
writer="AND EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid
	AND w.locktype = 'advisory' AND w.objid = 1 AND w.granted)"

# victim ACTION CMD...: CMD, whose write appends an ACTION entry, made a
# deadlock's victim once; it must go through
victim() {
	action=$1
	shift
	before=$(entries "$action")
	psql -qX -v ON_ERROR_STOP=1 -d postgres >session.out 2>&1 <<SQL &
SET deadlock_timeout = '30s';
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 3);
$(pg_until_waits "$me" "AND l.locktype = 'advisory' AND l.objid = 3 $writer")
SELECT pg_advisory_xact_lock(1684234091, 1);
COMMIT;
SQL
	session=$!
	i=0
	until [ "$(q "$holding")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "$action: the session never took the chain lock"
		sleep 0.05
	done
	cp "$pgdir/server.log" server.before
	export PGOPTIONS='-c deadlock_timeout=500ms'
	run "$@"
	unset PGOPTIONS
	wait $session || fail "$action: the psql session failed: $(cat session.out)"
	[ "$(diff server.before "$pgdir/server.log" | grep -c "deadlock detected")" -ge 1 ] ||
		fail "$action: no deadlock was made (the test did not test the retry): $(tail -n 20 "$pgdir/server.log")"
	[ "$rc" = 0 ] || fail "$action: exit $rc, said: $err"
	case $err in
	*deadlock* | *rror*) fail "$action: the retried command said: $err" ;;
	esac
	[ "$(entries "$action")" = $((before + 1)) ] ||
		fail "$action: $(($(entries "$action") - before)) entries, not 1"
}

victim policy "$DOCKET" policy "$PG" --model credit --threshold 0.9
[ "$(q "SELECT policy_version FROM docket.models WHERE name = 'credit'")" = \
	"$(q "SELECT max(version) FROM docket.policies")" ] ||
	fail "the re-route's policy is not the model's"
victim reference "$DOCKET" drift "$PG" --model credit --set-reference --batch 1
victim anchor "$DOCKET" anchor "$PG"
case $out in
"docket-anchor-v1 "*) ;;
*) fail "anchor printed: $out" ;;
esac
victim export "$DOCKET" export "$PG" --only all --out all.csv
[ -s all.csv ] || fail "the export's file is gone"
victim report "$DOCKET" report "$PG" --model credit --out r.md --format md
[ -s r.md ] || fail "the report's file is gone"
victim reveal "$DOCKET" stats "$PG" --model credit --by pii:name --reveal

# A cycle over cases: the session locks the last queued case (the
# re-route's second chunk), then, once the re-route waits for it holding
# its first chunk, asks for the first queued case.
first=$(q "SELECT min(id) FROM docket.cases WHERE state IN ('queued', 'auto')")
last=$(q "SELECT max(id) FROM docket.cases WHERE state IN ('queued', 'auto')")
[ "$(q "SELECT count(*) FROM docket.cases WHERE state IN ('queued', 'auto')")" -gt 4096 ] ||
	fail "the store's undecided cases fit one chunk of the re-route"
before=$(entries policy)
psql -qX -v ON_ERROR_STOP=1 -d postgres >cases.out 2>&1 <<SQL &
SET deadlock_timeout = '30s';
BEGIN;
SELECT 1 FROM docket.cases WHERE id = $last FOR UPDATE;
$(pg_until_waits "$me" "AND l.locktype = 'transactionid'")
SELECT 1 FROM docket.cases WHERE id = $first FOR UPDATE;
COMMIT;
SQL
session=$!
i=0
until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'psql'
	AND backend_xid IS NOT NULL")" -ge 1 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the session never locked the last case"
	sleep 0.05
done
cp "$pgdir/server.log" server.before
export PGOPTIONS='-c deadlock_timeout=500ms'
run "$DOCKET" policy "$PG" --model credit --threshold 0.7
unset PGOPTIONS
wait $session || fail "the cases' psql session failed: $(cat cases.out)"
[ "$(diff server.before "$pgdir/server.log" | grep -c "deadlock detected")" -ge 1 ] ||
	fail "no deadlock over cases was made: $(tail -n 20 "$pgdir/server.log")"
expect_rc 0
[ -z "$err" ] || fail "the retried re-route said: $err"
[ "$(entries policy)" = $((before + 1)) ] || fail "the re-route's entries: not 1"
[ "$(q "SELECT count(*) FROM docket.cases WHERE state IN ('queued', 'auto')
	AND policy_version <> (SELECT policy_version FROM docket.models
	WHERE name = 'credit')")" = 0 ] || fail "the retried re-route left cases behind"

run "$DOCKET" verify "$PG"
expect_rc 0
