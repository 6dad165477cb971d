# A store made by docket before PostgreSQL revision 11 (tests/pg/store-rev10.sql:
# case_pii_refs probes the cases' key for each row of a statement) upgrades
# on its owner's first open: its check is the one a new store gets (by the
# statement's range of ids first, pg_roles.c), and it still refuses
# personal values that name no case, from a supervisor's psql; an import
# after it stores every case's personal values, and verify holds.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
q() { pg_as postgres old10 "$1"; }
pg_old_store old10 store-rev10.sql
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 10 ] || fail "the fixture is not revision 10"
run "$DOCKET" init "$(uri postgres "$me")"
expect_rc 0
check() { pg_as postgres "$1" "SELECT pg_get_functiondef('docket.case_pii_refs'::regproc)"; }
[ "$(check old10)" != "$(check postgres)" ] || fail "the fixture's check is already the new one"

# A reviewer's open does not upgrade it; the owner's does.
run "$DOCKET" queue "$(uri old10 alice)"
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 10 ] || fail "alice upgraded it"
run "$DOCKET" queue "$(uri old10 postgres)"
expect_rc 0
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$(pg_revision)" ] || fail "not upgraded"
check old10 >old.txt; check postgres >new.txt
[ "$(check old10)" = "$(check postgres)" ] ||
	fail "the upgraded store's check differs from a new store's: $(diff old.txt new.txt)"

# sam, a supervisor, inserts into case_pii (an import does). The owner
# sets aside the rows of the last two cases first. Rows naming no case are
# refused, one alone, two in a row past the last case, or one after rows
# of those two cases; nothing is stored. Rows of those two go in, as
# before (then the owner puts the imported ones back).
last=$(q "SELECT max(id) FROM cases")
two="$((last - 1)), $last"
q "CREATE TABLE public.kept AS SELECT * FROM case_pii WHERE case_id IN ($two);
	DELETE FROM case_pii WHERE case_id IN ($two)" >/dev/null
for bad in "($((last + 1)), '{}')" "($((last + 1)), '{}'), ($((last + 2)), '{}')" \
	"($((last - 1)), '{}'), ($last, '{}'), ($((last + 1)), '{}')"; do
	pg_refused sam old10 "personal values name a case that does not exist" \
		"INSERT INTO case_pii VALUES $bad"
done
[ "$(q "SELECT count(*) FROM case_pii")" = 28 ] || fail "case_pii rows: $(q "SELECT count(*) FROM case_pii")"
pg_as sam old10 "INSERT INTO case_pii VALUES ($((last - 1)), '{}'), ($last, '{}')" >/dev/null ||
	fail "sam's rows of two cases refused"
q "DELETE FROM case_pii WHERE case_id IN ($two);
	INSERT INTO case_pii SELECT * FROM public.kept; DROP TABLE public.kept" >/dev/null
run "$DOCKET" verify "$(uri old10 sam)"
expect_rc 0

# An import after it: every case has its personal values, and verify holds.
run "$DOCKET" import "$(uri old10 sam)" "$DOCKET_ROOT/sample-data/credit.csv" --model credit2
expect_rc 0
[ "$(q "SELECT count(*) FROM cases c JOIN models m ON m.id = c.model_id
	WHERE m.name = 'credit2' AND NOT EXISTS (SELECT 1 FROM case_pii p WHERE p.case_id = c.id)")" = 0 ] ||
	fail "cases of the new import without their personal values"
[ "$(q "SELECT count(*) FROM cases")" = "$((30 + $(($(wc -l <"$DOCKET_ROOT/sample-data/credit.csv") - 1))))" ] ||
	fail "cases after the import: $(q "SELECT count(*) FROM cases")"
run "$DOCKET" verify "$(uri old10 sam)"
expect_rc 0
expect_out "2 batches match their import entries"
