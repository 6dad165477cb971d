# kill -9 in the middle of an export: never a partial file under the final
# name (only its hidden temporary file), nothing recorded, the store
# intact; the next export works.
. "$DOCKET_TESTS/sh/lib.sh"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
# Enough rows that the export is still running when it is killed.
sqlite3 s.db "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO cases(model_id, batch_id, ext_id, line, prediction, confidence, probs,
  attributions, context, state, policy_version, urgency)
SELECT model_id, batch_id, ext_id || '-' || i, line, prediction, confidence, probs,
  attributions, context, state, policy_version, urgency FROM cases, n
WHERE cases.model_id = 1;"
killed=0
finished=0
for delay in 0.05 0.2 0.4; do
	"$DOCKET" export s.db --out big.csv --only all >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	if [ -e big.csv ]; then
		# Finished before the kill: then it is whole and recorded.
		[ "$(sql s.db "SELECT json_extract(detail, '\$.sha256') FROM decisions
		  WHERE action = 'export' ORDER BY seq DESC LIMIT 1")" = \
		  "$(sha256sum big.csv | cut -d' ' -f1)" ] || fail "big.csv is not the recorded export"
		rm big.csv
		finished=$((finished + 1))
	fi
	# A killed export can only leave its hidden temporary file.
	if ls .big.csv.tmp-* >/dev/null 2>&1; then
		killed=$((killed + 1))
		rm -f .big.csv.tmp-*
	fi
done
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = "$finished" ] ||
	fail "an export that did not finish was recorded"
[ "$killed" -gt 0 ] || fail "no export was killed midway; the test proved nothing"
[ "$(sql s.db "PRAGMA integrity_check")" = ok ] || fail "store damaged"
run "$DOCKET" export s.db --out big.csv --only all
expect_rc 0
expect_out "exported 271694 rows"
