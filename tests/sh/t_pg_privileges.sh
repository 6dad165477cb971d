# What PostgreSQL itself enforces on a docket store (issue 13), tried from
# psql as each role, not through docket: a reviewer cannot read a personal
# value, enter a decision for someone else or on a case it does not hold,
# change or delete a log entry, lease, case or policy, export, resolve,
# change a policy or reason codes, or add reviewers; a supervisor can do
# what supervisors do and still cannot change or delete a log entry. The
# allowed paths go through docket as the same roles; identity is the
# session's role (--as/--reviewer naming anyone else is refused).
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"

pgdir="$TMPDIR/pg"
trap '$T kill-server 2>/dev/null || true
"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
# The database administrator makes the login roles; the store's creator
# is the superuser `postgres`, which owns the schema.
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE alice LOGIN;
CREATE ROLE bob LOGIN;
CREATE ROLE sam LOGIN;
CREATE ROLE nogroup LOGIN;
CREATE ROLE plain LOGIN;
GRANT CREATE ON DATABASE postgres TO plain;
SQL

# sql USER SQL...: run as USER in schema docket, stop at the first error.
sql() { u=$1; shift; pg_as "$u" postgres "$*"; }
# refused USER ERROR SQL: PostgreSQL refuses SQL as USER with ERROR.
refused() { u=$1; want=$2; shift 2; pg_refused "$u" postgres "$want" "$*"; }
next_seq="(SELECT max(seq) + 1 FROM decisions)"
last_at="(SELECT max(at) FROM decisions)"
last_seq="(SELECT max(seq) FROM decisions)"
# entry WHO CASE ACTION [LABEL [AT [PREV]]]: an INSERT of a log entry, dated
# as the latest unless AT says otherwise
head_hash="(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1)"
# (with the case's prediction as its model label, and an accept's label,
# as docket writes them)
entry() {
	pred="(SELECT prediction FROM cases WHERE id = $2)"
	lbl=${4:-NULL}
	[ "$3" = accept ] && lbl=${4:-$pred}
	pg_entry "SELECT $next_seq AS seq, ${5:-$last_at} AS at, '$1' AS reviewer,
	$2 AS case_id, '$3' AS action, $pred AS model_label, $lbl AS label,
	'{}' AS detail, ${6:-$head_hash} AS prev_hash"
}
# allowed USER SQL: PostgreSQL takes SQL as USER (then it is rolled back)
allowed() {
	u=$1
	shift
	sql "$u" "BEGIN; $*; ROLLBACK" >/dev/null || fail "$u was refused: $*"
}

# ---- init, reviewers, identity -------------------------------------------
# A role that may not create the group roles is told so, and nothing is made.
run "$DOCKET" init "$(uri plain)"
expect_rc 1
expect_err "the role plain may not create the group roles docket_reviewer_postgres and docket_supervisor_postgres (or take them over from a store this database held before): run docket init as a role with CREATEROLE, or have the database administrator run: CREATE ROLE docket_reviewer_postgres NOLOGIN; CREATE ROLE docket_supervisor_postgres NOLOGIN;"
[ "$(sql postgres "SELECT count(*) FROM pg_namespace WHERE nspname = 'docket'")" = 0 ] ||
	fail "a refused init left a schema"
# ... as init --help says it will, and both --help texts say a STORE may
# be a PostgreSQL URI.
"$DOCKET" init --help | tr '\n' ' ' | grep -q "STORE may be a PostgreSQL URI.*CREATEROLE; it says so when your role may not" ||
	fail "init --help does not say what init does on PostgreSQL"
"$DOCKET" --help | grep -q "STORE is a SQLite file, or a PostgreSQL URI" ||
	fail "docket --help does not say a STORE may be a PostgreSQL URI"
run "$DOCKET" init "$(uri postgres)"
expect_rc 0
expect_out "supervisor postgres"
[ "$(sql postgres "SELECT string_agg(rolname || ':' || rolcanlogin, ' ' ORDER BY rolname)
	FROM pg_roles WHERE rolname LIKE 'docket%'")" = "docket_reviewer_postgres:false docket_supervisor_postgres:false" ] ||
	fail "group roles not made NOLOGIN"
