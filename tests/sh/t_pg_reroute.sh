# A supervisor's re-route (`docket policy`) on PostgreSQL while reviewers
# work: claims and decisions take no store-wide writer lock there, so they
# run beside it.
# - A case a reviewer claims after the re-route read it stays held: the
#   re-route changes only cases still queued or auto (it set the claimed
#   case back to queued before, leased and in the queue at once), and
#   the counts it prints are those of the cases it changed (it counted
#   the cases it read, the claimed one too).
# - Decisions go on while the re-route waits for a case: its log entries
#   come last, so the chain lock is not held through the re-route (it was:
#   every decision waited for the whole re-route).
# - The counters equal a recount (a re-route counts its changes of state
#   itself, once: pg_schema.c's revision 9), and verify passes.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" >/dev/null
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
PG=$(uri "$me")
q() { psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "$*"; }
"$DOCKET" init "$PG" >/dev/null
"$DOCKET" import "$PG" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add "$PG" alice >/dev/null

# session NAME SQL: SQL in a psql session of its own, in the background
# ($session its pid, NAME.out what it said)
session() {
	psql -qX -v ON_ERROR_STOP=1 -d postgres >"$1.out" 2>&1 <<SQL &
$2
SQL
	session=$!
}
# wait_locked: until the session holds its row lock (a psql session's
# transaction holds a row's lock: its xid is taken), at most 5 s
wait_locked() {
	i=0
	until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'psql'
		AND backend_xid IS NOT NULL")" -ge 1 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the session never took its lock: $(cat "$1.out")"
		sleep 0.05
	done
}
# recount: the counters against the cases, "" when they agree
recount() {
	q "SELECT string_agg(coalesce(c.state, r.state) || ' ' || coalesce(c.n, 0)
		|| ' counted, ' || coalesce(r.n, 0) || ' in cases', '; ')
	FROM (SELECT state, sum(n) AS n FROM docket.counters GROUP BY 1) c
	FULL JOIN (SELECT state, count(*) AS n FROM docket.cases GROUP BY 1) r
	ON r.state = c.state WHERE coalesce(c.n, 0) <> coalesce(r.n, 0)"
}
first_queued() {
	q "SELECT id FROM docket.cases WHERE state = 'queued' ORDER BY id LIMIT 1"
}

# snapshot: the cases' routing now, in public.before
snapshot() {
	q "SET client_min_messages = warning; DROP TABLE IF EXISTS public.before;
	CREATE TABLE public.before AS SELECT id, state, route_reason, urgency,
		reviews_needed, policy_version FROM docket.cases" >/dev/null
}
# rerouted: what the last re-route changed since snapshot, as docket
# policy says it: every case it re-routed has the new policy version
rerouted() {
	q "SELECT 're-routed ' || count(*) || ' undecided cases: '
		|| count(*) FILTER (WHERE b.state = 'auto' AND c.state = 'queued')
		|| ' newly queued, '
		|| count(*) FILTER (WHERE b.state = 'queued' AND c.state = 'auto')
		|| ' no longer routed, '
		|| count(*) FILTER (WHERE (b.state, b.route_reason, b.urgency,
			b.reviews_needed) IS DISTINCT FROM (c.state, c.route_reason,
			c.urgency, c.reviews_needed)) || ' changed'
	FROM docket.cases c JOIN public.before b ON b.id = c.id
	WHERE c.policy_version IS DISTINCT FROM b.policy_version"
}

# 1. A claim made while the re-route runs. The session claims case x as
# alice's claim would (held, with her lease), and commits once the
# re-route, which read x as queued, waits for it. The re-route's counts
# are those of the cases it changed, x not among them (they counted the
# cases read).
x=$(first_queued)
snapshot
session claim "BEGIN;
UPDATE docket.cases SET state = 'held' WHERE id = $x;
INSERT INTO docket.leases(case_id, reviewer_id, token, claimed_at, expires_at)
  SELECT $x, r.id, 1, 0, 9000000000000 FROM docket.reviewers r WHERE r.name = 'alice';
$(pg_until_waits "$me")
COMMIT;"
wait_locked claim
run "$DOCKET" policy "$PG" --model credit --threshold 0.95
expect_rc 0
wait $session || fail "the claim's session failed: $(cat claim.out)"
[ "$(q "SELECT state FROM docket.cases WHERE id = $x")" = held ] ||
	fail "the re-route changed a case claimed meanwhile: $(q "SELECT state FROM docket.cases WHERE id = $x")"
[ "$(q "SELECT count(*) FROM docket.leases WHERE case_id = $x")" = 1 ] || fail "the lease is gone"
[ -z "$(recount)" ] || fail "counters after the re-route: $(recount)"
[ "${out%%
*}" = "$(rerouted)" ] || fail "the re-route said: $out
the store shows: $(rerouted)"
q "DELETE FROM docket.leases WHERE case_id = $x" >/dev/null
q "UPDATE docket.cases SET state = 'queued' WHERE id = $x" >/dev/null

# 2. alice decides while the re-route waits for a case the session holds
# (as a claim in progress would); she must not wait for the re-route
# (lock_timeout 3 s: she did, then failed). The session lets go once her
# decision is in the log, or after 10 s.
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
id=${out#*\"id\":\"}
id=${id%%\"*}
z=$(first_queued)
session hold "BEGIN;
SELECT 1 FROM docket.cases WHERE id = $z FOR UPDATE;
DO \$\$ BEGIN
  FOR i IN 1..200 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM docket.decisions WHERE reviewer = 'alice');
    PERFORM pg_sleep(0.05);
  END LOOP;
END \$\$;
COMMIT;"
wait_locked hold
"$DOCKET" policy "$PG" --model credit --threshold 0.8 >policy.out 2>policy.err &
policy=$!
i=0
until [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE a.usename = '$me' AND NOT l.granted")" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the re-route never waited for the held case"
	sleep 0.05
done
export PGOPTIONS='-c lock_timeout=3s'
run "$DOCKET" decide "$(uri alice)" "$id" --action accept
unset PGOPTIONS
expect_rc 0
wait $policy || fail "the re-route failed: $(cat policy.err)"
wait $session || fail "the holding session failed: $(cat hold.out)"
[ "$(q "SELECT min(seq) FROM docket.decisions WHERE action = 'policy'
	AND seq > (SELECT seq FROM docket.decisions WHERE reviewer = 'alice')")" != "" ] ||
	fail "the re-route's policy entry is not after alice's decision"
[ -z "$(recount)" ] || fail "counters after the second re-route: $(recount)"

# 3. Re-routes back and forth, many cases changing state each time.
for t in 0.99 0.6 0.9; do
	snapshot
	run "$DOCKET" policy "$PG" --model credit --threshold $t
	expect_rc 0
	[ "${out%%
*}" = "$(rerouted)" ] || fail "--threshold $t said: $out
the store shows: $(rerouted)"
	[ -z "$(recount)" ] || fail "counters after --threshold $t: $(recount)"
done
run "$DOCKET" verify "$PG"
expect_rc 0
