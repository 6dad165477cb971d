# verify replays the whole log and compares the store with it: each attack
# of issue 12 is done here as the store's owner (the sqlite3 CLI on the
# file; psql as the schema's owner on PostgreSQL; triggers out of the way
# where needed, chains re-hashed by audit_forge.py as an attacker with
# audit.h would) and must make verify fail with a message naming what and
# where; the honest workflow (imports, decisions, escalation and resolve,
# policy, reason codes, roles, auto-add, exports) must verify.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
FORGE="python3 $DOCKET_TESTS/sh/audit_forge.py"
me=$(id -un)
export DOCKET_NOW=2026-01-02T03:04:05Z

run "$DOCKET" import s.db "$S/credit.csv" --model credit
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
run "$DOCKET" reviewer add s.db bob
expect_rc 0
run "$DOCKET" policy s.db --model credit --audit-rate 0.1 --double-rate 0.05
expect_rc 0
run "$DOCKET" policy s.db --reasons=ambiguous,needs-expert,other
expect_rc 0
take() { # take REVIEWER: claims the next case, prints its id
	"$DOCKET" next s.db --reviewer "$1" | sed 's/^{"id":"\([^"]*\)".*/\1/'
}
for _ in 1 2 3 4; do
	run "$DOCKET" decide s.db "$(take ann)" --reviewer ann --action accept
	expect_rc 0
done
esc=$(take ann)
run "$DOCKET" decide s.db "$esc" --reviewer ann --action escalate --reason needs-expert
expect_rc 0
run "$DOCKET" export s.db --out e1.csv --since-last nightly
expect_rc 0
for _ in 1 2 3; do
	run "$DOCKET" decide s.db "$(take bob)" --reviewer bob --action accept
	expect_rc 0
done
run "$DOCKET" reviewer role s.db bob supervisor
expect_rc 0
run "$DOCKET" reviewer auto-add s.db on
expect_rc 0
# (on PostgreSQL a role the administrator let use the store at all)
on_sqlite || sql s.db "DO \$\$ BEGIN CREATE ROLE carl LOGIN;
	EXCEPTION WHEN duplicate_object THEN NULL; END \$\$; SELECT grant_role('carl', 'reviewer')" >/dev/null
run "$DOCKET" decide s.db "$(take carl)" --reviewer carl --action accept
expect_rc 0
run "$DOCKET" reviewer auto-add s.db off
expect_rc 0
run "$DOCKET" import s.db "$S/reviews.csv" --model reviews
expect_rc 0
run "$DOCKET" verify s.db
expect_rc 0
expect_out "roles, policies, reason codes, watermarks and times agree"
expect_out "2 batches match their import entries"
head=$(echo "$out" | tail -n 1)
for a in init import policy reasons role reviewer-add auto-add export; do
	[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = '$a'")" -gt 0 ] ||
		fail "no $a entry"
done

# each attack on a copy; $1 the copy, then what verify must say
attack() {
	store_copy s.db "$1"
	rm -f "$1-wal" "$1-shm"
}
expect_fail() { # expect_fail STORE TEXT...: verify fails saying each TEXT
	run "$DOCKET" verify "$1"
	expect_rc 1
	shift
	for t in "$@"; do expect_err "$t"; done
}

# a forged resolve by a mere reviewer, correctly hashed, the case moved
# to match: the replay of roles finds it, even with --expect-head
attack resolve.db
cid=$(sql resolve.db "SELECT id FROM cases WHERE state = 'escalated'")
$FORGE resolve.db append ann resolve case_id=$cid label=good model_label=good
sql_forge resolve.db "UPDATE cases SET state = 'done', final_label = 'good',
	final_seq = (SELECT max(seq) FROM decisions), decided_at = 1 WHERE id = $cid"
expect_fail resolve.db "resolve by 'ann', who was not a supervisor then"
run "$DOCKET" verify resolve.db --expect-head "$head"
expect_rc 1
expect_err "not a supervisor"

# an export by a reviewer (forged entry): export needs a supervisor
attack export.db
$FORGE export.db append ann export 'detail={"rows":1}'
expect_fail export.db "export by 'ann', who was not a supervisor then"

# 50 queued cases set to auto (out of review)
attack auto.db
sql_forge auto.db "UPDATE cases SET state = 'auto' WHERE id IN
	(SELECT id FROM cases WHERE state = 'queued' LIMIT 50)"
expect_fail auto.db "is 'auto', but policy version" "sends it to review"

# a case deleted
attack del.db
sql_forge del.db "DELETE FROM cases WHERE id = (SELECT max(id) FROM cases WHERE state = 'auto')"
expect_fail del.db "cases were deleted" "batch 2"