run "$DOCKET" reviewer add "$(uri postgres)" sam --role supervisor
expect_rc 0
run "$DOCKET" reviewer add "$(uri sam)" alice
expect_rc 0
run "$DOCKET" reviewer add "$(uri sam)" bob
expect_rc 0
[ "$(sql postgres "SELECT string_agg(u.rolname || '>' || g.rolname, ' ' ORDER BY u.rolname)
	FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	JOIN pg_roles u ON u.oid = m.member WHERE g.rolname LIKE 'docket%'")" = \
	"alice>docket_reviewer_postgres bob>docket_reviewer_postgres sam>docket_supervisor_postgres" ] ||
	fail "reviewer add did not grant the group roles"
# A name with no login role: recorded nowhere, and the message says what
# the database administrator runs.
run "$DOCKET" reviewer add "$(uri sam)" carol
expect_rc 1
expect_err "there is no PostgreSQL role carol: the database administrator creates it with CREATE ROLE carol LOGIN;"
[ "$(sql postgres "SELECT count(*) FROM reviewers WHERE name = 'carol'")" = 0 ] ||
	fail "carol recorded without a role"
# A reviewer adds nobody (docket says so; the database would refuse too).
run "$DOCKET" reviewer add "$(uri alice)" carol
expect_rc 1
expect_err "adding a reviewer needs a supervisor; 'alice' is a reviewer"
# Acting under another name is refused: the session is who you are.
run "$DOCKET" reviewer add "$(uri alice)" nogroup --as sam
expect_rc 1
expect_err "--as sam: on a PostgreSQL store you act as the role you logged in as (alice); connect as sam instead"
run "$DOCKET" next "$(uri alice)" --reviewer bob
expect_rc 1
expect_err "--reviewer bob: on a PostgreSQL store you act as the role you logged in as (alice)"
# A store made by a role that may not create roles: init says what the
# administrator runs; once it has, init goes through, and reviewer add
# says what the administrator runs to grant them.
sql postgres "CREATE DATABASE other OWNER plain"
other="postgresql:///other?host=$PGHOST&port=$PGPORT&user=plain"
run "$DOCKET" init "$other"
expect_rc 1
expect_err "have the database administrator run: CREATE ROLE docket_reviewer_other NOLOGIN; CREATE ROLE docket_supervisor_other NOLOGIN;"
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE docket_reviewer_other NOLOGIN" \
	-c "CREATE ROLE docket_supervisor_other NOLOGIN"
run "$DOCKET" init "$other"
expect_rc 0
run "$DOCKET" reviewer add "$other" alice
expect_rc 1
expect_err "the store's owner plain may not grant docket_reviewer_other: the database administrator runs GRANT docket_reviewer_other TO alice;"
# A login role without a group role sees nothing of the store.
refused nogroup "permission denied for schema docket" "SELECT count(*) FROM docket.cases"
# The group roles are not for logging in.
set +e
psql -qAtX -d postgres -U docket_reviewer_postgres -c "SELECT 1" >/dev/null 2>&1
r=$?
set -e
[ $r -ne 0 ] || fail "docket_reviewer_postgres could log in"

# ---- import (a supervisor) -----------------------------------------------
unset DOCKET_NOW # another's lease is live by the server's clock
run "$DOCKET" import "$(uri sam)" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
run "$DOCKET" import "$(uri sam)" "$DOCKET_ROOT/sample-data/reviews.jsonl" --model reviews
expect_rc 0
run "$DOCKET" policy "$(uri sam)" --reasons ambiguous,other
expect_rc 0
# personal values are out of the cases; the context keeps the keys masked
[ "$(sql sam "SELECT context LIKE '%\"pii:name\":\"(masked)\"%' FROM cases WHERE ext_id = 'app-00001'")" = t ] ||
	fail "context not masked"
[ "$(sql sam "SELECT count(*) FROM cases WHERE context LIKE '%Test Applicant%'")" = 0 ] ||
	fail "a personal value left in cases"
[ "$(sql sam "SELECT p.context::json->>'pii:name' || ', ' || (p.context::json->>'pii:phone')
	FROM case_pii p JOIN cases c ON c.id = p.case_id WHERE c.ext_id = 'app-00001'")" = \
	'Test Applicant 0001, (200) 555-0100' ] ||
	fail "case_pii: $(sql sam "SELECT context FROM case_pii LIMIT 1")"
# ... and only them: the rest of the context is in cases already
[ "$(sql sam "SELECT p.context FROM case_pii p JOIN cases c ON c.id = p.case_id
	WHERE c.ext_id = 'app-00001'")" = '{"pii:name":"Test Applicant 0001","pii:phone":"(200) 555-0100"}' ] ||
	fail "case_pii holds more than the pii: members: $(sql sam "SELECT context FROM case_pii LIMIT 1")"

