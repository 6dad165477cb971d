# kill -9 in the middle of an export: never a partial file under the final
# name (only its hidden temporary file), nothing recorded, the store
# intact; the next export works and removes the temporary files killed
# exports left, but never one a running export holds.
. "$DOCKET_TESTS/sh/lib.sh"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
# Enough rows that the export is still running when it is killed (an
# export from PostgreSQL is slower: fewer do).
copies=60
on_sqlite || copies=8
sql_forge s.db "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $copies)
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
	fi
done
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = "$finished" ] ||
	fail "an export that did not finish was recorded"
[ "$killed" -gt 0 ] || fail "no export was killed midway; the test proved nothing"
# (the file's own check; a PostgreSQL server keeps its pages whole itself)
! on_sqlite || [ "$(sql s.db "PRAGMA integrity_check")" = ok ] || fail "store damaged"
run "$DOCKET" export s.db --out big.csv --only all
expect_rc 0
expect_out "exported $((4454 * (copies + 1))) rows"
# The orphans are gone (those young enough to belong to an export still
# starting are spared: make them look old first).
n=$(ls -A | grep -c '^\.big\.csv\.tmp-' || true)
if [ "$n" -gt 0 ]; then
	touch -d '1 minute ago' .big.csv.tmp-*
	run "$DOCKET" export s.db --out big.csv --only all
	expect_rc 0
	expect_err "docket: removed $n temporary file"
	expect_err "left by an interrupted export to big.csv"
fi
[ -z "$(ls -A | grep '^\.big\.csv\.tmp-')" ] || fail "temporary files left: $(ls -A)"

# A temporary file a live process holds (its flock) is not touched, nor are
# files of another name or of another pattern; once the holder is gone the
# file is an orphan and goes.
printf 'partial' >.big.csv.tmp-AbC123
printf 'partial' >.big.csv.tmp-short
printf 'partial' >.other.csv.tmp-AbC123
touch -d '1 minute ago' .big.csv.tmp-AbC123 .big.csv.tmp-short .other.csv.tmp-AbC123
# -o: the lock stays with flock itself, so killing it releases the lock
# (long enough for a slow export: killed below)
flock -o .big.csv.tmp-AbC123 sleep 600 &
holder=$!
i=0
until ! flock -n .big.csv.tmp-AbC123 true; do # until the holder has it
	sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || fail "flock holder did not start"
done
run "$DOCKET" export s.db --out big.csv --only all
expect_rc 0
case "$err" in *removed*) fail "removed a held file: $err" ;; esac
[ -e .big.csv.tmp-AbC123 ] || fail "an export removed a temporary file in use"
kill $holder
wait $holder 2>/dev/null || true
run "$DOCKET" export s.db --out big.csv --only all
expect_rc 0
expect_err "docket: removed 1 temporary file left by an interrupted export to big.csv"
[ ! -e .big.csv.tmp-AbC123 ] || fail "the orphan is still there"
[ -e .big.csv.tmp-short ] && [ -e .other.csv.tmp-AbC123 ] ||
	fail "removed files that are not this export's: $(ls -A)"
