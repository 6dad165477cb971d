# crash_export.sh: kill -9 at random moments during `docket export`.
# Each round exports every case (CSV or JSON Lines) of a large store and
# kills the export after a random delay drawn from the whole span of an
# export (0 to 150% of its undisturbed duration, as a busy machine stretches
# it), sometimes over a complete
# file left under the same name by an earlier round. After every kill:
#   - under the final name there is no file, or a complete one: the same
#     bytes (so the same rows) as an undisturbed export;
#   - if the export's audit entry exists, its row count and SHA-256 are the
#     file's, and a file is there; an export that said it finished has one;
#   - nothing else is left but the export's hidden temporary files, and the
#     next export works with them there;
#   - the store passes integrity_check and `docket verify`, and the
#     decisions made before are all there.
# Run in an empty directory:
#   DOCKET=build/docket DOCKET_ROOT=. DOCKET_TORTURE_ROUNDS=100 \
#       sh tests/torture/crash_export.sh
KIND=export
. "$DOCKET_ROOT/tests/torture/lib.sh"
ROUNDS=${DOCKET_TORTURE_ROUNDS:-100}
CASES=${DOCKET_TORTURE_EXPORT_CASES:-100000}

DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/make-store.sh" s.db "$CASES" 2>/dev/null
"$DOCKET" reviewer add s.db ann >/dev/null
: >acked.csv
i=0
while [ $i -lt 10 ]; do
	id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
	out=$("$DOCKET" decide s.db "$id" --reviewer ann --action accept)
	ack_line "$out" ann accept "$id" >>acked.csv
	i=$((i + 1))
done
mkdir out

# An undisturbed export of each format: its time (the faster of two runs),
# rows and bytes.
for fmt in csv jsonl; do
	t=
	for run in 1 2; do
		t0=$(now_ms)
		"$DOCKET" export s.db --out "ref.$fmt" --format $fmt --only all >/dev/null
		t1=$(now_ms)
		[ -n "$t" ] && [ "$t" -lt $((t1 - t0)) ] || t=$((t1 - t0))
	done
	sha=$(sha256sum "ref.$fmt" | cut -d' ' -f1)
	case $fmt in
	csv) t_csv=$t sha_csv=$sha ;;
	*) t_jsonl=$t sha_jsonl=$sha ;;
	esac
done
echo "$KIND: an undisturbed export of $CASES cases takes $t_csv ms (CSV), $t_jsonl ms (JSON Lines)"

exports() { q s.db "SELECT count(*) FROM decisions WHERE action = 'export'"; }
finished=0
renamed=0  # killed after the rename, before the audit entry
recorded=0 # killed after the audit entry, before the process ended
ROUND=$START
end=$((START + ROUNDS))
while [ "$ROUND" -lt "$end" ]; do
	rng_seed $((SEED + ROUND * 7919))
	rnd 2
	if [ "$R" = 0 ]; then fmt=csv t=$t_csv ref=$sha_csv; else fmt=jsonl t=$t_jsonl ref=$sha_jsonl; fi
	f=out/all.$fmt
	rnd 2
	[ "$R" = 0 ] && rm -f "$f" # else an earlier complete file stays there
	had=0
	[ -e "$f" ] && had=1
	n0=$(exports)
	kill_delay "$t"
	delay=$R
	kill_after "$delay" export "$DOCKET" export s.db --out "$f" --format $fmt --only all
	bad=0
	n1=$(exports)
	if [ "$rc" = 137 ]; then
		if [ "$n1" != "$n0" ]; then recorded=$((recorded + 1))
		elif [ "$had" = 0 ] && [ -e "$f" ]; then renamed=$((renamed + 1))
		fi
	fi
	if [ -e "$f" ]; then
		got=$(sha256sum "$f" | cut -d' ' -f1)
		if [ "$got" != "$ref" ]; then
			note "$f is not a complete export ($(wc -l <"$f") lines; killed after $delay ms)"
			bad=1
		fi
	fi
	case $((n1 - n0)) in
	0)
		[ "$rc" != 0 ] || { note "the export said it finished but is not on record"; bad=1; }
		;;
	1)
		rec=$(q s.db "SELECT json_extract(detail, '\$.rows') || ' ' ||
			json_extract(detail, '\$.sha256') FROM decisions
			WHERE action = 'export' ORDER BY seq DESC LIMIT 1")
		if [ ! -e "$f" ]; then
			note "an export is on record but $f is not there"
			bad=1
		elif [ "$rec" != "$CASES $(sha256sum "$f" | cut -d' ' -f1)" ]; then
			note "the audit entry ($rec) is not $f"
			bad=1
		fi
		;;
	*) note "$((n1 - n0)) audit entries for one export"; bad=1 ;;
	esac
	# nothing but the export's hidden temporary files
	stray=$(ls -A out | grep -v "^all\.csv$" | grep -v "^all\.jsonl$" |
		grep -v '^\.all\.\(csv\|jsonl\)\.tmp-......$' || true)
	[ -z "$stray" ] || { note "left in out/: $stray"; bad=1; }
	check_store s.db || bad=1
	check_acked s.db acked.csv || bad=1
	if [ $bad = 1 ]; then
		CORRUPT=$((CORRUPT + 1))
		note "export $fmt killed after $delay ms (exit $rc, a file there before: $had)"
	fi
	# Temporary files of killed exports stay a few rounds, so that later
	# exports run beside them; then they go (they are large).
	[ $((ROUND % 4)) != 0 ] || rm -f out/.all.*.tmp-*
	ROUNDS_DONE=$((ROUNDS_DONE + 1))
	ROUND=$((ROUND + 1))
done

# The next export works, beside whatever the killed ones left.
if ! "$DOCKET" export s.db --out out/all.csv --only all >export.out 2>export.err; then
	note "the export after the kills failed: $(cat export.err)"
	ERRORS=$((ERRORS + 1))
elif [ "$(sha256sum out/all.csv | cut -d' ' -f1)" != "$sha_csv" ]; then
	note "the export after the kills differs from an undisturbed one"
	CORRUPT=$((CORRUPT + 1))
fi
echo "$KIND: of the kills, $renamed landed between the rename and the audit entry, $recorded after the entry; $finished exports finished first; $(ls -A out | grep -c tmp- || true) temporary files left at the end"
summary