# a decided case's prediction, confidence and personal fields edited, a
# margin or entropy put in (not stored since schema 8: computed from the
# probabilities, as the digest was) or its probabilities edited: the
# batch's digest; its gold label: its routing already (gold is routed)
did=$(sql s.db "SELECT min(id) FROM cases WHERE batch_id = 1 AND state = 'done'")
# (personal fields: in the case's context on SQLite; on PostgreSQL out
# of the reviewers' reach in case_pii, cases.context masked)
pii="cases SET context = replace(context, 'Test Applicant', 'Someone Else') WHERE id"
on_sqlite || pii="case_pii SET context = replace(context, 'Test Applicant', 'Someone Else') WHERE case_id"
# (probabilities: a list in the batch's key order on SQLite, an object on
# PostgreSQL)
probs="'[0.5,0.5]'"
on_sqlite || probs="'{\"good\":0.5,\"bad\":0.5}'"
for what in "cases SET prediction = CASE prediction WHEN 'good' THEN 'bad' ELSE 'good' END WHERE id" \
	"$pii" "cases SET confidence = 0.99 WHERE id" "cases SET margin = 0.5 WHERE id" \
	"cases SET entropy = 0.5 WHERE id" "cases SET probs = $probs WHERE id"; do
	attack edit.db
	sql_forge edit.db "UPDATE $what = $did"
	[ "$(dump edit.db)" != "$(dump s.db)" ] || fail "UPDATE $what: changed nothing"
	expect_fail edit.db "batch 1" "differ from what entry 2 imported" "was edited"
done
# a batch's key list edited (two context fields' names swapped; issue 17:
# cases hold their values in the list's order, casejson.h): the values read
# back under other names, which the batch's digest catches; a list that is
# no list is named (SQLite's form: cases on PostgreSQL hold objects)
if on_sqlite; then
	[ "$(sql s.db "SELECT substr(context, 1, 1) FROM cases WHERE id = $did")" = "[" ] ||
		fail "the case does not hold its context as values in its batch's key order"
	attack keys.db
	sql keys.db "UPDATE batches SET ctx_keys = replace(replace(replace(ctx_keys,
		'\"Home\"', '\"@\"'), '\"Time\"', '\"Home\"'), '\"@\"', '\"Time\"') WHERE id = 1"
	expect_fail keys.db "batch 1" "differ from what entry 2 imported" "was edited"
	attack keys2.db
	sql keys2.db "UPDATE batches SET attr_keys = 'Home' WHERE id = 1"
	expect_fail keys2.db "batch 1" "key list is malformed"
	attack keys3.db
	sql keys3.db "UPDATE cases SET attributions = '[0.5]' WHERE id = $did"
	expect_fail keys3.db "batch 1" "its attributions in the store has 1 values"
fi
attack gold.db
sql_forge gold.db "UPDATE cases SET gold = 'bad' WHERE id = (SELECT min(id) FROM cases
	WHERE batch_id = 1 AND gold IS NULL AND state = 'auto')"
expect_fail gold.db "is 'auto', but policy version"
attack gold2.db
sql_forge gold2.db "UPDATE cases SET gold = CASE gold WHEN 'good' THEN 'bad' ELSE 'good' END
	WHERE id = (SELECT min(id) FROM cases WHERE gold IS NOT NULL)"
expect_fail gold2.db "differ from what entry 2 imported"

# an export watermark raised: the next --since-last would skip corrections
attack mark.db
sql_forge mark.db "UPDATE exports SET last_seq = last_seq + 3"
expect_fail mark.db "export watermark 'nightly'" "would skip"

# a role changed behind the log's back
attack role.db
sql_forge role.db "UPDATE reviewers SET role = 'supervisor' WHERE name = 'ann'"
expect_fail role.db "reviewer 'ann' is supervisor in the reviewers table" \
	"the log made them reviewer"
attack radd.db
sql_forge radd.db "INSERT INTO reviewers(name, role, added_at, added_by) VALUES ('eve', 'supervisor', 0, '$me')"
expect_fail radd.db "reviewer 'eve' (supervisor) is in the reviewers table but no entry added them"

# a policy edited in place (every case re-routed to match is still found:
# the policy differs from its entry)
attack pol.db
if on_sqlite; then
	set_threshold="json_set(policy, '\$.threshold', 0.5)"
else
	set_threshold="jsonb_set(policy::jsonb, '{threshold}', '0.5')::text"
fi
sql_forge pol.db "UPDATE policies SET policy = $set_threshold
	WHERE version = (SELECT policy_version FROM models WHERE name = 'credit')
	AND model_id = (SELECT id FROM models WHERE name = 'credit')"
