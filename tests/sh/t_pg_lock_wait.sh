# A reviewer at a psql prompt holding a lock docket needs (docket's
# advisory locks, which anyone may take, or rows it may lock with SELECT
# ... FOR UPDATE) stopped every decision and import with nothing said:
# docket waited for ever. Now a statement waits lock_timeout at most (60 s
# unless the session has one: here PGOPTIONS sets 1 s), and the message
# names who holds the lock and how to end it. On b34d6ad the message was
# PostgreSQL's "canceling statement due to lock timeout", with no name.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
pg_team 40
claim() { # WHO: claims one case, prints its id
	"$DOCKET" next "$(uri "$1")" --model credit | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'
}
a=$(claim alice)
b=$(claim bob)
[ -n "$a" ] && [ -n "$b" ] || fail "no claims"
q() { pg_as postgres postgres "$1"; }

# hold WHO SQL...: a psql session of WHO runs SQL and then sleeps, holding
# what it took, until ended (release WHO); hold returns once WHO's session
# is asleep
hold() {
	who=$1
	shift
	psql -qAtX -d postgres -U "$who" -c "SET search_path = docket, pg_catalog" \
		"$@" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
	i=0
	until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE usename = '$who'
		AND query LIKE '%pg_sleep(60)%' AND wait_event = 'PgSleep'")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "$who's session did not start"
		sleep 0.05
	done
	held_pid=$(q "SELECT pid FROM pg_stat_activity WHERE usename = '$who'
		AND query LIKE '%pg_sleep(60)%'")
}
release() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '$1'" >/dev/null
	wait
}
# waits CMD...: CMD fails, within a few seconds, naming the holder
waits() {
	t0=$(date +%s)
	run env PGOPTIONS="-c lock_timeout=1s" "$@"
	t1=$(date +%s)
	expect_rc 1
	expect_err "waited 1s for a lock that $who (pid $held_pid) holds: a transaction left open? (the database administrator may end it: SELECT pg_terminate_backend($held_pid))"
	[ $((t1 - t0)) -lt 15 ] || fail "$* waited $((t1 - t0)) s"
}

# The chain lock: no decision goes in.
hold bob -c "SELECT pg_advisory_lock(1684234091, 3)"
waits "$DOCKET" decide "$(uri alice)" "$a" --action accept --model credit
# The writer lock: no import.
release bob
hold bob -c "SELECT pg_advisory_lock(1684234091, 1)"
head -n 1 c.csv >d.csv
sed -n '42,50p' "$DOCKET_ROOT/sample-data/credit.csv" >>d.csv
waits "$DOCKET" import "$(uri sam)" d.csv --model credit
# The queue's floor lock (pg_floor.c): nothing goes back to the queue.
release bob
hold bob -c "SELECT pg_advisory_lock(1685021548, 1)"
waits "$DOCKET" release "$(uri alice)"
release bob
a=$(claim alice)
[ -n "$a" ] || fail "alice claimed nothing"
# A row: alice locks the case bob holds, in a transaction she leaves open.
B=$(q "SELECT id FROM cases WHERE ext_id = '$b'")
hold alice -c "BEGIN" -c "SELECT id FROM cases WHERE id = $B FOR UPDATE"
waits "$DOCKET" decide "$(uri bob)" "$b" --action accept --model credit
release alice
# A log entry of alice's own (a reveal of a case she holds), in a
# transaction she leaves open: it holds the chain lock, as docket's appends
# do, so bob's decision names her (it waited on the log's primary key,
# holding the chain lock itself, and named no one).
a2=$(claim alice)
b2=$(claim bob)
[ -n "$a2" ] && [ -n "$b2" ] || fail "no claims: '$a2' '$b2'"
hold alice -c "BEGIN" -c "$(pg_entry "SELECT max(seq) + 1 AS seq,
	greatest(max(at), now_ms()) AS at, 'alice' AS reviewer, c.id AS case_id,
	'reveal' AS action, c.prediction AS model_label, '{}' AS detail,
	(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) AS prev_hash
	FROM decisions, cases c WHERE c.ext_id = '$a2' GROUP BY c.id")"
waits "$DOCKET" decide "$(uri bob)" "$b2" --action accept --model credit
release alice
run "$DOCKET" decide "$(uri bob)" "$b2" --action accept --model credit
expect_rc 0
# Once the holder is gone, all of it goes through.
run "$DOCKET" decide "$(uri bob)" "$b" --action accept --model credit
expect_rc 0
run "$DOCKET" decide "$(uri alice)" "$a" --action accept --model credit
expect_rc 0
run "$DOCKET" import "$(uri sam)" d.csv --model credit
expect_rc 0
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
