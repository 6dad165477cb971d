# A gold case reads and sorts as the case it would be without its gold
# label: reviewers know the routing rules and see the confidence, so a
# "spot check" below the threshold, or one sorted by a draw among cases
# sorted by confidence, was certainly gold. One a rule routes reads that
# rule (stored "gold check; " and the rule) and sorts by its confidence; a
# confident one reads "spot check" as an audit sample does. Supervisors see
# "gold check". verify re-derives both forms, and a store whose gold cases
# were routed the old way (all "gold check") verifies before and after a
# policy change re-routes them.
. "$DOCKET_TESTS/sh/lib.sh"

cat >g.csv <<'EOF'
id,prediction,confidence,gold,text
n25,good,0.25,,plain
n29,good,0.29,,plain
g30,good,0.30,bad,low
n31,good,0.31,,plain
n35,good,0.35,,plain
g95,good,0.95,good,confident
n90,good,0.90,,confident
EOF
run "$DOCKET" import s.db g.csv --model m
expect_rc 0
expect_out "6 routed to review"
run "$DOCKET" reviewer add s.db ann
expect_rc 0
[ "$(sql s.db "SELECT route_reason || '|' || urgency || '|' || reviews_needed FROM cases WHERE ext_id = 'g30'")" = \
	"gold check; confidence 0.30 < 0.80|0.3|1" ] ||
	fail "g30 is not routed as its confidence rule: $(sql s.db "SELECT route_reason, urgency FROM cases WHERE ext_id = 'g30'")"
[ "$(sql s.db "SELECT route_reason FROM cases WHERE ext_id = 'g95'")" = "gold check" ] ||
	fail "g95 is not a plain gold check"

# supervisors: both gold, both forms
run "$DOCKET" cases s.db --reason gold --format jsonl
expect_rc 0
[ "$(printf '%s\n' "$out" | grep -c .)" = 2 ] || fail "--reason gold: $out"
expect_out '"id":"g30","model":"m","state":"queued","holder":null,"lease_expires":null,"reason":"gold check; confidence 0.30 < 0.80"'
expect_out '"reason":"gold check"'

# a reviewer's claims, in queue order: g30 among the others by its
# confidence, reading as they do; g95 (its urgency a draw) a spot check
order=""
for _ in 1 2 3 4 5 6; do
	run "$DOCKET" next s.db --reviewer ann
	expect_rc 0
	case "$out" in *gold*) fail "next shows gold: $out" ;; esac
	id=$(printf '%s' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
	case $id in
	g30) expect_out '"confidence":0.3,'
	     expect_out '"reason":"confidence 0.30 < 0.80"' ;;
	g95) expect_out '"reason":"spot check"' ;;
	n*) expect_out '"reason":"confidence 0.' ;;
	*) fail "unexpected: $out" ;;
	esac
	[ "$id" = g95 ] || order="$order $id"
done
[ "$order" = " n25 n29 g30 n31 n35" ] || fail "queue order:$order"
run "$DOCKET" cases s.db --as ann --reviewer ann --format jsonl
expect_rc 0
case "$out" in *gold*) fail "cases shows a reviewer gold: $out" ;; esac
expect_out '"id":"g30","model":"m","state":"held","holder":"ann","lease_expires":"'
expect_out '"reason":"confidence 0.30 < 0.80","priority":0'
expect_out '"reason":"spot check"'
run "$DOCKET" cases s.db --reason gold --format jsonl
expect_out '"reason":"gold check; confidence 0.30 < 0.80"'
# a reviewer's --reason matches what they read: g30 among the confidence
# cases, gold and audit both the spot checks (the stored reason would list
# exactly the gold ones); --limit counts what is listed
run "$DOCKET" cases s.db --as ann --reviewer ann --reason confidence --format jsonl
[ "$(printf '%s\n' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/' | sort | paste -sd,)" = g30,n25,n29,n31,n35 ] ||
	fail "ann's confidence cases: $out"
for r in gold audit; do
	run "$DOCKET" cases s.db --as ann --reviewer ann --reason $r --format jsonl
	expect_rc 0
	[ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] || fail "ann's --reason $r: $out"
	expect_out '"id":"g95"'