expect_fail pol.db "policy version 2 of model credit was edited"
attack reasons.db
sql_forge reasons.db "UPDATE meta SET value = '[\"x\"]' WHERE key = 'reason_codes'"
expect_fail reasons.db "the reason codes are"
attack autoadd.db
sql_forge autoadd.db "UPDATE meta SET value = 'on' WHERE key = 'auto_add_reviewers'"
expect_fail autoadd.db "auto-add is on in the store but the log leaves it off"

# an entry dated in the future, correctly hashed
attack future.db
$FORGE future.db append ann reveal case_id=1 at=4102444800000 'detail={}'
expect_fail future.db "dated 2100-01-01T00:00:00Z, later than now"
# and one dated before the entry ahead of it
attack past.db
$FORGE past.db append ann reveal case_id=1 at=1000 'detail={}'
expect_fail past.db "times never fall"

# the tail cut (the record of an export of personal data): its watermark
# still names the removed entry (a plain export leaves nothing outside the
# log: only --expect-head finds that)
attack cut.db
run "$DOCKET" export cut.db --out e2.csv --since-last nightly
expect_rc 0
n=$(sql cut.db "SELECT max(seq) FROM decisions")
on_sqlite && sql cut.db "DROP TRIGGER decisions_no_delete"
sql_forge cut.db "DELETE FROM decisions WHERE seq = $n"
expect_fail cut.db "export watermark 'nightly' is at" "(entry $n) in the store"

# a full re-hash after an edit passes the chain and the replay when the
# edit breaks no rule; --expect-head of an earlier head finds it
attack rehash.db
on_sqlite && sql rehash.db "DROP TRIGGER decisions_no_update"
sql_forge rehash.db "UPDATE decisions SET note = 'tired'
	WHERE seq = (SELECT min(seq) FROM decisions WHERE action = 'accept')"
$FORGE rehash.db rehash
run "$DOCKET" verify rehash.db
expect_rc 0
run "$DOCKET" verify rehash.db --expect-head "$head"
expect_rc 1
expect_err "rewritten"
# the known limit: an entry forged by someone allowed to write it (bob is
# a supervisor by then), appended after the last head kept, with the case
# moved to match, verifies: only a signed anchor can tell (README)
attack limit.db
$FORGE limit.db append bob resolve case_id=$cid label=good model_label=good
sql_forge limit.db "UPDATE cases SET state = 'done', final_label = 'good',
	final_seq = (SELECT max(seq) FROM decisions),
	decided_at = (SELECT at FROM decisions ORDER BY seq DESC LIMIT 1) WHERE id = $cid"
run "$DOCKET" verify limit.db --expect-head "$head"
expect_rc 0

# the honest store still verifies after all that (copies only were hit)
run "$DOCKET" verify s.db --expect-head "$head"
expect_rc 0

# A store of an older docket (made by bench/make-store.sh, which makes its
# generated store look like one): the first open appends the init entry;
# verify says what it cannot cover, passes, and still counts the old rows.
# (An SQLite file: PostgreSQL stores begin at schema 6, with import entries.)
unset DOCKET_NOW # (for the store below)
if on_sqlite; then
DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/make-store.sh" old.db 1000 2>/dev/null
[ "$(sql old.db "PRAGMA user_version")" = 1 ] || fail "make-store.sh: not an older store"
run "$DOCKET" verify old.db
expect_rc 0
expect_out "cases: 1 batches imported before import entries existed: their rows are not covered"
[ "$(sql old.db "SELECT action FROM decisions WHERE seq = 1")" = init ] || fail "no init entry"
run "$DOCKET" import old.db "$S/reviews.csv" --model reviews
expect_rc 0
run "$DOCKET" verify old.db
expect_rc 0
expect_out "1 batches match their import entries"
sql old.db "DELETE FROM cases WHERE id = 7"
expect_fail old.db "batch 1 (imported before import entries existed)" "cases were deleted"
fi

# a decided case's decision time moved (exports by --since/--until select
# on it)
attack when.db
sql_forge when.db "UPDATE cases SET decided_at = decided_at - 86400000 WHERE id = $did"
expect_fail when.db "case states disagree with the log" "was decided at"

# A case with a lone probability (its margin and entropy are NaN, which a
# store keeps as NULL) verifies: the replay took the NULL margin for "no
# probabilities" and called its batch edited.
printf 'id,prediction,p:yes\nc1,yes,1\nc2,yes,0.9995\n' >lone.csv
run "$DOCKET" import lone.db lone.csv --model lone
expect_rc 0
run "$DOCKET" verify lone.db
expect_rc 0
expect_out "1 batches match their import entries"
