# A store made by docket before PostgreSQL revision 6 (tests/pg/store-rev5.sql:
# margin and entropy stored, probabilities and attributions as objects)
# upgrades on its owner's first open, keeps its rows as they were, and reads
# the same answers as the rows an import writes since (probabilities and
# attributions as arrays in the batch's key order, no margin and entropy:
# readers compute them). Revision 6 checks a statement's cases per distinct
# model and batch: a statement with one stray case among good ones is still
# refused.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///old5?host=$PGHOST&port=$PGPORT&user=$1"; }
q() { pg_as postgres old5 "$1"; }
pg_old_store old5 store-rev5.sql
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 5 ] || fail "the fixture is not revision 5"
[ "$(q "SELECT count(*) FROM cases WHERE margin IS NOT NULL AND probs LIKE '{%'")" = 30 ] ||
	fail "the fixture's cases are not in the old form"

# A new store, for what the upgraded one must have become.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE fresh" >/dev/null
run "$DOCKET" init "postgresql:///fresh?host=$PGHOST&port=$PGPORT&user=postgres"
expect_rc 0
rev=$(pg_as postgres fresh "SELECT value FROM meta WHERE key = 'pg_revision'")
# every trigger on docket's tables, as PostgreSQL prints it
triggers() {
	pg_as postgres "$1" "SELECT string_agg(pg_get_triggerdef(t.oid), E'\n'
		ORDER BY c.relname, t.tgname) FROM pg_trigger t JOIN pg_class c
		ON c.oid = t.tgrelid WHERE c.relnamespace = 'docket'::regnamespace
		AND NOT t.tgisinternal"
}

# The owner's first open upgrades it; the rows stay as they were.
run "$DOCKET" queue "$(uri postgres)"
expect_rc 0
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$rev" ] || fail "not upgraded"
[ "$(triggers old5)" = "$(triggers fresh)" ] || fail "the upgraded store's triggers are not a new store's:
$(triggers old5 >old.trg; triggers fresh >fresh.trg; diff old.trg fresh.trg)"
[ "$(q "SELECT count(*) FROM cases WHERE margin IS NOT NULL AND probs LIKE '{%'")" = 30 ] ||
	fail "the old cases changed"
run "$DOCKET" verify "$(uri sam)"
expect_rc 0

# The same file (again: --force) as another model: the rows of the new form.
head -31 "$DOCKET_ROOT/sample-data/credit.csv" >credit30.csv
run "$DOCKET" import "$(uri sam)" credit30.csv --model credit2 --force
expect_rc 0
[ "$(q "SELECT count(*) FROM cases c JOIN models m ON m.id = c.model_id
	WHERE m.name = 'credit2' AND c.margin IS NULL AND c.entropy IS NULL
	AND c.probs LIKE '[%' AND c.attributions LIKE '[%' AND c.context LIKE '{%'")" = 30 ] ||
	fail "the new import's rows: $(q "SELECT probs, attributions, margin FROM cases LIMIT 1 OFFSET 30")"
[ "$(q "SELECT prob_keys || attr_keys FROM batches WHERE id = 2")" = \
	'["good","bad"]["Seniority","Home","Time","Age","Marital","Records","Job","Expenses","Income","Assets","Debt","Amount","Price"]' ] ||
	fail "the batch's key lists: $(q "SELECT prob_keys, attr_keys FROM batches WHERE id = 2")"

# alice claims every queued case of both models: the same case reads the
# same from either form (margin, entropy, probabilities, attributions,
# context), but for the fields that name the model, batch and lease.
claims() { # claims MODEL: one line per case, its id first
	while :; do
		n=$("$DOCKET" next "$(uri alice)" --model "$1") || fail "next --model $1: $n"
		case $n in *'"empty":true'*) break ;; esac
		printf '%s\n' "$n" | sed -e 's/"model":"[^"]*",//' -e 's/,"lease":{[^}]*}//' \
			-e 's/"source_file":"[^"]*",\{0,1\}//'
	done | sort
}
claims credit >old.txt
claims credit2 >new.txt
[ "$(wc -l <old.txt)" = 10 ] || fail "old cases claimed: $(wc -l <old.txt)"
[ "$(wc -l <new.txt)" = 12 ] || fail "new cases claimed: $(wc -l <new.txt)"
# app-00003 and app-00023 were decided in the old store only
grep -v '"id":"app-00003"\|"id":"app-00023"' new.txt >new10.txt
cmp -s old.txt new10.txt || fail "the old and new forms read differently:
$(diff old.txt new10.txt | head -6)"
grep -q '"margin":0\.' new.txt || fail "no margin read from the new form: $(head -1 new.txt)"
run "$DOCKET" verify "$(uri sam)"
expect_rc 0

# One stray case among good ones in one statement is refused.
refused() { pg_refused "$@"; }
refused postgres old5 "a case names a model or batch that does not exist" \
	"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction, confidence,
	state, policy_version, urgency) VALUES (1, 1, 'ok1', 1, 'good', 0.5, 'auto', 1, 0),
	(1, 999, 'stray', 2, 'good', 0.5, 'auto', 1, 0), (1, 2, 'ok2', 3, 'good', 0.5, 'auto', 1, 0)"
[ "$(q "SELECT count(*) FROM cases WHERE ext_id IN ('ok1', 'ok2', 'stray')")" = 0 ] ||
	fail "a refused statement left cases"

# A supervisor sets a batch's key lists once (the import does), and cannot
# change them after: the values would read under other names.
refused sam old5 "a batch's key lists never change once set" \
	"UPDATE batches SET prob_keys = '[\"bad\",\"good\"]' WHERE id = 2"
refused sam old5 "permission denied for table batches" \
	"UPDATE batches SET model_id = 2 WHERE id = 2"