# ---- the allowed paths, through docket as each role -----------------------
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
a1=$(printf '%s\n' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$a1" ] || fail "alice got no case: $out"
run "$DOCKET" decide "$(uri alice)" "$a1" --action accept
expect_rc 0
# amend it, take the amend back
p1=$(sql postgres "SELECT CASE prediction WHEN 'good' THEN 'bad' ELSE 'good' END FROM cases WHERE ext_id = '$a1'")
run "$DOCKET" decide "$(uri alice)" "$a1" --action override --label "$p1" --amend
expect_rc 0
expect_out '"action":"override"'
run "$DOCKET" decide "$(uri alice)" "$a1" --action undo
expect_rc 0
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
a2=$(printf '%s\n' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
run "$DOCKET" next "$(uri bob)" --model credit
expect_rc 0
b1=$(printf '%s\n' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
id_of() { sql postgres "SELECT id FROM cases WHERE ext_id = '$1'"; }
A1=$(id_of "$a1")
A2=$(id_of "$a2")
B1=$(id_of "$b1")
Q=$(sql postgres "SELECT min(id) FROM cases WHERE state = 'queued'")
[ "$(sql postgres "SELECT state FROM cases WHERE id IN ($A2, $B1) ORDER BY id")" = "held
held" ] || fail "claims not held"
log_before=$(sql postgres "SELECT count(*) || ' ' || max(hash) FROM decisions")

# ---- a reviewer, from psql ------------------------------------------------
# personal values
refused alice "permission denied for table case_pii" "SELECT context FROM case_pii"
refused alice "permission denied for table case_pii" "SELECT context_full(id, context) FROM cases WHERE id = $A2"
refused alice "alice has no reveal entry on case $A2" "SELECT * FROM pii_fields($A2)"
# a temporary table of the session's own does not stand in for docket's
set +e
got=$(psql -qAtX -v ON_ERROR_STOP=1 -d postgres -U alice \
	-c "CREATE TEMP TABLE decisions AS SELECT * FROM docket.decisions WITH NO DATA" \
	-c "INSERT INTO decisions(seq, at, reviewer, case_id, action, prev_hash, hash)
	    VALUES (1, 0, 'alice', $A2, 'reveal', '', '')" \
	-c "SELECT * FROM docket.pii_fields($A2)" 2>&1)
r=$?
set -e
[ $r -ne 0 ] || fail "a temporary decisions table stood in for docket's: $got"
case "$got" in
*"alice has no reveal entry on case $A2"*) ;;
*) fail "pii_fields with a temporary decisions table: $got" ;;
esac
refused alice "row-level security policy for table \"decisions\"" \
	"CREATE TEMP TABLE leases AS SELECT * FROM docket.leases;
	INSERT INTO leases VALUES ($Q, my_reviewer_id(), 0, 0, 9000000000000);
	$(entry alice "$Q" accept)"
# ... for every function of the schema that names a table at run time:
# each one with a search_path (every SECURITY DEFINER one has one) lists
# pg_temp last
[ "$(sql postgres "SELECT string_agg(p.proname, ' ') FROM pg_proc p
	JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'docket'
	AND (p.prosecdef OR p.proconfig IS NOT NULL) AND NOT coalesce(
	'search_path=docket, pg_catalog, pg_temp' = ANY (p.proconfig), false)")" = "" ] ||
	fail "functions without pg_temp last: $(sql postgres "SELECT string_agg(p.proname || ' ' ||
	coalesce(array_to_string(p.proconfig, ','), '-'), '; ') FROM pg_proc p JOIN pg_namespace n
	ON n.oid = p.pronamespace WHERE n.nspname = 'docket' AND p.proconfig IS NOT NULL")"
# a reveal entry and the value in one transaction: no (it could be rolled
# back, leaving no record)
refused alice "commit the reveal entry first" \
	"BEGIN; $(entry alice "$A2" reveal); SELECT * FROM pii_fields($A2); COMMIT"
# decisions: only its own, only on a case it holds under a live lease,
# never dated before the log's latest entry
allowed alice "$(entry alice "$A2" accept)"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$A2" accept "" "$last_at - 1")"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$A2" accept "" "$last_at" "'x'")"
refused alice "row-level security policy for table \"decisions\"" \
	"$(entry alice "$A2" accept "" "(SELECT expires_at FROM leases WHERE case_id = $A2)")"
refused alice "row-level security policy for table \"decisions\"" "$(entry bob "$B1" accept)"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$B1" accept)"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$Q" accept)"
# no log entry, lease, case or policy changed or deleted directly
refused alice "permission denied for table decisions" "UPDATE decisions SET label = 'bad' WHERE case_id = $A1"
refused alice "permission denied for table decisions" "DELETE FROM decisions WHERE case_id = $A1"
refused alice "permission denied for table decisions" "TRUNCATE decisions"
allowed alice "UPDATE leases SET expires_at = expires_at + 1 WHERE case_id = $A2"
allowed alice "DELETE FROM leases WHERE case_id = $A2"
refused alice "row-level security policy for table \"leases\"" "UPDATE leases SET expires_at = expires_at + 1 WHERE case_id = $B1"
refused alice "may not take away the live lease of another reviewer" "DELETE FROM leases WHERE case_id = $B1"
refused alice "may not take away the live lease of another reviewer" "DELETE FROM leases"
refused alice "alice may not change case $A1 directly" "UPDATE cases SET final_label = 'not-a-label' WHERE id = $A1"
refused alice "alice may not change case $Q directly" "UPDATE cases SET state = 'done', final_label = 'bad' WHERE id = $Q"
# with a decision of its own in the same transaction, the case's final
# label is that decision's, not any other
# (an accept's label is the case's prediction, P2)
P2=$(sql postgres "SELECT prediction FROM cases WHERE id = $A2")
N2=$(sql postgres "SELECT CASE prediction WHEN 'good' THEN 'bad' ELSE 'good' END FROM cases WHERE id = $A2")
allowed alice "$(entry alice "$A2" accept);
	UPDATE cases SET state = 'done', final_label = '$P2', final_seq = $last_seq,
	decided_at = $last_at WHERE id = $A2"
refused alice "alice may not change case $A2 directly" "$(entry alice "$A2" accept);
	UPDATE cases SET state = 'done', final_label = '$N2', final_seq = $last_seq,
	decided_at = $last_at WHERE id = $A2"
# a claim is the case held and its lease taken, together
refused alice "case $Q is held without a lease" "UPDATE cases SET state = 'held' WHERE id = $Q"
allowed alice "UPDATE cases SET state = 'held' WHERE id = $Q;
	INSERT INTO leases VALUES ($Q, my_reviewer_id(), 0, 0, $last_at + 1000);
	SET CONSTRAINTS ALL IMMEDIATE"
refused alice "alice may not change case $B1 directly" "UPDATE cases SET state = 'queued' WHERE id = $B1"
refused alice "permission denied for table cases" "UPDATE cases SET context = '{}' WHERE id = $A2"
refused alice "permission denied for table cases" "DELETE FROM cases WHERE id = $Q"
refused alice "permission denied for table cases" "INSERT INTO cases SELECT * FROM cases WHERE id = $Q"
refused alice "permission denied for table policies" "UPDATE policies SET policy = '{}'"
refused alice "permission denied for table policies" "DELETE FROM policies"
# no export, resolve, policy, reason codes, reviewers
refused alice "permission denied for table exports" "INSERT INTO exports VALUES ('x', 0, '{}', 1, 0, 'alice')"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice NULL export)"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$A1" resolve "'bad'")"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice "$A2" resolve "'bad'")"
refused alice "permission denied for table policies" "INSERT INTO policies SELECT model_id, version + 1, policy, 'alice', 0 FROM policies"
refused alice "permission denied for table models" "UPDATE models SET policy_version = policy_version + 1"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice NULL policy)"
# lease tokens come from a sequence: the lease_token row is not a reviewer's
# to set (lowering it would hand out a token a past lease had)
refused alice "permission denied for table meta" "INSERT INTO meta VALUES ('lease_token', '1') ON CONFLICT (key) DO UPDATE SET value = meta.value || '0'"
refused alice "permission denied for table meta" "UPDATE meta SET value = '0' WHERE key = 'lease_token'"
# ... nor on a store made by a docket that allowed it (PostgreSQL revision 2):
# opening it as the owner upgrades the privileges
sql postgres "GRANT INSERT, UPDATE (value) ON meta TO docket_reviewer_postgres;
CREATE POLICY lease_token ON meta FOR INSERT TO docket_reviewer_postgres WITH CHECK (key = 'lease_token');
CREATE POLICY lease_token_next ON meta FOR UPDATE TO docket_reviewer_postgres USING (true) WITH CHECK (key = 'lease_token');
UPDATE meta SET value = '2' WHERE key = 'pg_revision'" >/dev/null
allowed alice "UPDATE meta SET value = '0' WHERE key = 'lease_token'"
run "$DOCKET" queue "$(uri postgres)"
expect_rc 0
refused alice "permission denied for table meta" "UPDATE meta SET value = '0' WHERE key = 'lease_token'"
refused alice "permission denied for table meta" "UPDATE meta SET value = '[\"x\"]' WHERE key = 'reason_codes'"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice NULL reasons)"
refused alice "row-level security policy for table \"reviewers\"" "INSERT INTO reviewers(name, role, added_at, added_by) VALUES ('carol', 'reviewer', 0, 'alice')"
refused alice "permission denied for table reviewers" "UPDATE reviewers SET role = 'supervisor' WHERE name = 'alice'"
refused alice "row-level security policy for table \"decisions\"" "$(entry alice NULL reviewer-add)"
refused alice "permission denied for function grant_role" "SELECT grant_role('alice', 'supervisor')"
refused alice "must have admin option on role \"docket_supervisor_postgres\"" "GRANT docket_supervisor_postgres TO alice"
# ... and through docket the same
run "$DOCKET" export "$(uri alice)" --out "$PWD/x.csv"
expect_rc 1
[ ! -e x.csv ] || fail "a refused export left a file"
run "$DOCKET" policy "$(uri alice)" --reasons x
expect_rc 1
# nothing of that reached the store
[ "$(sql postgres "SELECT count(*) || ' ' || max(hash) FROM decisions")" = "$log_before" ] ||
	fail "the log changed"
