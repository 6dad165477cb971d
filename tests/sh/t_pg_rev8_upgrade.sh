# A store made by docket before PostgreSQL revision 8 (tests/pg/store-rev7.sql:
# case_pii holds each case's whole context again) upgrades on its owner's
# first open: case_pii keeps the pii: members alone, byte for byte, and the
# store reads the same answers as before (verify's digests of the imported
# contexts; the export, against the one the old binary wrote,
# store-rev7-export.csv). An import after it writes the new form, and a
# case's personal values still reach only supervisors.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///old7?host=$PGHOST&port=$PGPORT&user=$1"; }
q() { pg_as postgres old7 "$1"; }
pg_old_store old7 store-rev7.sql
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 7 ] || fail "the fixture is not revision 7"
whole='{"Seniority":"9","Home":"rent","Time":"60","Age":"30","Marital":"married","Records":"no","Job":"freelance","Expenses":"73","Income":"129","Assets":"0","Debt":"0","Amount":"800","Price":"846","pii:name":"Test Applicant 0001","pii:phone":"(200) 555-0100"}'
pii1() { q "SELECT p.context FROM case_pii p JOIN cases c ON c.id = p.case_id
	WHERE c.ext_id = '$1'"; }
[ "$(pii1 app-00001)" = "$whole" ] || fail "the fixture's case_pii: $(pii1 app-00001)"

# The owner's first open upgrades it.
run "$DOCKET" queue "$(uri postgres)"
expect_rc 0
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$(pg_revision)" ] || fail "not upgraded"
[ "$(pii1 app-00001)" = '{"pii:name":"Test Applicant 0001","pii:phone":"(200) 555-0100"}' ] ||
	fail "case_pii after the upgrade: $(pii1 app-00001)"
[ "$(q "SELECT count(*) FROM case_pii WHERE context NOT LIKE '{\"pii:name\":%,\"pii:phone\":%}'
	OR context LIKE '%Home%'")" = 0 ] || fail "a case_pii row kept more than its pii: members"
[ "$(q "SELECT count(*) FROM case_pii")" = 30 ] || fail "case_pii rows: $(q "SELECT count(*) FROM case_pii")"
# the same answers: verify's digests cover every imported context byte
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
expect_out "1 batches match their import entries"
run "$DOCKET" export "$(uri sam)" --only all --out now.csv
expect_rc 0
cmp -s now.csv "$DOCKET_TESTS/pg/store-rev7-export.csv" ||
	fail "the export differs from the old binary's: $(diff now.csv "$DOCKET_TESTS/pg/store-rev7-export.csv" | head -4)"
# a personal value edited is still caught
a1=$(q "SELECT id FROM cases WHERE ext_id = 'app-00001'")
q "UPDATE case_pii SET context = replace(context, '0001', '0009') WHERE case_id = $a1" >/dev/null
run "$DOCKET" verify "$(uri sam)"
expect_rc 1
expect_err "its cases differ from what entry"
q "UPDATE case_pii SET context = replace(context, '0009', '0001') WHERE case_id = $a1" >/dev/null
# ... and so is a row that lost a member
q "UPDATE case_pii SET context = '{\"pii:name\":\"Test Applicant 0001\"}' WHERE case_id = $a1" >/dev/null
run "$DOCKET" verify "$(uri sam)"
expect_rc 1
expect_err "case app-00001: its personal values do not fit its context"
q "UPDATE case_pii SET context = '{\"pii:name\":\"Test Applicant 0001\",\"pii:phone\":\"(200) 555-0100\"}'
	WHERE case_id = $a1" >/dev/null

# An import after it writes the new form; both read the same.
run "$DOCKET" import "$(uri sam)" "$DOCKET_ROOT/sample-data/credit.csv" --model credit2
expect_rc 0
[ "$(q "SELECT count(*) FROM case_pii p JOIN cases c ON c.id = p.case_id
	JOIN models m ON m.id = c.model_id WHERE m.name = 'credit2'
	AND p.context LIKE '{\"pii:name\":%,\"pii:phone\":%}' AND p.context NOT LIKE '%Home%'")" = \
	"$(q "SELECT count(*) FROM cases c JOIN models m ON m.id = c.model_id WHERE m.name = 'credit2'")" ] ||
	fail "the new import's case_pii rows: $(q "SELECT context FROM case_pii ORDER BY case_id DESC LIMIT 1")"
[ "$(q "SELECT context_full(c.id, c.context) FROM cases c JOIN models m ON m.id = c.model_id
	WHERE m.name = 'credit2' AND c.ext_id = 'app-00001'")" = "$whole" ] ||
	fail "context_full of the new form"
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
expect_out "2 batches match their import entries"
# a reviewer: masked, and no way to the values
run "$DOCKET" verify "$(uri alice)"
expect_rc 0
expect_out "cases: 2 batches hold personal values only supervisors may read"
pg_refused alice old7 "permission denied for table case_pii" "SELECT context FROM case_pii"
pg_refused alice old7 "permission denied for table case_pii" \
	"SELECT context_full(id, context) FROM cases LIMIT 1"