done
run "$DOCKET" cases s.db --as ann --reviewer ann --reason confidence --limit 2 --format jsonl
[ "$(printf '%s\n' "$out" | grep -c '"reason":"confidence')" = 2 ] || fail "--limit 2: $out"

run "$DOCKET" verify s.db
expect_rc 0
expect_out "routing agrees with the policies"
# each form is checked: the text, and the urgency
store_copy s.db f1.db
sql_forge f1.db "UPDATE cases SET route_reason = 'gold check' WHERE ext_id = 'g30'"
run "$DOCKET" verify f1.db
expect_rc 1
expect_err "case m/g30: its routing (reason 'gold check', urgency, reviews needed 1) is not what policy version 1 gives ('gold check; confidence 0.30 < 0.80', 1)"
store_copy s.db f2.db
sql_forge f2.db "UPDATE cases SET urgency = 0.2 WHERE ext_id = 'g30'"
run "$DOCKET" verify f2.db
expect_rc 1
expect_err "case m/g30: its routing (reason 'gold check; confidence 0.30 < 0.80', urgency"
store_copy s.db f3.db
sql_forge f3.db "UPDATE cases SET urgency = 0.5 WHERE ext_id = 'g95'"
run "$DOCKET" verify f3.db
expect_rc 1
expect_err "case m/g95: its routing (reason 'gold check', urgency"

# --- a store from before: every gold case "gold check", spread ------------
# (tests/sh/store-gold-old.sql says how it was made; on PostgreSQL it is
# moved there by docket migrate, history and all)
old_sqlite_store store-gold-old.sql old.db
if [ "$test_engine" = postgres ]; then
	# (the database's roles for its reviewers, as its administrator
	# would make them)
	for r in sam:supervisor ann:reviewer; do
		psql -qX -d postgres -c "CREATE ROLE ${r%:*} LOGIN" >/dev/null 2>&1 || true
		sql old.db "SELECT grant_role('${r%:*}', '${r#*:}')" >/dev/null
	done
fi
[ "$(sql old.db "SELECT policy FROM policies WHERE version = 1")" = \
	'{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0}' ] ||
	fail "the old store's policy: $(sql old.db "SELECT policy FROM policies")"
[ "$(sql old.db "SELECT count(*) FROM cases WHERE route_reason = 'gold check'")" = 3 ] ||
	fail "the old store's gold: $(sql old.db "SELECT ext_id, route_reason FROM cases")"
run "$DOCKET" verify old.db
expect_rc 0
expect_out "routing agrees with the policies"
# its version routes gold the old way: the new form is refused for it
store_copy old.db f4.db
sql_forge f4.db "UPDATE cases SET route_reason = 'gold check; confidence 0.60 < 0.80',
	urgency = 0.6 WHERE ext_id = 'g1'"
run "$DOCKET" verify f4.db
expect_rc 1
expect_err "case m/g1: its routing (reason 'gold check; confidence 0.60 < 0.80', urgency, reviews needed 1) is not what policy version 1 gives ('gold check', 1)"

# a policy change re-routes the undecided gold cases into the new form;
# g3, decided, keeps the routing it was decided under
run "$DOCKET" policy old.db --model m --threshold 0.7 --as sam
expect_rc 0
expect_out "re-routed 5 undecided cases"
[ "$(sql old.db "SELECT ext_id || '|' || coalesce(route_reason, '-') || '|' || policy_version FROM cases ORDER BY ext_id" | paste -sd,)" = \
	"g1|gold check; confidence 0.60 < 0.70|2,g2|gold check|2,g3|gold check|1,n1|confidence 0.62 < 0.70|2,n2|confidence 0.58 < 0.70|2,n3|-|2" ] ||
	fail "after the change: $(sql old.db "SELECT ext_id, route_reason, policy_version FROM cases")"
[ "$(sql old.db "SELECT urgency FROM cases WHERE ext_id = 'g1'")" = 0.6 ] || fail "g1 not sorted by its confidence"
run "$DOCKET" policy old.db --model m --json
expect_out '"gold_routing":"as-rule"'
run "$DOCKET" verify old.db
expect_rc 0
expect_out "routing agrees with the policies"
run "$DOCKET" next old.db --reviewer ann
expect_rc 0
expect_out '"id":"n2"'
run "$DOCKET" next old.db --reviewer ann
expect_out '"id":"g1"'
expect_out '"reason":"confidence 0.60 < 0.70"'
run "$DOCKET" cases old.db --reason gold --format jsonl
[ "$(printf '%s\n' "$out" | grep -c .)" = 3 ] || fail "--reason gold on the old store: $out"