[ "$(sql postgres "SELECT value FROM meta WHERE key = 'reason_codes'")" = '["ambiguous","other"]' ] ||
	fail "reason codes changed"
[ "$(sql postgres "SELECT count(*) FROM leases WHERE case_id = $B1")" = 1 ] || fail "bob's lease gone"

# ---- a supervisor, from psql ------------------------------------------------
refused sam "permission denied for table decisions" "UPDATE decisions SET label = 'bad' WHERE case_id = $A1"
refused sam "permission denied for table decisions" "DELETE FROM decisions WHERE case_id = $A1"
refused sam "permission denied for table decisions" "TRUNCATE decisions"
refused sam "permission denied for table policies" "UPDATE policies SET policy = '{}'"
refused sam "permission denied for table policies" "DELETE FROM policies"
refused sam "permission denied for table cases" "UPDATE cases SET prediction = 'good' WHERE id = $A1"
refused sam "permission denied for table cases" "DELETE FROM cases WHERE id = $Q"
refused sam "permission denied for table case_pii" "UPDATE case_pii SET context = '{}'"
refused sam "row-level security policy for table \"decisions\"" "$(entry sam NULL policy NULL "$last_at" "'x'")"
allowed sam "$(entry sam NULL policy)"
refused sam "row-level security policy for table \"decisions\"" "$(entry alice "$A1" resolve "'bad'")"
[ "$(sql sam "SELECT count(*) > 0 FROM case_pii")" = t ] || fail "a supervisor cannot read case_pii"
# ... and what supervisors do, through docket: resolve what a reviewer
# escalated, change a policy and a role, export with the personal values
run "$DOCKET" decide "$(uri alice)" "$a2" --action escalate --reason ambiguous
expect_rc 0
run "$DOCKET" decide "$(uri sam)" "$a2" --action resolve --label bad --model credit
expect_rc 0
[ "$(sql postgres "SELECT state || ' ' || final_label FROM cases WHERE id = $A2")" = "done bad" ] ||
	fail "resolve did not land"
