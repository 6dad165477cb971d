# What lets claims and decisions run side by side on PostgreSQL, and the
# import's COPY (issue 13's speed goals), checked as a reviewer sees them:
# - a claim and a decision complete while another session holds the
#   store's writer lock and the old lease-token row in meta (every claim
#   and decision waited on both before);
# - a decision whose wait for the disk fails after its commit
#   (DOCKET_FAULT=pg-flush, test build) is reported as recorded but not
#   yet known to be on disk, exit 1; it is in the log, which verifies, and
#   a retry is told it is recorded;
# - a claim lost with the server (its commit does not wait for the disk)
#   leaves a decision on it refused, naming the case, with nothing recorded;
# - import by COPY: text with tabs, backslashes, newlines, carriage returns
#   and quotes, and personal fields, read back exactly as on SQLite; the
#   counters equal a recount; a case naming no model or batch is refused;
# - a store of the first PostgreSQL revision (main's: one counters table,
#   foreign keys, tokens in meta) is upgraded by its owner's next docket,
#   and claims, decisions, counters and verify hold after it.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
PG="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$me"
q() { psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "$1"; }

# ---- import by COPY, against SQLite -----------------------------------
# JSON Lines whose text and personal fields hold every character COPY's
# text format escapes, beside plain ones.
{
	i=1
	while [ $i -le 40 ]; do
		hi=0.$((50 + i)) lo=0.$((50 - i))
		if [ $((i % 3)) = 0 ]; then pred=bad pg=$lo pb=$hi; else pred=good pg=$hi pb=$lo; fi
		printf '{"id": "c%02d", "prediction": "%s", "confidence": %s, "p:good": %s, "p:bad": %s, "text": "tab\\there back\\\\slash\\nnew line\\r\\"quoted\\" %d", "city": "K\\u00f6ln\\t%d", "pii:name": "Zed\\\\ame\\tX\\n%d"}\n' \
			$i $pred $hi $pg $pb $i $i $i
		i=$((i + 1))
	done
} >odd.jsonl
load() { # load STORE
	export DOCKET_NOW=2026-03-01T09:00:00Z DOCKET_RANDOM_SEED=t_pg_speed
	run "$DOCKET" init "$1"
	expect_rc 0
	run "$DOCKET" import "$1" odd.jsonl --model odd
	expect_rc 0
	unset DOCKET_NOW DOCKET_RANDOM_SEED
}
load "$PWD/s.db"
lite_out=$out
load "$PG"
[ "$out" = "$lite_out" ] || fail "import says on PostgreSQL: $out
on SQLite: $lite_out"
# (both keep a case's values in its batch's key order, SQLite its context
# too: case_obj and case_obj_pg read them back as objects)
cols="ext_id, line, prediction, text, $(case_obj_pg c probs), $(case_obj_pg c attributions),
	gold, priority, state, route_reason, reviews_needed"
lite_cols="ext_id, line, prediction, text, $(case_obj c probs), $(case_obj c attributions),
	gold, priority, state, route_reason, reviews_needed"
sql s.db "SELECT $lite_cols, $(case_obj c context) FROM cases c ORDER BY id" >lite.txt
PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -d postgres \
	-c "SELECT $cols, context_full(c.id, c.context) FROM cases c ORDER BY c.id" >pg.txt
[ "$(grep -c 'back\\slash' pg.txt)" = 40 ] || fail "the backslashes did not come through: $(head -3 pg.txt)"
cmp -s lite.txt pg.txt || fail "the imported cases differ on PostgreSQL:
$(diff lite.txt pg.txt | head)"
[ "$(q "SELECT count(*) FROM docket.case_pii")" = 40 ] || fail "personal fields not in case_pii"
[ "$(q "SELECT count(*) FROM docket.cases WHERE context LIKE '%Zed%'")" = 0 ] ||
	fail "a personal value left in cases.context"
[ "$(q "SELECT count(*) FROM (SELECT model_id, state, count(*) n FROM docket.cases GROUP BY 1, 2) r
	LEFT JOIN docket.counters c USING (model_id, state) WHERE r.n IS DISTINCT FROM c.n")" = 0 ] ||
	fail "counters differ from a recount: $(q "SELECT * FROM docket.counters")"

# A case's model and batch are checked per statement, not by foreign keys
# row by row: a case naming no batch, or no model, is still refused.
for bad in "1, 999" "999, 1"; do
	if q "INSERT INTO docket.cases(model_id, batch_id, ext_id, line, prediction,
		confidence, state, policy_version, urgency)
		VALUES ($bad, 'stray', 1, 'good', 0.5, 'auto', 1, 0)" >/dev/null 2>stray.err; then
		fail "a case naming model, batch $bad was stored"
	fi
	grep -q "a case names a model or batch that does not exist" stray.err ||
		fail "a stray case refused for another reason: $(cat stray.err)"
