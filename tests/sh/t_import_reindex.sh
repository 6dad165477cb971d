# The queue index built in one sorted pass (issue 17, imports of 10M rows):
# an import whose file holds at least 2M rows and at least as many rows as
# the store holds cases drops cases_queue_model inside its transaction and builds it again just
# before the commit. The index it leaves is the schema's: every table,
# index and trigger of sqlite_schema as a fresh store's, the same query
# plan for a claim, every queued case in it, its row in its place in
# sqlite_schema. A smaller import, or one from a pipe, leaves the index
# alone. An import that fails after the drop (a bad value or a duplicate
# id near the end of the file) leaves the index there, untouched.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the queue index of the SQLite file"

# schema STORE: every table, index, trigger and view, by name, as text
schema() {
	sql "$1" "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '-')
		FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
}
# order STORE: the names in sqlite_schema's own order (the planner meets a
# table's indexes in it; .dump lists them so)
order() {
	sql "$1" "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY rowid" | tr '\n' ' '
}
# cookie STORE: the schema's change counter (a drop and a create move it)
cookie() {
	sql "$1" "PRAGMA schema_version"
}
# claim_plan STORE: the plan of a claim's seek for model 1
claim_plan() {
	sql "$1" "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE model_id = 1
		AND state = 'queued' ORDER BY priority DESC, urgency, id LIMIT 1" |
		sed 's/^[0-9|]*//'
}
# whole STORE: integrity_check passes and the index holds every queued case
whole() {
	[ "$(sql "$1" "PRAGMA integrity_check")" = ok ] || fail "integrity_check: $(sql "$1" "PRAGMA integrity_check")"
	n=$(sql "$1" "SELECT count(*) FROM cases INDEXED BY cases_queue_model WHERE state = 'queued'")
	m=$(sql "$1" "SELECT count(*) FROM cases NOT INDEXED WHERE state = 'queued'")
	[ "$n" = "$m" ] || fail "the queue index holds $n cases, the table $m queued"
	[ "$m" -gt 0 ] || fail "nothing queued"
}

run "$DOCKET" init fresh.db
expect_rc 0
want=$(schema fresh.db)
want_plan=$(claim_plan fresh.db)
case "$want_plan" in *cases_queue_model*) ;; *) fail "a fresh store's claim does not use the index: $want_plan" ;; esac

