# A running export does not pin the WAL: it reads in short transactions, so
# while it runs, decisions are written and a full checkpoint (TRUNCATE) can
# still empty the WAL.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "a reader holding the WAL back, and the -wal file's checkpoint"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
sqlite3 s.db "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO cases(model_id, batch_id, ext_id, line, prediction, confidence, probs,
  attributions, context, state, policy_version, urgency)
SELECT model_id, batch_id, ext_id || '-' || i, line, prediction, confidence, probs,
  attributions, context, state, policy_version, urgency FROM cases, n
WHERE cases.model_id = 1;"

"$DOCKET" export s.db --out all.csv --only all >/dev/null &
pid=$!
# checks start once the export writes its file (it has opened the store
# and is reading): a slow start under load is not a pinned WAL
i=0
until ls .all.csv.tmp-* >/dev/null 2>&1 || ! kill -0 $pid 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 400 ] || fail "the export never started writing"
	sleep 0.025
done
checked=0
while kill -0 $pid 2>/dev/null; do
	"$DOCKET" reviewer add s.db "r$checked" >/dev/null
	# busy|log|checkpointed: 0|0|0 = the WAL was checkpointed and emptied.
	res=$(sqlite3 -batch s.db ".timeout 2000" "PRAGMA wal_checkpoint(TRUNCATE)")
	if kill -0 $pid 2>/dev/null; then
		[ "$res" = "0|0|0" ] || fail "checkpoint during the export: $res"
		# (no WAL file at all is empty too: the export may have closed
		# the store and be exiting, leaving the CLI the last connection)
		# The one write allowed is the export's own entry as it finishes
		# (it is still alive between that commit and exiting).
		[ ! -e s.db-wal ] || [ "$(stat -c %s s.db-wal)" = 0 ] ||
			[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" != 0 ] ||
			fail "WAL not emptied"
		checked=$((checked + 1))
	fi
	sleep 0.1
done
wait $pid || fail "export failed"
[ "$checked" -gt 0 ] || fail "the export ended before a checkpoint ran; the test proved nothing"
echo "checkpoints while exporting: $checked"
[ "$(($(wc -l <all.csv) - 1))" = 271694 ] || fail "export rows $(wc -l <all.csv)"
