# kill -9 of the PostgreSQL server in the middle of a storm of 12
# reviewers over TCP (issue 13, "Concurrency and durability"): every
# client stops with exit 1 and a message naming the lost connection (no
# crash, no signal); after a restart every decision a client was told was
# recorded is in the log (synchronous commit), and nothing is there that a
# client was not told of but the decision it was sending when the server
# died; the dead clients' leases hold until they expire, then their cases
# are claimed again (DOCKET_NOW past the lease time, as on SQLite); the
# storm finishes; counters equal a recount; verify passes.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/pg_storm.sh"

storm_store 12 500
# A claim left held on purpose: a lease of a dead client for certain.
run "$DOCKET" next "$(uri r01)" --model m
expect_rc 0
kept=${out#$J_ID}
kept=${kept%%$J_DQ*}
# A store error in the middle of a decision's checks (as a lost connection
# there was) is that error with exit 1, not a verdict on the input: with
# the labels unreadable to reviewers, an override's label is not "not one
# of the model's labels" (exit 2). The case stays held: another dead lease.
# (docket reads the labels on the long way, which a token not the lease's
# sends it: decide()'s one call reads them as the schema's owner, and
# refuses the token first.)
run "$DOCKET" next "$(uri r02)" --model m
expect_rc 0
id=${out#$J_ID}
id=${id%%$J_DQ*}
case $out in *'"prediction":"good"'*) other=bad ;; *) other=good ;; esac
rr=$(q "SELECT quote_ident(docket.store_role('reviewer'))")
q "REVOKE EXECUTE ON FUNCTION json_array_length(text, text) FROM $rr"
run "$DOCKET" decide "$(uri r02)" "$id" --action override --label $other --token 987654321
q "GRANT EXECUTE ON FUNCTION json_array_length(text, text) TO $rr"
expect_rc 1
expect_err "reading the model's labels: permission denied for function json_array_length"
# Likewise a connection made but failing before it found the store (the
# server killed then, in an earlier run) is not "no docket store": here
# the question made to fail for reviewers.
psql -qX -d postgres -c "REVOKE EXECUTE ON FUNCTION to_regnamespace(text) FROM PUBLIC"
run "$DOCKET" queue "$(uri r03)"
psql -qX -d postgres -c "GRANT EXECUTE ON FUNCTION to_regnamespace(text) TO PUBLIC"
expect_rc 1
expect_err "opening the store: permission denied for function to_regnamespace"

# The storm, and the server killed once a third of the cases are decided.
storm c1 &
spid=$!
while [ "$(q "SELECT count(DISTINCT case_id) FROM decisions WHERE case_id IS NOT NULL")" -lt $((queued / 3)) ]; do
	kill -0 $spid 2>/dev/null || fail "the storm ended before the kill"
	sleep 0.1
done
# ... while clients are in the middle of a decision: the chain lock is
# held from psql, so deciders wait for it inside their transaction (a kill
# at any instant could find every client between processes, each step a
# new one: under AddressSanitizer, about one run in three)
psql -qX -d postgres >/dev/null 2>&1 <<SQL &
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 3);
SELECT pg_sleep(120);
SQL
holder=$!
n=0
until [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
	AND classid = 1684234091 AND objid = 3 AND NOT granted")" -gt 0 ]; do
	n=$((n + 1))
	[ $n -lt 400 ] || fail "no client came to wait for the chain lock"
	kill -0 $spid 2>/dev/null || fail "the storm ended before the kill"
	sleep 0.025
done
"$DOCKET_TESTS/pg/cluster.sh" kill "$pgdir"
wait $spid
wait $holder || true

# Every client stopped on the lost server, with exit 1 and a clear message.
lost=0
for r in $names; do
	[ -e "c1/$r.rc" ] || fail "$r ran to the end with the server dead"
	set -- $(cat "c1/$r.rc")
	[ "$2" = 1 ] || fail "$r: docket $1 exited $2 (a crash?): $(cat "c1/$r.err")"
	case $(cat "c1/$r.err") in
	*"lost the connection to the database"*) lost=$((lost + 1)) ;;
	*"cannot connect"*) ;;
	*) fail "$r: docket $1 said: $(cat "c1/$r.err")" ;;
	esac
	[ "$(wc -l <"c1/$r.err")" = 1 ] || fail "$r: more than one line: $(cat "c1/$r.err")"
