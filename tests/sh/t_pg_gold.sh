# Which cases are gold checks, hidden from reviewers by the database
# (PostgreSQL revision 14). A gold case is a check on reviewers that docket
# shows them as a "spot check", as it shows an audit sample; on a4a0b74's
# revision 13 a reviewer at a psql prompt read them all the same:
#   SELECT ext_id, gold, route_reason FROM cases WHERE gold IS NOT NULL
# (every gold check and its answer), and models.audit_salt, from which the
# audit draw (SHA-256 of the salt and the case's id) tells an audit sample
# (drawn) from a gold case (not drawn). Now those columns are closed to
# reviewers, who read the reason as shown from the view case_reasons, and
# docket's reviewer paths (next, the case list, decide, verify) read
# nothing else: verify checks what a reviewer may read and counts the rest.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
export PGUSER=postgres
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
sql() { u=$1; shift; pg_as "$u" postgres "$*"; }
refused() { u=$1; want=$2; shift 2; pg_refused "$u" postgres "$want" "$*"; }
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" \
	-c "CREATE ROLE sam LOGIN" >/dev/null
run "$DOCKET" init "$(uri postgres)"
expect_rc 0
run "$DOCKET" reviewer add "$(uri postgres)" sam --role supervisor
expect_rc 0
run "$DOCKET" reviewer add "$(uri sam)" alice
expect_rc 0
# 200 cases; app-00006 (confidence 0.96, above the threshold) a gold case
# first in the queue, and the sample's own gold cases beside it; then a
# batch without gold labels nor personal (pii:) fields, which a reviewer's
# verify checks whole
awk -F, -v OFS=, 'NR == 7 { $(NF - 1) = "good"; $NF = 9 } NR <= 201' \
	"$DOCKET_ROOT/sample-data/credit.csv" >c.csv
awk -F, -v OFS=, 'NR > 201 && NR <= 261 { $34 = "" }
	NR == 1 || (NR > 201 && NR <= 261) { print $1, $2, $3, $4, $5, $34, $35 }' \
	"$DOCKET_ROOT/sample-data/credit.csv" >d.csv
run "$DOCKET" import "$(uri sam)" c.csv --model credit
expect_rc 0
run "$DOCKET" policy "$(uri sam)" --model credit --audit-rate 0.3
expect_rc 0
run "$DOCKET" import "$(uri sam)" d.csv --model credit
expect_rc 0
golds=$(sql sam "SELECT count(*) FROM cases WHERE gold IS NOT NULL")
audits=$(sql sam "SELECT count(*) FROM cases WHERE route_reason = 'audit sample'")
[ "$golds" -ge 2 ] && [ "$audits" -ge 2 ] || fail "gold cases $golds, audit samples $audits"
psql -qX -d postgres -c "ANALYZE docket.cases; ANALYZE docket.models" >/dev/null

# ---- a reviewer at a psql prompt ------------------------------------------
for q in "SELECT ext_id, gold, route_reason FROM cases WHERE gold IS NOT NULL" \
	"SELECT gold FROM cases" "SELECT route_reason FROM cases" \
	"SELECT * FROM cases" "SELECT count(*) FROM cases WHERE gold IS NOT NULL" \
	"SELECT id FROM cases WHERE route_reason LIKE 'gold%'" \
	"SELECT c FROM cases c LIMIT 1" "COPY cases TO STDOUT"; do
	refused alice "permission denied for table cases" "$q"
done
for q in "SELECT audit_salt FROM models" "SELECT * FROM models"; do
	refused alice "permission denied for table models" "$q"
done
# nor the fairness counts (cases by a field's value and route class: for a
# value one case has, whether a rule or its gold label routed it)
for t in fair_counts fair_batches; do
	refused alice "permission denied for table $t" "SELECT * FROM $t"
done
# nor the planner's statistics of those columns
[ "$(sql alice "SELECT count(*) FROM pg_stats WHERE schemaname = 'docket'
	AND attname IN ('gold', 'route_reason', 'audit_salt')")" = 0 ] ||
	fail "alice reads statistics of the hidden columns"
[ "$(sql alice "SELECT count(*) FROM pg_stats WHERE schemaname = 'docket'
	AND tablename = 'cases' AND attname = 'confidence'")" = 1 ] ||
	fail "the statistics check reads nothing"
# what a reviewer needs, it reads
sql alice "SELECT id, ext_id, prediction, confidence, context, state, urgency,
	final_label FROM cases" >/dev/null || fail "alice cannot read the cases"
sql alice "SELECT id, name, labels, policy_version FROM models" >/dev/null ||
	fail "alice cannot read the models"