run "$DOCKET" policy "$(uri sam)" --model credit --threshold 0.7
expect_rc 0
run "$DOCKET" export "$(uri sam)" --out "$PWD/x.csv"
expect_rc 0
grep -q "Test Applicant ${a2#app-0}" x.csv || fail "export lacks the personal values"
run "$DOCKET" reviewer role "$(uri sam)" bob supervisor
expect_rc 0
[ "$(sql postgres "SELECT string_agg(g.rolname, ' ') FROM pg_auth_members m
	JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
	WHERE u.rolname = 'bob'")" = docket_supervisor_postgres ] || fail "bob's group role not moved"
# verify: the chain by anyone; the import digests cover the personal
# values and the gold labels, so a supervisor's verify checks them and a
# reviewer's counts them (both batches hold gold checks), as it counts the
# routing, which needs the audit salt
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
expect_out "2 batches match their import entries, routing agrees with the policies"
run "$DOCKET" verify "$(uri alice)"
expect_rc 0
expect_out "0 batches match their import entries"
expect_out "cases: 1 batches hold personal values only supervisors may read"
expect_out "cases: 2 batches hold gold checks only supervisors may read"
expect_out "cases: the routing of 5454 cases needs the models' audit salt"
# a personal value edited behind docket's back is caught
sql postgres "UPDATE case_pii SET context = replace(context, 'Test Applicant 0001', 'Someone Else')"
run "$DOCKET" verify "$(uri sam)"
expect_rc 1
expect_err "its cases differ from what entry"
sql postgres "UPDATE case_pii SET context = replace(context, 'Someone Else', 'Test Applicant 0001')"