done
[ $lost -gt 0 ] || fail "no client was connected when the server died; they said:
$(cat c1/*.err | sort | uniq -c)"
[ -z "$(ls core* 2>/dev/null)" ] || fail "core files: $(ls core*)"

"$DOCKET_TESTS/pg/cluster.sh" restart "$pgdir" 2>/dev/null

# Every acknowledged decision is there; anything else is a decision that
# was being sent when the server died (its client was not told either way).
cat c1/*.acks | sort >acks
log_decisions >logged
comm -23 acks logged >missing
[ ! -s missing ] || fail "acknowledged decisions lost: $(cat missing)"
for r in $names; do
	set -- $(cat "c1/$r.rc")
	[ "$1" = decide ] && echo "$3 $r"
done | sort >pending
comm -13 acks logged | awk '{ print $2, $3 }' | sort >extra
[ -z "$(comm -23 extra pending)" ] || fail "in the log, never sent: $(comm -23 extra pending)"

# The dead clients' leases are live until they expire: the others finish
# the queue around them.
q "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id ORDER BY 1" >held
grep -qx "$kept" held || fail "the lease kept before the crash is gone"
storm c2
for r in $names; do
	[ ! -e "c2/$r.rc" ] || fail "$r after the restart: $(cat "c2/$r.rc"): $(cat "c2/$r.err")"
done
cat c2/*.claims | awk '{ print $1 }' | sort >claimed2
[ -z "$(comm -12 held claimed2)" ] || fail "cases claimed under live leases: $(comm -12 held claimed2)"
[ "$(q "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id ORDER BY 1")" = "$(cat held)" ] ||
	fail "the dead clients' leases changed"

# Past the lease time they expire. The database lets a reviewer take
# away another's lease only once it ran out by the server's clock (here
# still live): a reviewer whose clock is past it claims as usual and
# leaves it alone. A supervisor's claim past the lease time reclaims
# them, as any claim does on SQLite, and the reviewers take them again
# (by the server's clock: the database takes no lease or entry dated far
# past it, t_pg_attack).
psql -qX -d postgres -c "CREATE ROLE late LOGIN" >/dev/null
run "$DOCKET" reviewer add "$PG" late
expect_rc 0
DOCKET_NOW=$(date -u -d "@$(($(date +%s) + 660))" +%Y-%m-%dT%H:%M:%SZ)
export DOCKET_NOW
run "$DOCKET" next "$(uri late)" --model m
expect_rc 0
expect_out '{"empty":true'
[ "$(q "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id ORDER BY 1")" = "$(cat held)" ] ||
	fail "leases live by the server's clock were taken by a reviewer"
run "$DOCKET" next "$PG" --model m
expect_rc 0
id=${out#$J_ID}
id=${id%%$J_DQ*}
grep -qx "$id" held || fail "the supervisor claimed $id, not an expired lease's case (next printed: $out; stderr: $err; held: $(tr "\n" " " <held))"
unset DOCKET_NOW
run "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 0
[ "$(q "SELECT count(*) FROM leases")" = 0 ] || fail "expired leases left after a claim"
storm c3
for r in $names; do
	[ ! -e "c3/$r.rc" ] || fail "$r after the leases expired: $(cat "c3/$r.rc"): $(cat "c3/$r.err")"
done
{ cat c3/*.claims | awk '{ print $1 }'; echo "$id"; } | sort -u >claimed3
[ -z "$(comm -23 held claimed3)" ] || fail "expired leases' cases not claimed again: $(comm -23 held claimed3)"

# The storm is finished: every acknowledged decision of the three rounds is
# in the log, nothing held twice, the queue empty, the store sound.
cat c1/*.acks c2/*.acks c3/*.acks | sort >acks
log_decisions >logged
[ -z "$(comm -23 acks logged)" ] || fail "acknowledged decisions lost: $(comm -23 acks logged)"
check_no_double_hold c2/*.claims c3/*.claims
[ "$(q "SELECT count(*) FROM cases WHERE state IN ('queued', 'held')")" = 0 ] ||
	fail "cases left: $(q "SELECT state, count(*) FROM cases GROUP BY 1")"
[ "$(q "SELECT count(*) FROM leases")" = 0 ] || fail "leases left"
check_store
