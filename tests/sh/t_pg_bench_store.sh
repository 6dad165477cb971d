# bench/pg-store.sh, the PostgreSQL store bench/pg.sh claims and decides
# on (10M cases in minutes, where `docket migrate` of bench/make-store.sh's
# SQLite store would take most of an hour), is that store moved by migrate:
# the same cases byte for byte (ids, ext ids, labels, confidences as
# doubles, probabilities as SQLite prints them, masked contexts with the
# personal values in case_pii, states, priorities), counters, batches and
# indexes, over two models; `docket verify` passes on it; a reviewer claims
# and decides on it, and an import gets the next case ids.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE ann LOGIN;
CREATE DATABASE moved;
CREATE DATABASE made;
SQL
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=${2:-$me}"; }
n=6000
DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/make-store.sh" lite.db $n 2 2>/dev/null
run "$DOCKET" migrate lite.db "$(uri moved)"
expect_rc 0
run env DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/pg-store.sh" "$(uri made)" $n 2
expect_rc 0
expect_err "made $(uri made): $n cases in"
rows() { # rows DB: what must be the same (not the random salts and sums)
	PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -v ON_ERROR_STOP=1 -d "$1" \
		-c "SELECT c.*, p.context FROM cases c LEFT JOIN case_pii p ON p.case_id = c.id ORDER BY c.id" \
		-c "SELECT * FROM counters ORDER BY 1, 2" \
		-c "SELECT id, model_id, model_version, source_file, format, rows, routed FROM batches ORDER BY id" \
		-c "SELECT id, name, labels FROM models ORDER BY id" \
		-c "SELECT indexdef FROM pg_indexes WHERE schemaname = 'docket' ORDER BY 1"
}
rows moved >moved.txt
rows made >made.txt
[ "$(grep -c '|queued|' made.txt)" -gt 1000 ] || fail "few queued cases: $(head -3 made.txt)"
grep -q 'e-05' made.txt || fail "no probability below 1e-4 was made (the exponent's case)"
cmp -s moved.txt made.txt || fail "pg-store.sh's store differs from migrate's:
$(diff moved.txt made.txt | head -n 10)"
run "$DOCKET" verify "$(uri made)"
expect_rc 0
expect_out "cases: $n rows"
"$DOCKET" reviewer add "$(uri made)" ann >/dev/null
run "$DOCKET" next "$(uri made ann)"
expect_rc 0
id=${out#'{"id":"'}
id=${id%%'"'*}
run "$DOCKET" decide "$(uri made ann)" "$id" --action accept
expect_rc 0
expect_out '"state":"done"'
run "$DOCKET" import "$(uri made)" "$DOCKET_ROOT/sample-data/credit.csv" --model fresh
expect_rc 0
[ "$(psql -qAtX -d made -c "SELECT min(c.id) FROM docket.cases c
	JOIN docket.models m ON m.id = c.model_id WHERE m.name = 'fresh'")" = $((n + 1)) ] ||
	fail "the import's cases did not follow the made ones"
run "$DOCKET" verify "$(uri made)"
expect_rc 0
