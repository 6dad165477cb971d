# One queue index (issue 17, schema v7): cases_queue_model alone. Claims
# over every model and `docket cases --state queued` come in claim order
# over all models (priority, then urgency, then id), exactly the order the
# dropped index over all models gave; a store of an older docket (v6, with
# that index) loses it when opened and claims in the same order.
. "$DOCKET_TESTS/sh/lib.sh"

# gen MODEL SEED: 40 rows, priorities 0-2 and ten confidences (all
# routed: below the default threshold), so the models interleave and some
# cases of different models tie on both
gen() {
	awk -v m="$1" -v s="$2" 'BEGIN {
		print "id,prediction,confidence,priority"
		for (i = 0; i < 40; i++) {
			s = (s * 1103515245 + 12345) % 2147483648
			printf "%s-%02d,yes,%.2f,%d\n", m, i, 0.3 + int(s / 65536) % 10 * 0.05, int(s / 16) % 3
		}
	}'
}
for m in alpha beta gamma; do
	gen $m ${#m}7 >$m.csv
	run "$DOCKET" import s.db $m.csv --model $m
	expect_rc 0
done
run "$DOCKET" reviewer add s.db ann
expect_rc 0

# the store as an older docket left it: version 6, both queue indexes
if [ "$test_engine" = postgres ]; then
	sql_forge s.db "CREATE INDEX cases_queue ON cases(priority DESC, urgency, id)
		WHERE state = 'queued'; UPDATE meta SET value = '6' WHERE key = 'schema_version'"
	has_old() { sql s.db "SELECT count(*) FROM pg_indexes WHERE indexname = 'cases_queue' AND schemaname = 'docket'"; }
	old_order="SELECT ext_id FROM cases WHERE state = 'queued' ORDER BY priority DESC, urgency, id"
else
	sql_forge s.db "CREATE INDEX cases_queue ON cases(priority DESC, urgency, id)
		WHERE state = 'queued'; PRAGMA user_version = 6"
	has_old() { sql s.db "SELECT count(*) FROM sqlite_schema WHERE name = 'cases_queue'"; }
	# the order the old index itself gives
	old_order="SELECT ext_id FROM cases INDEXED BY cases_queue WHERE state = 'queued' ORDER BY priority DESC, urgency, id"
fi
[ "$(has_old)" = 1 ] || fail "the v6 store has no cases_queue"
want=$(sql s.db "$old_order")
[ "$(printf '%s\n' "$want" | wc -l)" -gt 60 ] || fail "too few queued: $want"
# (and the models interleave in it: the merge is what is tested)
runs=$(printf '%s\n' "$want" | sed 's/-.*//' | uniq | wc -l)
[ "$runs" -gt 20 ] || fail "the models do not interleave ($runs runs)"

# opening it migrates: the index over all models is gone
run "$DOCKET" queue s.db
expect_rc 0
[ "$(has_old)" = 0 ] || fail "cases_queue is still there after the migration"
if [ "$test_engine" = sqlite ]; then
	[ "$(sql s.db "PRAGMA user_version")" -ge 7 ] || fail "user_version $(sql s.db "PRAGMA user_version")"
fi

# docket cases: the whole queue, and its head with --limit
run "$DOCKET" cases s.db --state queued --format csv
expect_rc 0
got=$(printf '%s\n' "$out" | sed 1d | cut -d, -f1)
[ "$got" = "$want" ] || fail "cases --state queued: $(printf '%s\n' "$got" | head -5) ... want $(printf '%s\n' "$want" | head -5) ..."
run "$DOCKET" cases s.db --state queued --format csv --limit 7
got=$(printf '%s\n' "$out" | sed 1d | cut -d, -f1)
[ "$got" = "$(printf '%s\n' "$want" | head -n 7)" ] || fail "--limit 7: $got"

# claims over every model, one after another, in that order
n=0
for id in $want; do
	n=$((n + 1))
	run "$DOCKET" next s.db --reviewer ann
	expect_rc 0
	case "$out" in "{\"id\":\"$id\","*) ;;
	*) fail "claim $n: $(echo "$out" | cut -c1-40), want $id" ;; esac
done
run "$DOCKET" next s.db --reviewer ann
expect_out '"empty":true'
