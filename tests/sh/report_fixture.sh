# report_fixture.sh: report_fixture STORE [ROWS]: a store with real decisions
# made by the real commands, for the report tests and the README's picture:
# the first ROWS (default 300) credit applications, policy with an audit
# sample and double reviews, reviewers ann and bob deciding over three days
# (accepts, overrides, escalations with reasons), the owner resolving the
# escalations and disputes, one export and one reveal. Sourced after lib.sh.

# report_decide STORE REVIEWER DAY I: claim the next case as REVIEWER and
# decide it; the I-th decision overall picks the action. Prints nothing;
# returns 1 when the queue is empty.
report_decide() {
	nx=$(DOCKET_NOW="$3" "$DOCKET" next "$1" --reviewer "$2")
	id=$(printf '%s\n' "$nx" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
	[ -n "$id" ] || return 1
	pred=$(printf '%s\n' "$nx" | sed -n 's/.*"prediction":"\([^"]*\)".*/\1/p')
	other=good
	[ "$pred" = good ] && other=bad
	case $(($4 % 9)) in
	0 | 4) DOCKET_NOW="$3" "$DOCKET" decide "$1" "$id" --reviewer "$2" --model credit \
		--action override --label "$other" --reason ambiguous --seconds 20 >/dev/null ;;
	7) DOCKET_NOW="$3" "$DOCKET" decide "$1" "$id" --reviewer "$2" --model credit \
		--action escalate --reason missing-context --seconds 40 >/dev/null ;;
	*) DOCKET_NOW="$3" "$DOCKET" decide "$1" "$id" --reviewer "$2" --model credit \
		--action accept --seconds 12 >/dev/null ;;
	esac
}

report_fixture() {
	rows=${2:-300}
	head -n $((rows + 1)) "$DOCKET_ROOT/sample-data/credit.csv" >credit-part.csv
	DOCKET_NOW=2026-03-01T08:00:00Z "$DOCKET" import "$1" credit-part.csv \
		--model credit@v3 --threshold 0.85 >/dev/null
	DOCKET_NOW=2026-03-01T08:30:00Z "$DOCKET" policy "$1" --model credit \
		--audit-rate 0.3 --double-rate 0.5 >/dev/null
	# (every command on the clock of the story: an entry at today's time
	# would hold every later entry's time at today, times never falling)
	DOCKET_NOW=2026-03-01T08:40:00Z "$DOCKET" reviewer add "$1" ann >/dev/null
	DOCKET_NOW=2026-03-01T08:41:00Z "$DOCKET" reviewer add "$1" bob >/dev/null
	i=0
	for day in 02 03 04; do
		for h in 09 10 11 12 13 14; do
			for m in 05 20 35 50; do
				i=$((i + 1))
				who=ann
				[ $((i % 2)) = 0 ] && who=bob
				report_decide "$1" $who "2026-03-${day}T$h:$m:00Z" $i ||
					report_decide "$1" ann "2026-03-${day}T$h:$m:30Z" $i || true
			done
		done
	done
	# the owner resolves what waits for a supervisor: escalations first
	# (which cases the audit sample routes depends on the model's random
	# salt, so disputes may come first by id: the report tests look for a
	# resolved escalation)
	me=$(id -un)
	for id in $(sql "$1" \
		"SELECT ext_id FROM cases WHERE state IN ('escalated','disputed')
		 ORDER BY state = 'escalated' DESC, id LIMIT 6"); do
		DOCKET_NOW=2026-03-04T16:00:00Z "$DOCKET" decide "$1" "$id" --reviewer "$me" \
			--model credit --action resolve --label good >/dev/null
	done
	DOCKET_NOW=2026-03-04T17:00:00Z "$DOCKET" export "$1" --out export.csv \
		--model credit >/dev/null
	DOCKET_NOW=2026-03-04T17:05:00Z "$DOCKET" stats "$1" --by pii:name --reveal \
		--format json >/dev/null
}
