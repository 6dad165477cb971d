# `docket policy` prints how many undecided cases its re-route changed, and
# the store agrees, when a case's urgency is NaN: a case whose confidence
# was set to NaN in SQL on PostgreSQL (no route of docket's gives a NaN
# otherwise; import refuses a non-finite confidence) counted as changed
# on every re-route, NaN != NaN, while the store, where NaN equals NaN,
# showed it unchanged. SQLite holds no NaN at all: it stores NULL, which
# the columns refuse (checked here, as the reason the count cannot meet
# one there). Both engines: the shell suite runs this on each.
. "$DOCKET_TESTS/sh/lib.sh"

head -n 201 "$DOCKET_ROOT/sample-data/credit.csv" >c.csv
run "$DOCKET" import s.db c.csv --model m
expect_rc 0
ids=$( (sql s.db "SELECT id FROM cases WHERE state = 'queued' ORDER BY id LIMIT 3"
	sql s.db "SELECT id FROM cases WHERE state = 'auto' ORDER BY id LIMIT 2") | paste -sd, -)
case $ids in *,*,*,*,*) ;; *) fail "not 3 queued and 2 auto cases: $ids" ;; esac
if [ "$test_engine" = postgres ]; then
	sql_forge s.db "UPDATE cases SET confidence = CAST('NaN' AS double precision)
		WHERE id IN ($ids)" >/dev/null
	[ "$(sql s.db "SELECT count(*) FROM cases WHERE confidence = 'NaN'")" = 5 ] ||
		fail "the NaN confidences did not go in"
else
	for col in confidence urgency; do
		run sql_forge s.db "UPDATE cases SET $col = 9e999 - 9e999 WHERE id IN ($ids)"
		[ "$rc" -ne 0 ] || fail "SQLite took a NaN $col"
		expect_err "NOT NULL constraint failed: cases.$col"
	done
fi

# rerouted: what the last re-route changed since the snapshot (table
# reroute_before), as docket policy says it
rerouted() {
	sql s.db "SELECT 're-routed ' || count(*) || ' undecided cases: '
		|| count(*) FILTER (WHERE b.state = 'auto' AND c.state = 'queued')
		|| ' newly queued, '
		|| count(*) FILTER (WHERE b.state = 'queued' AND c.state = 'auto')
		|| ' no longer routed, '
		|| count(*) FILTER (WHERE b.state IS DISTINCT FROM c.state
			OR b.route_reason IS DISTINCT FROM c.route_reason
			OR b.urgency IS DISTINCT FROM c.urgency
			OR b.reviews_needed IS DISTINCT FROM c.reviews_needed) || ' changed'
	FROM cases c JOIN reroute_before b ON b.id = c.id
	WHERE c.policy_version IS DISTINCT FROM b.policy_version"
}
# The first re-route changes cases (the threshold moves); the next two,
# with the same policy, change none, and say so.
sql s.db "CREATE TABLE reroute_before AS SELECT id, state, route_reason, urgency,
	reviews_needed, policy_version FROM cases WHERE false" >/dev/null
for round in 1 2 3; do
	sql s.db "DELETE FROM reroute_before; INSERT INTO reroute_before SELECT id,
		state, route_reason, urgency, reviews_needed, policy_version FROM cases" >/dev/null
	run "$DOCKET" policy s.db --model m --threshold 0.9
	expect_rc 0
	said=${out%%
*}
	[ "$said" = "$(rerouted)" ] || fail "re-route $round said: $said
the store shows: $(rerouted)"
	case $round in
	1) case $said in *" 0 changed") fail "the first re-route changed nothing" ;; esac ;;
	*) case $said in *" 0 changed") ;; *) fail "re-route $round: $said" ;; esac ;;
	esac
done
if [ "$test_engine" = postgres ]; then
	[ "$(sql s.db "SELECT count(*) FROM cases WHERE urgency = 'NaN'")" -ge 1 ] ||
		fail "no case has a NaN urgency: the test tests nothing"
fi
sql s.db "DROP TABLE reroute_before" >/dev/null