# The class: every index on cases is one an import fills in key order, or
# this queue index, which is built again. In key order: the ids grow (the
# unique one too for files whose ids grow; it stays live either way to name
# a duplicate's line), or nothing an import writes is in it. A new index on
# cases must join one of the lists: one filled in random order outgrows the
# page cache at 10M rows and has every insert read a page back.
in_order="cases_auto_version cases_batch cases_final cases_gold cases_reviewed cases_waiting sqlite_autoindex_cases_1"
got=$(sql fresh.db "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cases'
	AND name <> 'cases_queue_model' ORDER BY name" | tr '\n' ' ')
[ "$got" = "$in_order " ] || fail "the indexes on cases are not the ones known to take an import in key order: $got"

python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 3000 --seed 5 --out a.csv
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 4000 --seed 6 --out b.csv
head -101 a.csv >small.csv

# Below 2M rows the index stays live whatever the store holds (it fits
# the page cache); the test build lowers that minimum for the rest.
run "$DOCKET" import live.db a.csv --model a
expect_rc 0
[ "$(cookie live.db)" = "$(cookie fresh.db)" ] || fail "a 3000-row file built the queue index again"
[ "$(schema live.db)" = "$want" ] || fail "the schema differs from a fresh store's"
whole live.db
export DOCKET_REINDEX_MIN_ROWS=0

# A new store: the file is big against the store's 0 cases: rebuilt.
run "$DOCKET" import s.db a.csv --model a
expect_rc 0
[ "$(cookie s.db)" -gt "$(cookie fresh.db)" ] || fail "the queue index was not built again"
[ "$(schema s.db)" = "$want" ] || fail "the schema differs from a fresh store's:
$(schema s.db)"
[ "$(claim_plan s.db)" = "$want_plan" ] || fail "the claim's plan differs: $(claim_plan s.db)"
[ "$(order s.db)" = "$(order fresh.db)" ] || fail "sqlite_schema's order differs: $(order s.db)"
whole s.db
row=$(cookie s.db)

# 100 rows into 3000 cases: the index stays live.
run "$DOCKET" import s.db small.csv --model small
expect_rc 0
[ "$(cookie s.db)" = "$row" ] || fail "a small import built the index again"
whole s.db

# From a pipe the size is unknown: the index stays live.
cat b.csv | run "$DOCKET" import s.db /dev/stdin --format csv --model pipe
expect_rc 0
[ "$(cookie s.db)" = "$row" ] || fail "an import from a pipe built the index again"
whole s.db
store_rm s.db
run "$DOCKET" import s.db a.csv --model a
expect_rc 0
row=$(cookie s.db)
before=$(sql s.db "SELECT count(*) FROM cases")

# 4000 rows into 3000 cases, the last line bad: dropped, then rolled back.
cp b.csv bad.csv
echo "g-9999999,good,notanumber,0.5,0.5,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,," >>bad.csv
run "$DOCKET" import s.db bad.csv --model b
[ "$rc" -ne 0 ] || fail "the bad file was imported"
expect_err "bad.csv:4002:3"
[ "$(cookie s.db)" = "$row" ] || fail "the failed import changed the schema's counter"
[ "$(schema s.db)" = "$want" ] || fail "a failed import changed the schema:
$(schema s.db)"
[ "$(sql s.db "SELECT count(*) FROM cases")" = "$before" ] || fail "the failed import left cases"
whole s.db

# The same with a duplicate id on the last line (found by the unique index,
# which stays live).
cp b.csv dup.csv
sed -n 3000p b.csv >>dup.csv
run "$DOCKET" import s.db dup.csv --model b
[ "$rc" -ne 0 ] || fail "the file with a duplicate id was imported"
expect_err "dup.csv:4002"
expect_err "$(sed -n 3000p b.csv | cut -d, -f1)"
[ "$(cookie s.db)" = "$row" ] || fail "the failed import left another index"
[ "$(schema s.db)" = "$want" ] || fail "a failed import changed the schema"
whole s.db

# And the good file: rebuilt, the same index, every queued case in it.
run "$DOCKET" import s.db b.csv --model b
expect_rc 0
[ "$(cookie s.db)" -gt "$row" ] || fail "the queue index was not built again"
[ "$(schema s.db)" = "$want" ] || fail "the schema differs from a fresh store's"
[ "$(claim_plan s.db)" = "$want_plan" ] || fail "the claim's plan differs"
[ "$(order s.db)" = "$(order fresh.db)" ] || fail "sqlite_schema's order differs: $(order s.db)"
whole s.db
run "$DOCKET" verify s.db
expect_rc 0

# After an ANALYZE (by hand: docket runs none) the index stays live, so
# its figures in sqlite_stat1 stay too.
sql s.db "ANALYZE"
stat=$(sql s.db "SELECT stat FROM sqlite_stat1 WHERE idx = 'cases_queue_model'")
[ -n "$stat" ] || fail "ANALYZE left no figures for the queue index"
row=$(cookie s.db)
# (8000 rows into 7000 cases: built again without the ANALYZE)
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 8000 --seed 7 --out c.csv
run "$DOCKET" import s.db c.csv --model c
expect_rc 0
[ "$(cookie s.db)" = "$row" ] || fail "the index was built again after an ANALYZE"
[ "$(sql s.db "SELECT stat FROM sqlite_stat1 WHERE idx = 'cases_queue_model'")" = "$stat" ] ||
	fail "the queue index lost its figures in sqlite_stat1"