# The review screen: personal fields masked; a reveal commits its entry,
# then the database hands over the values.
tmux_start 100 30 "'$DOCKET'" review "'$(uri alice)'" --model credit
wait_for "personal: r reveals (logged)" 20
case "$(screen)" in *"Test Applicant"*) fail "a personal value shown before the reveal" ;; esac
rv=$(screen | sed -n 's/.*case \(app-[0-9]*\).*/\1/p' | head -n 1)
[ -n "$rv" ] || fail "no case on the screen: $(screen)"
keys r
wait_for "Test Applicant ${rv#app-0}"
wait_for "personal fields revealed (logged)"
[ "$(sql postgres "SELECT d.reviewer || ' ' || d.action || ' ' || d.detail FROM decisions d
	JOIN cases c ON c.id = d.case_id WHERE c.ext_id = '$rv' AND d.action = 'reveal'")" = \
	'alice reveal {"fields":["pii:name","pii:phone"]}' ] || fail "no reveal entry for $rv"
keys q
wait_exit
run "$DOCKET" release "$(uri alice)"
expect_rc 0
[ "$(sql postgres "SELECT count(*) FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'alice'")" = 0 ] ||
	fail "release left alice's leases"
# A login role the administrator granted the store's reviewer role, with auto-add on,
# is added by its first claim (as itself only).
run "$DOCKET" reviewer auto-add "$(uri sam)" on
expect_rc 0
sql postgres "CREATE ROLE dave LOGIN; GRANT docket_reviewer_postgres TO dave"
run "$DOCKET" next "$(uri dave)"
expect_rc 0
[ "$(sql postgres "SELECT role || ' ' || added_by FROM reviewers WHERE name = 'dave'")" = "reviewer auto" ] ||
	fail "dave not auto-added"
run "$DOCKET" verify "$(uri sam)"
expect_rc 0

# A reveal from psql (a reviewer may enter one on a case it decided): the
# entry committed first, then the values, to its author only.
sql alice "$(entry alice "$A2" reveal)"
[ "$(sql alice "SELECT string_agg(key || '=' || value, ' ') FROM pii_fields($A2)")" = \
	"pii:name=Test Applicant ${a2#app-0} pii:phone=$(sql sam "SELECT context::json->>'pii:phone' FROM case_pii WHERE case_id = $A2")" ] ||
	fail "pii_fields after a reveal: $(sql alice "SELECT * FROM pii_fields($A2)")"
refused bob "bob has no reveal entry on case $A2" "SELECT * FROM pii_fields($A2)"


# Cases written with their personal values in the context (as migrate
# copies an SQLite store's) are split as import splits them, by the owner.
sql postgres "INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,
	confidence, context, state, policy_version, urgency)
	SELECT model_id, batch_id, 'copied-1', line, prediction, confidence,
	context_full(c.id, c.context), 'auto', policy_version, urgency FROM cases c
	WHERE c.ext_id = 'app-00001'"
refused sam "permission denied for function split_pii" "SELECT split_pii()"
[ "$(sql postgres "SELECT split_pii()")" = 1 ] || fail "split_pii moved other than one case"
[ "$(sql postgres "SELECT split_pii()")" = 0 ] || fail "split_pii moved a case twice"
[ "$(sql postgres "SELECT c.context::json->>'pii:name' || ', ' || (p.context::json->>'pii:name')
	|| ', ' || (c.context::json->>'Home') FROM cases c JOIN case_pii p ON p.case_id = c.id
	WHERE c.ext_id = 'copied-1'")" = "(masked), Test Applicant 0001, rent" ] ||
	fail "split_pii: $(sql postgres "SELECT context FROM cases WHERE ext_id = 'copied-1'")"
