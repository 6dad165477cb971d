# A store made by docket before PostgreSQL revision 10 (tests/pg/store-rev7.sql:
# no queue floor, two cases decided; the test makes one held under a
# lease that has run out, as claim() did then) upgrades on its owner's first open: every model gets its floor
# (at the start: claims walk from the head until one raises it), claims
# come in the order the rows say, the expired lease's case first, and a
# case put back in the queue is claimed before the floor. A reviewer can
# neither read nor move the floor.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///old7?host=$PGHOST&port=$PGPORT&user=$1"; }
q() { pg_as postgres old7 "$1"; }
pg_old_store old7 store-rev7.sql
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 7 ] || fail "the fixture is not revision 7"
[ "$(q "SELECT to_regclass('docket.queue_floor') IS NULL")" = t ] || fail "the fixture has a floor"
# alice held the first case of the queue; her lease ran out 10 minutes ago
q "WITH c AS (SELECT id FROM cases WHERE state = 'queued'
	ORDER BY priority DESC, urgency, id LIMIT 1),
	h AS (UPDATE cases SET state = 'held' FROM c WHERE cases.id = c.id RETURNING cases.id),
	t AS (SELECT CAST(extract(epoch FROM now()) * 1000 AS bigint) AS ms)
	INSERT INTO leases(case_id, reviewer_id, token, claimed_at, expires_at)
	SELECT h.id, r.id, nextval('lease_tokens'), t.ms - 1200000, t.ms - 600000
	FROM h, t, reviewers r WHERE r.name = 'alice'" >/dev/null
[ "$(q "SELECT count(*) FROM leases")" = 1 ] || fail "no lease of alice's"

# The order a claim must follow, from the rows: the expired case first
# (back in the queue), then the queued ones in claim order.
q "SELECT ext_id FROM cases WHERE state IN ('queued', 'held')
  ORDER BY priority DESC, urgency, id" >want.txt
[ "$(wc -l <want.txt)" = 10 ] || fail "the fixture's queue: $(cat want.txt)"

# A reviewer's open does not upgrade it; the owner's does.
run "$DOCKET" queue "$(uri alice)"
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 7 ] || fail "alice upgraded it"
run "$DOCKET" queue "$(uri postgres)"
expect_rc 0
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$(pg_revision)" ] || fail "not upgraded"
[ "$(q "SELECT count(*) FROM queue_floor f JOIN models m ON m.id = f.model_id
  WHERE f.priority = 9223372036854775807")" = 1 ] || fail "the model's floor is not at the start: $(q "TABLE queue_floor")"

# alice claims three (the first takes back the expired lease), sam's
# release puts nothing back (he holds none), alice's release puts back
# the three: the next claims are those three again, then the rest, in
# the rows' order.
: >got.txt
nx() {
	n=$("$DOCKET" next "$(uri alice)" --model credit) || fail "next: $n"
	printf '%s\n' "$n" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' >>got.txt
}
nx; nx; nx
[ "$(q "SELECT f.priority < 9223372036854775807 FROM queue_floor f")" = t ] ||
	fail "claims did not raise the floor"
run "$DOCKET" release "$(uri alice)"
expect_rc 0
expect_out "released 3 cases held by alice"
: >got.txt
i=0
while [ $i -lt 10 ]; do nx; i=$((i + 1)); done
cmp -s want.txt got.txt || fail "claims after the upgrade: $(diff want.txt got.txt)"
run "$DOCKET" verify "$(uri sam)"
expect_rc 0

# The floor is the owner's: a reviewer or supervisor reads nor writes it
# but through claim().
for who in alice sam; do
	pg_refused "$who" old7 "permission denied" "SELECT * FROM queue_floor"
	pg_refused "$who" old7 "permission denied" "UPDATE queue_floor SET priority = 0"
	pg_refused "$who" old7 "permission denied" "DELETE FROM queue_requeued"
done
