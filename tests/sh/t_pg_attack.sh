# A reviewer (and a supervisor) at a psql prompt, after the holes found by
# attacking a store from psql (PostgreSQL revision 12); each attack below
# went through on b34d6ad:
# - a trigger function of docket's hung on a temporary table of one's own:
#   the SECURITY DEFINER ones (counters_insert, the floor's) wrote, as the
#   owner, whatever rows were inserted there (a million cases "done");
# - sequences drawn from that no role of the store draws from itself;
# - a lease and a log entry dated far ahead: every later entry is dated
#   no earlier, so every reviewer's lease then ran out before the log's
#   latest entry (no decision went in), and verify refused the log;
# - a member of the store's group role that SET ROLE to it, added as a
#   reviewer (auto-add, or a supervisor's insert), entered decisions under
#   the group's name: no one's;
# - an override entered as an accept (model label and label of one's own);
# - reviews rows of another reviewer, or not of the log.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW # leases and entries are judged by the server's clock
export PGUSER=postgres
pg_team 60
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
a=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
run "$DOCKET" next "$(uri bob)" --model credit
expect_rc 0
sql() { u=$1; shift; pg_as "$u" postgres "$*"; }
refused() { u=$1; want=$2; shift 2; pg_refused "$u" postgres "$want" "$*"; }
allowed() { u=$1; shift; sql "$u" "BEGIN; $*; ROLLBACK" >/dev/null || fail "$u was refused: $*"; }
held() { sql postgres "SELECT l.case_id FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = '$1'"; }
A=$(held alice)
B=$(held bob)
Q=$(sql postgres "SELECT min(id) FROM cases WHERE state = 'queued'")
rr=$(sql postgres "SELECT store_role('reviewer')")
[ -n "$A" ] && [ -n "$B" ] && [ -n "$Q" ] || fail "the claims: $A $B $Q"
log_before=$(sql postgres "SELECT count(*) FROM decisions")
queue_before=$("$DOCKET" queue "$(uri postgres)")

# ---- trigger functions on a temporary table of one's own --------------
refused alice "permission denied for function docket.counters_insert" \
	"CREATE TEMP TABLE x(model_id bigint, state text, n bigint);
	CREATE TRIGGER x BEFORE INSERT ON x FOR EACH ROW
	  EXECUTE FUNCTION docket.counters_insert();
	INSERT INTO x SELECT id, 'done', 1000000 FROM models"
# ... nor any other trigger function of the schema, for either role
for f in $(sql postgres "SELECT p.oid::regproc FROM pg_proc p WHERE
	p.pronamespace = 'docket'::regnamespace AND p.prorettype = 'trigger'::regtype"); do
	for who in alice sam; do
		refused "$who" "permission denied for function" \
			"CREATE TEMP TABLE x(id bigint, model_id bigint, state text, n bigint);
			CREATE TRIGGER x AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION $f()"
	done
done
[ "$("$DOCKET" queue "$(uri postgres)")" = "$queue_before" ] || fail "the counters changed"

# ---- sequences ------------------------------------------------------------
refused alice "permission denied for sequence cases_id_seq" "SELECT nextval('cases_id_seq')"
refused alice "permission denied for sequence queue_gen" "SELECT nextval('queue_gen')"
refused sam "permission denied for sequence queue_gen" "SELECT nextval('queue_gen')"

# ---- dates past the server's clock ---------------------------------------
far=32503680000000 # the year 3000
refused alice "row-level security policy for table \"leases\"" \
	"UPDATE leases SET expires_at = $far WHERE case_id = $A"
refused alice "row-level security policy for table \"leases\"" \
	"UPDATE cases SET state = 'held' WHERE id = $Q;
	INSERT INTO leases VALUES ($Q, my_reviewer_id(), 0, now_ms(), $far)"
refused sam "row-level security policy for table \"leases\"" \
	"UPDATE leases SET expires_at = $far WHERE case_id = $B"
allowed alice "UPDATE cases SET state = 'held' WHERE id = $Q;
	INSERT INTO leases VALUES ($Q, my_reviewer_id(), 0, now_ms(), now_ms() + 600000)"
# a lease as long as the policies let it be, and an entry dated inside it
# but well past the server's clock
sql alice "UPDATE leases SET expires_at = now_ms() + 840000 WHERE case_id = $A"
refused alice "alice may not date an entry later than the server's clock" \
	"SELECT * FROM decide('alice', $A, 'accept', NULL, NULL, NULL, NULL, '00',
	'00', now_ms() + 720000, 0, NULL, NULL, NULL, NULL, NULL, true)"
