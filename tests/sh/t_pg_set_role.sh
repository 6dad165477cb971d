# Who a session is on PostgreSQL (issue 13: "the reviewer is the PostgreSQL
# role the connection logged in as (current_user)") when it did SET ROLE:
# the role it set, which PostgreSQL lets only that role's members set.
# Row-level security judges current_user; the SECURITY DEFINER functions
# (decide(), pii_fields()), whose current_user is their owner, must judge
# the same role (caller_role()), not the login (session_user):
# - a pooler's login that sets the reviewer's role decides as that reviewer
#   (through docket, with options=-c role=NAME, and from psql);
# - a session that set a role decides as nobody else: not as another
#   reviewer, not as its login (a superuser that SET ROLE alice is alice,
#   and no longer passes as a superuser), not as the group role's members;
# - a login cannot set a role it is not a member of.
. "$DOCKET_TESTS/sh/lib.sh"

pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
unset DOCKET_NOW # leases are judged by the server's clock too
export PGUSER=postgres
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" \
	-c "CREATE ROLE bob LOGIN" -c "CREATE ROLE pool LOGIN" \
	-c "GRANT alice TO pool" >/dev/null
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
run "$DOCKET" init "$(uri postgres)"
expect_rc 0
run "$DOCKET" reviewer add "$(uri postgres)" alice
expect_rc 0
run "$DOCKET" reviewer add "$(uri postgres)" bob
expect_rc 0
run "$DOCKET" import "$(uri postgres)" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
rr=$(psql -qAtX -d postgres -c "SELECT docket.store_role('reviewer')")

# sql USER SQL...: as USER (SET ROLE and all in SQL), stop at the first error
sql() { u=$1; shift; pg_as "$u" postgres "$*"; }
refused() { u=$1; want=$2; shift 2; pg_refused "$u" postgres "$want" "$*"; } # USER ERROR SQL
# call WHO CASE: decide() entering WHO's accept on CASE (its fast way: it
# checks the lease and works out the state itself)
call() {
	echo "SELECT entry_seq FROM docket.decide('$1', $2, 'accept', NULL, NULL, NULL,"\
	     "NULL, $(pg_mid_head "$1" "$2" accept), $(pg_mid_tail NULL), now_ms(), 0,"\
	     "NULL, NULL, NULL, NULL, NULL, true)"
}

# Through docket: the pooler's login with alice's role set claims and
# decides as alice.
as_alice="$(uri pool)&options=-c%20role%3Dalice"
run "$DOCKET" next "$as_alice" --model credit
expect_rc 0
id=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || fail "no case: $out"
run "$DOCKET" decide "$as_alice" "$id" --action accept
expect_rc 0
[ "$(sql postgres "SELECT d.reviewer || ' ' || d.action FROM decisions d JOIN cases c
	ON c.id = d.case_id WHERE c.ext_id = '$id'")" = "alice accept" ] ||
	fail "the decision is not alice's"
run "$DOCKET" verify "$(uri postgres)"
expect_rc 0

# From psql: alice holds a case; bob holds another.
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
A=$(sql postgres "SELECT l.case_id FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'alice'")
run "$DOCKET" next "$(uri bob)" --model credit
expect_rc 0
B=$(sql postgres "SELECT l.case_id FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'bob'")
before=$(sql postgres "SELECT count(*) FROM decisions")
# pool as alice decides alice's case (rolled back), as alice only
got=$(sql pool "SET ROLE alice; BEGIN; $(call alice "$A"); ROLLBACK" 2>&1) ||
	fail "pool as alice was refused alice's decision: $got"
refused pool "alice may not enter a decision for bob" "SET ROLE alice; $(call bob "$B")"
refused pool "permission denied to set role \"bob\"" "SET ROLE bob"
# ... and its login is no reviewer: without the role set (it inherits
# alice's privileges, not her name) it decides nothing
refused pool "pool holds no live lease on case $A" "$(call pool "$A")"
refused pool "pool may not enter a decision for alice" "$(call alice "$A")"
# row-level security says the same of a plain insert
refused pool "row-level security policy for table \"decisions\"" \
	"SET ROLE alice; $(pg_entry "SELECT max(seq) + 1 AS seq, max(at) AS at,
	'bob' AS reviewer, $B AS case_id, 'accept' AS action, 'good' AS label,
	(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) AS prev_hash
	FROM decisions")"
# a superuser that set alice's role is alice: it may not decide for bob
refused postgres "alice may not enter a decision for bob" "SET ROLE alice; $(call bob "$B")"
# alice that set the store's group role is that role, a reviewer of nothing
refused alice "$rr may not enter a decision for alice" "SET ROLE $rr; $(call alice "$A")"
refused alice "$rr holds no live lease on case $A" "SET ROLE $rr; $(call "$rr" "$A")"
[ "$(sql postgres "SELECT count(*) FROM decisions")" = "$before" ] ||
	fail "a refused call left an entry"

# pii_fields: the reveal entry is alice's; pool as alice reads it, pool as
# itself and bob do not.
sql alice "$(pg_entry "SELECT max(seq) + 1 AS seq, max(at) AS at,
	'alice' AS reviewer, $A AS case_id, 'reveal' AS action, '{}' AS detail,
	(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) AS prev_hash
	FROM decisions")"
[ "$(sql pool "SET ROLE alice; SELECT count(*) FROM pii_fields($A)" | tail -1)" = 2 ] ||
	fail "pool as alice cannot read alice's revealed fields"
refused bob "bob has no reveal entry on case $A" "SELECT * FROM pii_fields($A)"
refused postgres "bob has no reveal entry on case $A" "SET ROLE bob; SELECT * FROM pii_fields($A)"