done
# ... and so is a personal value's case (case_pii, once a foreign key)
if q "INSERT INTO docket.case_pii VALUES (999999, '{}')" >/dev/null 2>stray.err; then
	fail "personal values of no case were stored"
fi
grep -q "personal values name a case that does not exist" stray.err ||
	fail "stray personal values refused for another reason: $(cat stray.err)"
# The check goes by a statement's range of ids first (revision 11), then
# row by row: rows for cases c1, c2 and c4 of three new cases (c3 missing)
# go in, in one statement, range holes and all; one naming c3, the id
# below the first case, or the far ends of bigint, with cases around
# them, is refused, for that reason.
c1=$(q "SELECT max(id) + 1 FROM docket.cases")
for c in $c1 $((c1 + 1)) $((c1 + 3)); do
	q "INSERT INTO docket.cases(id, model_id, batch_id, ext_id, line, prediction,
		confidence, state, policy_version, urgency)
		VALUES ($c, 1, 1, 'r$c', 1, 'good', 0.5, 'auto', 1, 0)" >/dev/null
done
q "INSERT INTO docket.case_pii VALUES ($c1, '{}'), ($((c1 + 1)), '{}')" >/dev/null ||
	fail "personal values of two cases in a row refused"
q "INSERT INTO docket.case_pii VALUES ($((c1 + 3)), '{}')" >/dev/null ||
	fail "personal values of a case refused"
q "DELETE FROM docket.case_pii WHERE case_id >= $c1" >/dev/null
q "INSERT INTO docket.case_pii VALUES ($c1, '{}'), ($((c1 + 1)), '{}'), ($((c1 + 3)), '{}')" >/dev/null ||
	fail "personal values of three cases around a hole refused"
q "DELETE FROM docket.case_pii WHERE case_id >= $c1" >/dev/null
for bad in "$c1, $((c1 + 1)), $((c1 + 2)), $((c1 + 3))" "$((c1 + 2))" "-2, -1, 0" \
	"$c1, 9223372036854775807" "-9223372036854775808, $c1, 9223372036854775807"; do
	vals=$(echo "$bad" | sed "s/\([-0-9][0-9]*\)/(\1, '{}')/g")
	if q "INSERT INTO docket.case_pii VALUES $vals" >/dev/null 2>stray.err; then
		fail "personal values of cases $bad were stored"
	fi
	grep -q "personal values name a case that does not exist" stray.err ||
		fail "personal values of cases $bad refused for another reason: $(cat stray.err)"
done
[ "$(q "SELECT count(*) FROM docket.case_pii WHERE case_id >= $c1 OR case_id < 1")" = 0 ] ||
	fail "stray personal values stored: $(q "SELECT case_id FROM docket.case_pii WHERE case_id >= $c1")"
q "DELETE FROM docket.cases WHERE id >= $c1" >/dev/null