entry() { # WHO CASE ACTION MODEL_LABEL LABEL AT
	pg_entry "SELECT max(seq) + 1 AS seq, $6 AS at, '$1' AS reviewer,
	$2 AS case_id, '$3' AS action, $4 AS model_label, $5 AS label,
	(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) AS prev_hash
	FROM decisions"
}
pred="(SELECT prediction FROM cases WHERE id = $A)"
other="(SELECT CASE prediction WHEN 'good' THEN 'bad' ELSE 'good' END FROM cases WHERE id = $A)"
now="greatest((SELECT max(at) FROM decisions), now_ms())"
refused alice "row-level security policy for table \"decisions\"" \
	"$(entry alice "$A" accept "$pred" "$pred" "now_ms() + 720000")"
refused sam "row-level security policy for table \"decisions\"" \
	"$(entry sam NULL policy NULL NULL "$far")"
allowed alice "$(entry alice "$A" accept "$pred" "$pred" "$now")"

# ---- decisions that say what they are ------------------------------------
refused alice "row-level security policy for table \"decisions\"" \
	"$(entry alice "$A" accept "$other" "$other" "$now")"
refused alice "row-level security policy for table \"decisions\"" \
	"$(entry alice "$A" override "$other" "$pred" "$now")"
refused alice "row-level security policy for table \"decisions\"" \
	"$(entry alice "$A" override "$pred" "'no-such-label'" "$now")"
allowed alice "$(entry alice "$A" override "$pred" "$other" "$now")"

# ---- reviews follow the log, the caller's own entry ------------------------
refused alice "row-level security policy for table \"reviews\"" \
	"$(entry alice "$A" accept "$pred" "$pred" "$now");
	INSERT INTO reviews SELECT $A, r.id, d.seq, d.action, d.label, d.at
	  FROM decisions d, reviewers r WHERE r.name = 'bob' ORDER BY d.seq DESC LIMIT 1"
refused alice "row-level security policy for table \"reviews\"" \
	"$(entry alice "$A" accept "$pred" "$pred" "$now");
	INSERT INTO reviews SELECT $A, my_reviewer_id(), d.seq, 'skip', NULL, d.at
	  FROM decisions d ORDER BY d.seq DESC LIMIT 1"
allowed alice "$(entry alice "$A" accept "$pred" "$pred" "$now");
	INSERT INTO reviews SELECT $A, my_reviewer_id(), d.seq, d.action, d.label, d.at
	  FROM decisions d ORDER BY d.seq DESC LIMIT 1"

# ---- nothing of that reached the log; docket still works --------------------
[ "$(sql postgres "SELECT count(*) FROM decisions")" = "$log_before" ] || fail "the log changed"
run "$DOCKET" decide "$(uri alice)" "$a" --action accept --model credit
expect_rc 0
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
log_before=$((log_before + 1))

# ---- no one's name: the store's group role --------------------------------
run "$DOCKET" reviewer auto-add "$(uri sam)" on
expect_rc 0
log_before=$((log_before + 1))
refused alice "row-level security policy for table \"reviewers\"" \
	"SET ROLE $rr; INSERT INTO reviewers(name, role, added_at, added_by)
	VALUES (current_user, 'reviewer', 0, 'auto')"
# (a supervisor may still add a row of that name; it is no one's all the same)
sql sam "INSERT INTO reviewers(name, role, added_at, added_by) VALUES ('$rr', 'reviewer', 0, 'sam')"
G=$(sql alice "SET ROLE $rr; SELECT claim_case FROM claim(current_user::text, 'credit',
	now_ms(), 0, now_ms() + 600000)" | tail -n 1)
[ -n "$G" ] || fail "the group role claimed nothing"
refused alice "$rr is a role no one logs in as" \
	"SET ROLE $rr; SELECT * FROM decide(current_user::text, $G, 'accept', NULL, NULL,
	NULL, NULL, '00', '00', now_ms(), 0, NULL, NULL, NULL, NULL, NULL, true)"
