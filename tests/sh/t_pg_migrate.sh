# migrate to PostgreSQL: a store with rows in every table moved into an
# empty database verifies to the source's head, gives the same queue, log,
# cases and stats, has every row, and keeps working (a reviewer claims and
# decides, an import gets the next ids); a database that holds a store is
# refused; a failed migration leaves an empty docket schema that a second
# run fills.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE ann LOGIN;
CREATE DATABASE probe;
CREATE DATABASE d1;
CREATE DATABASE d2;
SQL
uri() { # uri DATABASE USER
	echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"
}
run "$DOCKET" init "$(uri probe "$me")"
case "$err" in *"not built into this docket"*)
	echo "PostgreSQL is not built into this docket yet ($err)"
	exit 77 ;;
esac
expect_rc 0

# --- the source: a row in every table ------------------------------------
head -201 "$DOCKET_ROOT/sample-data/credit.csv" >one.csv
{ head -1 one.csv; sed -n '202,401p' "$DOCKET_ROOT/sample-data/credit.csv"; } >two.csv
run "$DOCKET" import a.db one.csv --model credit --threshold 0.9
expect_rc 0
run "$DOCKET" import a.db two.csv --model credit
expect_rc 0
run "$DOCKET" reviewer add a.db ann
expect_rc 0
claim() { "$DOCKET" next a.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/'; }
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action accept --seconds 2.5
expect_rc 0
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action accept --seconds 0.1 --note 'é "q"'
expect_rc 0
esc=$(claim); run "$DOCKET" decide a.db "$esc" --reviewer ann --action escalate --reason other --note why
expect_rc 0
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action skip --reason ambiguous
expect_rc 0
run "$DOCKET" decide a.db "$esc" --reviewer "$me" --action resolve --label good
expect_rc 0
run "$DOCKET" export a.db --out e.csv --since-last weekly
expect_rc 0
run "$DOCKET" drift a.db --model credit --set-reference --batch 1
expect_rc 0
run "$DOCKET" drift a.db --model credit --batch 2
expect_rc 0
run "$DOCKET" stats a.db --by Home --positive good # kept fairness counts
expect_rc 0
held=$(claim)
sql a.db "INSERT INTO reviewer_seen VALUES ('ann', 3)"
tables=$(sql a.db "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
for t in $tables; do
	[ "$(sql a.db "SELECT count(*) > 0 FROM \"$t\"")" = 1 ] ||
		fail "the test left table $t empty"
done
head=$("$DOCKET" verify a.db | tail -1)
before=$(dump a.db)

# --- the move ---------------------------------------------------------------
D1=$(uri d1 "$me")
run "$DOCKET" migrate a.db "$D1"
expect_rc 0
expect_err "migrate: cases                     400 rows"
expect_out "destination head: $head ("
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "migrate's last line is not the head $head: $out"
[ "$(dump a.db)" = "$before" ] || fail "the source changed"
# Every row of every table, as text (sorted, NULL as empty, reals to 15
# digits as the sqlite3 shell prints them; the schema
# version and revision and the store's group roles PostgreSQL keeps in
# meta left out).
point0() { sed -E 's/([0-9])\.0(\||$)/\1\2/g' | LC_ALL=C sort; } # 26.0 is 26
# (cases: with the personal fields read back from case_pii, where migrate
# moved them out of reviewers' reach, as an import into PostgreSQL does)
unmask="UPDATE docket.cases c SET context = docket.context_full(c.id, c.context);"
# (and on SQLite as docket reads them: a case may hold just its values in
# its batch's key order, which PostgreSQL's cases keep as objects)
cols_cases="id, model_id, batch_id, ext_id, line, prediction, confidence, margin,
 entropy, $(case_obj cases probs), $(case_obj cases attributions),
 $(case_obj cases context), text, gold, priority, state, route_reason,
 policy_version, urgency, reviews_needed, final_label, final_seq, decided_at"
# (PostgreSQL's keep probabilities and attributions in that form too, as
# JSON text, as an import there writes them)
pg_cols_cases="id, model_id, batch_id, ext_id, line, prediction, confidence, margin,
 entropy, $(case_obj_pg cases probs), $(case_obj_pg cases attributions),
 context, text, gold, priority, state, route_reason,
 policy_version, urgency, reviews_needed, final_label, final_seq, decided_at"
[ "$(sql a.db "SELECT count(*) FROM cases WHERE context LIKE '[%'")" -gt 0 ] ||
	fail "no case holds its context as values in its batch's key order"
for t in $tables; do
	sel="*"
	[ "$t" = cases ] && sel=$cols_cases
	sql a.db "SELECT $sel FROM \"$t\"" | point0 >lite.txt
	pre=""
	[ "$t" = cases ] && pre=$unmask
	psel="*"
	[ "$t" = cases ] && psel=$pg_cols_cases
	PGOPTIONS="-c extra_float_digits=0 -c search_path=docket,pg_catalog" psql -qAtX -d d1 \
		-c "BEGIN; $pre SELECT $psel FROM docket.\"$t\" cases; ROLLBACK;" |
		grep -v '^schema_version|\|^pg_revision|\|^pg_role_' | point0 >pg.txt
	[ -s lite.txt ] || fail "table $t: nothing to compare"
	cmp -s lite.txt pg.txt || fail "table $t differs on PostgreSQL:
$(diff lite.txt pg.txt | head)"
done
# Probabilities and attributions in the form an import into PostgreSQL
# writes: arrays in the batch's key order wherever SQLite has them so
lite_arr=$(sql a.db "SELECT sum(typeof(probs) = 'blob' OR probs LIKE '[%')
	|| ' ' || sum(typeof(attributions) = 'blob' OR attributions LIKE '[%') FROM cases")
[ "${lite_arr%% *}" -gt 0 ] || fail "no SQLite case holds its probabilities as an array"
[ "$(psql -qAtX -d d1 -c "SELECT sum((probs LIKE '[%')::int) || ' '
	|| sum((attributions LIKE '[%')::int) FROM docket.cases")" = "$lite_arr" ] ||
	fail "migrate wrote other forms than SQLite's arrays: $lite_arr on SQLite, $(psql -qAtX -d d1 \
	-c "SELECT sum((probs LIKE '[%')::int) || ' ' || sum((attributions LIKE '[%')::int) FROM docket.cases")"
# Personal fields: out of the cases, into case_pii.
[ "$(psql -qAtX -d d1 -c "SELECT count(*) FROM docket.case_pii")" = 400 ] ||
	fail "personal fields not moved to case_pii"
[ "$(psql -qAtX -d d1 -c "SELECT count(*) FROM docket.cases WHERE context LIKE '%Test Applicant%'")" = 0 ] ||
	fail "a personal value left in cases.context"
# The chain as verify reads it.
run "$DOCKET" verify "$D1"
expect_out "chain: $(sql a.db "SELECT count(*) FROM decisions") entries, intact"
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "verify on PostgreSQL: $out"

# --- refusals, and a second try after a failure ----------------------------
run "$DOCKET" migrate a.db "$D1"
expect_rc 1
expect_err "not empty (table reviewers has rows)"
cp a.db damaged.db
sql damaged.db "UPDATE cases SET line = 'x' WHERE id = 300"
D2=$(uri d2 "$me")
run "$DOCKET" migrate damaged.db "$D2"
expect_rc 1
expect_err "cases.line holds text where the schema says INTEGER"
expect_err "nothing was copied into postgresql:///d2"
[ "$(psql -qAtX -d d2 -c "SELECT count(*) FROM docket.cases")" = 0 ] || fail "a failed migrate left cases"
run "$DOCKET" migrate a.db "$D2"
expect_rc 0
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "the second try: $out"

# --- it keeps working -------------------------------------------------------
# New rows get new ids: the identity sequences were moved past the copied ones.
{ head -1 one.csv; sed -n '402,421p' "$DOCKET_ROOT/sample-data/credit.csv"; } >three.csv
run "$DOCKET" import "$D1" three.csv --model credit
expect_rc 0
[ "$(psql -qAtX -d d1 -c "SELECT max(id) FROM docket.batches")" = 3 ] || fail "the new batch's id"
[ "$(psql -qAtX -d d1 -c "SELECT count(*), max(id) FROM docket.cases")" = "420|420" ] || fail "the new cases"
# The reviewers' rows came along; their database roles are the
# administrator's to grant.
psql -qX -v ON_ERROR_STOP=1 -d d1 -c "SELECT docket.grant_role('ann', 'reviewer')" >/dev/null
run "$DOCKET" next "$(uri d1 ann)"
expect_rc 0
c=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
[ "$c" != "$held" ] || fail "the copy gave out ann's held case again"
run "$DOCKET" decide "$(uri d1 ann)" "$c" --action accept
expect_rc 0
run "$DOCKET" decide "$(uri d1 ann)" "$held" --action accept
expect_rc 0 # the lease came along

# --- the same store on both engines -------------------------------------
# (run after the copy's own checks: these need the whole engine)
run "$DOCKET" verify "$D2"
expect_rc 0
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "verify d2: $out"
run "$DOCKET" verify "$D1" --expect-head "$head"
expect_rc 0
norm() { sed -e "s|$(uri d2 "$me")|STORE|g" -e "s|a\.db|STORE|g"; }
for cmd in "queue" "queue --json" "log --format jsonl" "log --format csv" \
	"cases --format csv" "stats --format json"; do
	# shellcheck disable=SC2086
	"$DOCKET" $cmd a.db 2>&1 | norm >lite.txt
	# shellcheck disable=SC2086
	"$DOCKET" $cmd "$D2" 2>&1 | norm >pg.txt
	cmp -s lite.txt pg.txt || fail "docket $cmd differs between SQLite and PostgreSQL:
$(diff lite.txt pg.txt | head)"
done
echo ok