# ---- claims and decisions without the store-wide locks ----------------
# The lease-token row a claim used to update (it stays as the tokens' base).
q "INSERT INTO docket.meta VALUES ('lease_token', '0') ON CONFLICT DO NOTHING" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null 2>&1 <<SQL &
BEGIN;
SELECT pg_advisory_xact_lock(1684234091, 1);
SELECT value FROM docket.meta WHERE key = 'lease_token' FOR UPDATE;
SELECT pg_sleep(120);
SQL
holder=$!
n=0
until [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 1 AND granted")" = 1 ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "the lock holder did not start"
	sleep 0.05
done
run timeout 20 "$DOCKET" next "$PG"
expect_rc 0
id=${out#'{"id":"'}
id=${id%%'"'*}
run timeout 20 "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 0
expect_out '"state":"done"'
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%'
	AND pid <> pg_backend_pid()" >/dev/null
wait $holder || true

# ---- the wait for the disk fails after the commit -----------------------
run "$DOCKET" next "$PG"
expect_rc 0
id=${out#'{"id":"'}
id=${id%%'"'*}
e=$(( $(q "SELECT max(seq) FROM docket.decisions") + 1 ))
run env DOCKET_FAULT=pg-flush "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 1
expect_out "{\"seq\":$e,"
expect_err "decision recorded as entry $e, but not yet known to be on disk"
expect_err "waiting for the disk failed"
[ "$(q "SELECT action FROM docket.decisions d JOIN docket.cases c ON c.id = d.case_id
	WHERE c.ext_id = '$id'")" = accept ] || fail "the decision is not in the log"
run "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 1
expect_err "case '$id' is done: its last decision, $me's accept, is already recorded as entry $e"
run "$DOCKET" verify "$PG"
expect_rc 0
expect_out "chain: $e entries, intact"

# ---- a claim lost with the server -------------------------------------
# The claim's commit does not wait for the disk: a crash may undo it. Here
# the claim is undone as a crash would (its lease and held state gone); a
# decision on it is refused and records nothing.
run "$DOCKET" next "$PG"
expect_rc 0
id=${out#'{"id":"'}
id=${id%%'"'*}
q "BEGIN; DELETE FROM docket.leases WHERE case_id = (SELECT id FROM docket.cases WHERE ext_id = '$id');
	UPDATE docket.cases SET state = 'queued' WHERE ext_id = '$id'; COMMIT" >/dev/null
run "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 1
expect_err "case '$id' is not held by $me (it is queued): claim it with 'docket next' first"
[ "$(q "SELECT count(*) FROM docket.decisions")" = $e ] || fail "a decision on a lost claim was recorded"
run "$DOCKET" verify "$PG"
expect_rc 0
# ---- a store of revision 1 is brought to the current one by its owner ----
# (as an older docket made them: one counters table, foreign keys on cases'
# model and batch and on case_pii's case, lease tokens in meta, which
# reviewers could write). Made from a new store by undoing revisions 2 and
# 3 in SQL; the next docket to open it as its owner upgrades it.
psql -qX -d postgres -c "CREATE DATABASE up" >/dev/null
UP="postgresql:///up?host=$PGHOST&port=$PGPORT&user=$me"
run "$DOCKET" init "$UP"
expect_rc 0
run "$DOCKET" import "$UP" odd.jsonl --model odd
expect_rc 0
PGOPTIONS='-c search_path=docket,pg_catalog' psql -qX -v ON_ERROR_STOP=1 -d up >/dev/null <<SQL
BEGIN;
DROP TRIGGER cases_refs ON cases;
DROP TRIGGER counters_insert ON counters;
CREATE TABLE counters_old AS SELECT model_id, state, n FROM counters;
DROP VIEW counters;
DROP TABLE counter_shards;
ALTER TABLE counters_old RENAME TO counters;
ALTER TABLE counters ALTER COLUMN n SET NOT NULL, ADD CONSTRAINT counters_pkey PRIMARY KEY (model_id, state);
ALTER TABLE cases ADD FOREIGN KEY (model_id) REFERENCES models(id),
  ADD FOREIGN KEY (batch_id) REFERENCES batches(id);
DROP SEQUENCE lease_tokens;
DROP TRIGGER case_pii_refs ON case_pii;
ALTER TABLE case_pii ADD FOREIGN KEY (case_id) REFERENCES cases(id);
DO \$\$ BEGIN EXECUTE format('GRANT INSERT, UPDATE (value) ON meta TO %I', store_role('reviewer')); END \$\$;
INSERT INTO meta VALUES ('lease_token', '41');
DELETE FROM meta WHERE key = 'pg_revision';
-- revision 3's decide(), which took the model label and state from the
-- client (a stand-in with its arguments): revision 5 drops it
CREATE FUNCTION decide(text, bigint, text, text, text, text, text,
  double precision, text, bigint, text, text, bigint, bigint, boolean)
  RETURNS integer LANGUAGE sql AS 'SELECT 1';
COMMIT;
SQL
run "$DOCKET" queue "$UP"
expect_rc 0
uq() { PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -d up -c "$1"; }
[ "$(uq "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$(pg_revision)" ] || fail "not upgraded to the current revision"
[ "$(uq "SELECT string_agg(pronargs::text, ' ') FROM pg_proc WHERE proname = 'decide'
	AND pronamespace = 'docket'::regnamespace")" = 17 ] || fail "revision 3's decide() is left beside the new one"
[ "$(uq "SELECT relkind FROM pg_class WHERE oid = 'docket.counters'::regclass")" = v ] || fail "counters is not the view"
[ "$(uq "SELECT count(*) FROM pg_constraint WHERE conrelid = 'docket.cases'::regclass AND contype = 'f'")" = 0 ] ||
	fail "the foreign keys of cases are still there"
[ "$(uq "SELECT count(*) FROM pg_constraint WHERE conrelid = 'docket.case_pii'::regclass AND contype = 'f'")" = 0 ] ||
	fail "the foreign key of case_pii is still there"
[ "$(uq "SELECT count(*) FROM pg_trigger WHERE tgname = 'case_pii_refs'")" = 1 ] || fail "case_pii_refs missing"
[ "$(uq "SELECT has_table_privilege(docket.store_role('reviewer'), 'docket.meta', 'INSERT')")" = f ] ||
	fail "reviewers may still write meta"
run "$DOCKET" next "$UP"
expect_rc 0
id=${out#'{"id":"'}
id=${id%%'"'*}
[ "$(uq "SELECT token FROM leases")" -gt 41 ] || fail "a token not above the store's last: $(uq "SELECT token FROM leases")"
run "$DOCKET" decide "$UP" "$id" --action accept
expect_rc 0
[ "$(uq "SELECT count(*) FROM (SELECT model_id, state, count(*) n FROM cases GROUP BY 1, 2) r
	LEFT JOIN counters c USING (model_id, state) WHERE r.n IS DISTINCT FROM c.n")" = 0 ] ||
	fail "counters differ from a recount after the upgrade: $(uq "SELECT * FROM counters")"
run "$DOCKET" verify "$UP"
expect_rc 0