refused alice "row-level security policy for table \"decisions\"" \
	"SET ROLE $rr; $(entry "$rr" "$G" reveal "(SELECT prediction FROM cases WHERE id = $G)" NULL "$now")"

[ "$(sql postgres "SELECT count(*) FROM decisions")" = "$log_before" ] || fail "the log changed"
# (the supervisor's row is one no entry added: verify says so)
run "$DOCKET" verify "$(uri sam)"
expect_rc 1
expect_err "reviewer '$rr' (reviewer) is in the reviewers table but no entry added them"

# ---- a supervisor sets a final label only to a decision's --------------------
D=$(sql postgres "SELECT id FROM cases WHERE ext_id = '$a'")
refused sam "sam may not set the final label of case $D but to a decision's in the log" \
	"UPDATE cases SET final_label = CASE final_label WHEN 'good' THEN 'bad' ELSE 'good' END
	WHERE id = $D"
refused sam "sam may not set the final label of case $D but to a decision's in the log" \
	"UPDATE cases SET final_seq = 1 WHERE id = $D"
# (as an undo leaves it: no final label)
allowed sam "UPDATE cases SET state = 'queued', final_label = NULL, final_seq = NULL,
	decided_at = NULL WHERE id = $D"

# ---- seconds spent: a number of them -----------------------------------------
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
A=$(held alice)
pred="(SELECT prediction FROM cases WHERE id = $A)"
refused alice "NaN seconds on a case" \
	"SELECT * FROM decide('alice', $A, 'accept', NULL, NULL, NULL, 'NaN', '00', '00',
	now_ms(), 0, NULL, NULL, NULL, NULL, NULL, true)"
for v in "'NaN'" "'Infinity'" -1; do
	refused alice "row-level security policy for table \"decisions\"" \
		"$(pg_entry "SELECT max(seq) + 1 AS seq, $now AS at, 'alice' AS reviewer,
		$A AS case_id, 'accept' AS action, $pred AS model_label, $pred AS label,
		CAST($v AS double precision) AS seconds,
		(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) AS prev_hash
		FROM decisions")"
done

# ---- an entry's hash is its fields' ------------------------------------------
# An entry whose hash is not its fields' would stop verify there for good
# (revision 13): refused; the same entry hashed as docket hashes it goes in
# (rolled back), and so does the same through decide() only with the bytes
# of its own fields (t_pg_decide).
refused alice "row-level security policy for table \"decisions\"" \
	"INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label, label,
	prev_hash, hash) SELECT max(seq) + 1, $now, 'alice', $A, 'accept', $pred, $pred,
	(SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1), repeat('0', 64)
	FROM decisions"
allowed alice "$(entry alice "$A" accept "$pred" "$pred" "$now")"
# docket's own entries pass it: the database hashes seconds as audit.c's
# "%.17g" does (hash_seconds), awkward ones too (C's printf, glibc's, gave
# these; the last two are ties, rounded to even)
[ "$(sql postgres "SELECT hash_seconds(0.1) || ' ' || hash_seconds(5e-324) || ' '
	|| hash_seconds(1e308) || ' ' || hash_seconds(CAST('-0' AS double precision))
	|| ' ' || hash_seconds(1000000000000000.25) || ' '
	|| hash_seconds(1000000000000000.75) || ' ' || hash_seconds(2.5e-5)")" = \
	"0.10000000000000001 4.9406564584124654e-324 1e+308 -0 1000000000000000.2 1000000000000000.8 2.5000000000000001e-05" ] ||
	fail "hash_seconds is not C's %.17g: $(sql postgres "SELECT hash_seconds(1e308)")"
for secs in 0 0.1 5e-324 1e-05 2.5e-05 123456.789 3.0000000000000004 31536000; do
	run "$DOCKET" next "$(uri alice)" --model credit
	expect_rc 0
	id=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	run "$DOCKET" decide "$(uri alice)" "$id" --action accept --model credit --seconds "$secs"
	expect_rc 0
done
[ "$(sql postgres "SELECT count(*) FROM decisions WHERE reviewer = 'alice'
	AND action = 'accept' AND seconds IS NOT NULL")" = 8 ] || fail "alice's timed decisions are not all in"
