# crash_import.sh: kill -9 at random moments during `docket import`.
# Each round starts an import of a large CSV or JSON Lines file and kills it
# after a random delay drawn from the whole span of an import (0 to 150% of
# its undisturbed duration, as a busy machine stretches it: start-up,
# reading, inserting, commit, exit). After
# every kill: the store passes integrity_check and `docket verify`, its
# counters equal the real counts, it holds the whole file (batch row, every
# case, the same states as an undisturbed import) or none of it, and the
# decisions made before are all there. Run in an empty directory:
#   DOCKET=build/docket DOCKET_ROOT=. DOCKET_TORTURE_ROUNDS=100 \
#       sh tests/torture/crash_import.sh
KIND=import
. "$DOCKET_ROOT/tests/torture/lib.sh"
ROUNDS=${DOCKET_TORTURE_ROUNDS:-100}
CSV_ROWS=${DOCKET_TORTURE_IMPORT_ROWS:-80000}
JSONL_ROWS=$((CSV_ROWS / 3))
# The test build's minimum for building the queue index again at the end
# (import.c, 2M rows otherwise): the CSV's rounds build it, the JSON
# Lines' fill it live, so kills land in both.
export DOCKET_REINDEX_MIN_ROWS=$((CSV_ROWS / 2))

python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows "$CSV_ROWS" --seed 7 --out big.csv
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows "$JSONL_ROWS" --seed 8 \
	--format jsonl --out big.jsonl

# The store each round starts from: the sample file's model, and decisions
# made (and acknowledged) before any import is killed.
"$DOCKET" import base.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add base.db ann >/dev/null
: >acked.csv
i=0
while [ $i -lt 10 ]; do
	id=$("$DOCKET" next base.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
	out=$("$DOCKET" decide base.db "$id" --reviewer ann --action accept)
	ack_line "$out" ann accept "$id" >>acked.csv
	i=$((i + 1))
done
# nothing of an import: cases, batches and counters as before it
snapshot() {
	q "$1" "SELECT (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM batches)
		|| '/' || (SELECT group_concat(model_id || ':' || state || ':' || n, ' ')
		FROM (SELECT * FROM counters WHERE n <> 0 ORDER BY 1, 2))"
}
base_snap=$(snapshot base.db)

# An undisturbed import of each file: how long it takes, and the states
# its cases end in (routing is deterministic for an existing model).
batch_states() {
	q "$1" "SELECT group_concat(state || ':' || n, ' ') FROM (SELECT state, count(*) AS n
		FROM cases WHERE batch_id = (SELECT id FROM batches WHERE source_file = '$2')
		GROUP BY state ORDER BY state)"
}
# (The time is the faster of two runs.)
for f in big.csv big.jsonl; do
	t=
	for run in 1 2; do
		rm -f ref.db ref.db-wal ref.db-shm
		cp base.db ref.db
		t0=$(now_ms)
		"$DOCKET" import ref.db "$f" --model credit >/dev/null
		t1=$(now_ms)
		[ -n "$t" ] && [ "$t" -lt $((t1 - t0)) ] || t=$((t1 - t0))
	done
	case $f in
	*.csv) t_csv=$t; states_csv=$(batch_states ref.db "$f") ;;
	*) t_jsonl=$t; states_jsonl=$(batch_states ref.db "$f") ;;
	esac
done
echo "$KIND: an undisturbed import takes $t_csv ms ($CSV_ROWS CSV rows), $t_jsonl ms ($JSONL_ROWS JSON Lines rows)"

reset_store() {
	rm -f s.db s.db-wal s.db-shm
	cp base.db s.db
}
reset_store
finished=0
after_commit=0
ROUND=$START
end=$((START + ROUNDS))
while [ "$ROUND" -lt "$end" ]; do
	rng_seed $((SEED + ROUND * 7919))
	rnd 3
	if [ "$R" = 0 ]; then
		f=big.jsonl rows=$JSONL_ROWS t=$t_jsonl states=$states_jsonl
	else
		f=big.csv rows=$CSV_ROWS t=$t_csv states=$states_csv
	fi
	kill_delay "$t"
	delay=$R
	kill_after "$delay" import "$DOCKET" import s.db "$f" --model credit
	bad=0
	nb=$(q s.db "SELECT count(*) FROM batches WHERE source_file = '$f'")
	[ "$rc" = 137 ] && [ "$nb" != 0 ] && after_commit=$((after_commit + 1))
	if [ "$nb" = 0 ]; then
		[ "$rc" != 0 ] || { note "import said it finished, but its batch is not there"; LOST=$((LOST + 1)); }
		snap=$(snapshot s.db)
		[ "$snap" = "$base_snap" ] ||
			{ note "a killed import ($f after ${delay} ms) left something: $snap, not $base_snap"; bad=1; }
	else
		got=$(q s.db "SELECT rows || '/' || (SELECT count(*) FROM cases
			WHERE batch_id = b.id) FROM batches b WHERE source_file = '$f'")
		[ "$got" = "$rows/$rows" ] ||
			{ note "import of $f is partial: batch rows/cases $got, not $rows/$rows"; bad=1; }
		got=$(batch_states s.db "$f")
		[ "$got" = "$states" ] ||
			{ note "import of $f routed differently: $got, not $states"; bad=1; }
	fi
	check_store s.db || bad=1
	check_acked s.db acked.csv || bad=1
	if [ $bad = 1 ]; then
		CORRUPT=$((CORRUPT + 1))
		note "kill after ${delay} ms of $f (exit $rc); store kept as corrupt-$ROUND.db"
		cp s.db "corrupt-$ROUND.db"
		[ -e s.db-wal ] && cp s.db-wal "corrupt-$ROUND.db-wal"
		reset_store
	elif [ "$nb" != 0 ]; then
		reset_store # it finished: start the next round without it
	fi
	ROUNDS_DONE=$((ROUNDS_DONE + 1))
	ROUND=$((ROUND + 1))
done

# After all that, the file imports whole: the killed attempts left nothing
# that makes it look imported already.
if [ "$(q s.db "SELECT count(*) FROM batches WHERE source_file = 'big.csv'")" = 0 ]; then
	if ! "$DOCKET" import s.db big.csv --model credit >import.out 2>import.err; then
		note "the import after the kills failed: $(cat import.err)"
		ERRORS=$((ERRORS + 1))
	elif [ "$(batch_states s.db big.csv)" != "$states_csv" ]; then
		note "the import after the kills is not whole: $(batch_states s.db big.csv)"
		CORRUPT=$((CORRUPT + 1))
	fi
	check_store s.db || CORRUPT=$((CORRUPT + 1))
fi
echo "$KIND: of the kills, $((MID - after_commit)) landed before the commit and $after_commit after it (before the process ended); $finished imports finished first"
summary