# the reason as shown: a gold check and an audit sample both "spot check",
# every other reason as stored; the same cases as the supervisor's
[ "$(sql alice "SELECT count(*) FROM case_reasons")" = "$(sql sam "SELECT count(*) FROM cases")" ] ||
	fail "case_reasons has not every case"
[ "$(sql alice "SELECT count(*) FROM case_reasons WHERE reason LIKE 'gold%'
	OR reason LIKE 'audit%'")" = 0 ] || fail "alice reads gold or audit in case_reasons"
[ "$(sql sam "SELECT count(*) FROM cases c JOIN case_reasons r ON r.case_id = c.id
	WHERE c.route_reason IN ('gold check', 'audit sample')
	AND r.reason = 'spot check'")" -ge $((audits + 1)) ] ||
	fail "gold checks and audit samples do not read 'spot check'"
[ "$(sql sam "SELECT count(*) FROM cases c JOIN case_reasons r ON r.case_id = c.id
	WHERE c.route_reason NOT LIKE 'gold check%' AND c.route_reason <> 'audit sample'
	AND r.reason IS DISTINCT FROM c.route_reason")" = 0 ] ||
	fail "a rule's reason does not read as stored"
[ "$(sql alice "SELECT r.reason FROM case_reasons r JOIN cases c ON c.id = r.case_id
	WHERE c.ext_id = 'app-00006'")" = "spot check" ] || fail "app-00006's reason"
# how many gold checks a batch holds (not which)
[ "$(sql alice "SELECT string_agg(batch_id || ':' || golds, ' ') FROM batch_golds")" = "1:$golds" ] ||
	fail "batch_golds: $(sql alice "SELECT * FROM batch_golds")"
# the supervisor reads them all
[ "$(sql sam "SELECT ext_id || ' ' || gold || ' ' || route_reason FROM cases
	WHERE ext_id = 'app-00006'")" = "app-00006 good gold check" ] || fail "sam's gold"
[ -n "$(sql sam "SELECT audit_salt FROM models")" ] || fail "sam's salt"

# ---- a reviewer through docket --------------------------------------------
run "$DOCKET" next "$(uri alice)" --model credit
expect_rc 0
expect_out '{"id":"app-00006",'
expect_out '"reason":"spot check"'
run "$DOCKET" cases "$(uri alice)" --reviewer alice --format csv
expect_rc 0
expect_out 'app-00006,credit,held,alice,'
expect_out ',spot check,'
case $out in *gold*) fail "alice's list names gold: $out" ;; esac
# a reviewer's reason filter reads the reason as shown: gold and audit
# both mean the spot checks, whichever each is
spots=$(printf '%s\n' "$out" | grep ',spot check,')
for code in gold audit; do
	run "$DOCKET" cases "$(uri alice)" --reviewer alice --reason $code --format csv
	expect_rc 0
	[ "$(printf '%s\n' "$out" | grep app-)" = "$spots" ] || fail "--reason $code finds: $out"
done
run "$DOCKET" decide "$(uri alice)" app-00006 --action accept --model credit
expect_rc 0
run "$DOCKET" cases "$(uri alice)" --reviewer alice --state done --format csv
expect_rc 0
expect_out 'app-00006,credit,done,'
case $out in *gold*) fail "alice's list names gold: $out" ;; esac

# verify as the reviewer: the chain and all it can read; the routing (the
# audit salt) and the batch with gold checks counted, and said so
run "$DOCKET" verify "$(uri alice)"
expect_rc 0
expect_out "cases: 260 rows, 1 batches match their import entries"
expect_out "cases: 1 batches hold personal values only supervisors may read: their rows are counted; a supervisor's verify checks them"
expect_out "cases: 1 batches hold gold checks only supervisors may read: their rows are counted; a supervisor's verify checks them"
expect_out "cases: the routing of 260 cases needs the models' audit salt, which only supervisors may read: it is not checked; a supervisor's verify checks it"
case $out in *"routing agrees"*) fail "alice's verify says it checked the routing: $out" ;; esac
# as the supervisor, unchanged and whole
run "$DOCKET" verify "$(uri sam)"
expect_rc 0
expect_out "cases: 260 rows, 2 batches match their import entries, routing agrees with the policies"
case $out in *"only supervisors"*) fail "sam's verify only counted: $out" ;; esac
# what a reviewer's verify checks, it checks: a prediction edited in the
# batch without gold labels
psql -qX -d postgres -c "ALTER TABLE docket.cases DISABLE TRIGGER USER;
	UPDATE docket.cases SET prediction = CASE prediction WHEN 'good' THEN 'bad'
	ELSE 'good' END WHERE ext_id = 'app-00210';
	ALTER TABLE docket.cases ENABLE TRIGGER USER" >/dev/null
run "$DOCKET" verify "$(uri alice)"
expect_rc 1
expect_err "batch 2 (d.csv): its cases differ from what entry"
