# next, decide, release, verify, policy and reviewer on the real binary:
# JSON out, exit codes, roles, fencing, undo, re-routing, counters.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
export DOCKET_NOW=2026-01-02T03:04:05Z
me=$(id -un)

run "$DOCKET" import s.db "$S/credit.csv" --model credit
expect_rc 0
queued0=$(sql s.db "SELECT n FROM counters WHERE state = 'queued'")

# unknown reviewers are refused, with the way in
run "$DOCKET" next s.db --reviewer ann
expect_rc 1
expect_err "unknown reviewer 'ann'"
expect_err "docket reviewer add s.db ann"

run "$DOCKET" reviewer add s.db ann --as ann
expect_rc 1
if on_sqlite; then
	expect_err "needs a supervisor"
else
	# (a role the database does not let use the store is refused before
	# docket asks its role; group roles belong to the whole cluster, so
	# another database's reviewer ann may be let in, and then refused
	# by docket as on SQLite)
	case "$err" in *"needs a supervisor"* | *"unknown reviewer 'ann'"*) ;;
	*) fail "reviewer add --as ann: $err" ;; esac
fi
run "$DOCKET" reviewer add s.db ann
expect_rc 0
run "$DOCKET" reviewer add s.db bob
expect_rc 0
run "$DOCKET" reviewer add s.db carl --role boss
expect_rc 2
run "$DOCKET" reviewer list s.db
expect_out "$me"
expect_out "supervisor"
expect_out "auto-add: off"

# next: one JSON line, the highest priority and least sure case first
run "$DOCKET" next s.db --reviewer ann
expect_rc 0
first=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'held'")
want=$(sql s.db "SELECT ext_id FROM cases WHERE model_id = 1 AND (state = 'held' OR state = 'queued') ORDER BY priority DESC, urgency, id LIMIT 1")
[ "$first" = "$want" ] || fail "claimed $first, first in order is $want"
expect_out "{\"id\":\"$first\",\"model\":\"credit\""
expect_out '"prediction":'
expect_out '"reason":'
expect_out '"context":{'
expect_out '"pii:name":"(masked)"'
expect_out '"attributions":{'
expect_out '"lease":{"token":1,"expires":"2026-01-02T03:14:05Z"}'
[ "$(echo "$out" | wc -l)" = 1 ] || fail "next printed more than one line"
echo "$out" | python3 -c 'import json,sys; json.loads(sys.stdin.read())' || fail "not JSON: $out"

# fencing: bob cannot decide ann's case; a wrong token is refused
run "$DOCKET" decide s.db "$first" --reviewer bob --action accept
expect_rc 1
expect_err "held by ann, not bob"
run "$DOCKET" decide s.db "$first" --reviewer ann --action accept --token 99
expect_rc 1
expect_err "stale"
run "$DOCKET" decide s.db "$first" --reviewer ann --action frob
expect_rc 2
run "$DOCKET" decide s.db "$first" --reviewer ann --action override --label nope
expect_rc 2
expect_err "not one of the model's labels"
run "$DOCKET" decide s.db "$first" --reviewer ann --action skip
expect_rc 2
expect_err "skip needs a reason code"

# accept, then undo: the case comes back to ann under a new lease
run "$DOCKET" decide s.db "$first" --reviewer ann --action accept --token 1 --seconds 4 --note "looks fine"
expect_rc 0
expect_out '"seq":5' # after init, import and two reviewers added
expect_out '"state":"done"'
# (tenths of a second: an engine prints 4.0 as 4.0 or 4)
[ "$(sql s.db "SELECT reviewer||'|'||action||'|'||CAST(seconds * 10 AS INTEGER)||'|'||note FROM decisions WHERE case_id IS NOT NULL")" = "ann|accept|40|looks fine" ] || fail "entry"
run "$DOCKET" decide s.db "$first" --reviewer ann --action undo
expect_rc 0
expect_out '"action":"undo","state":"held","lease":{"token":2'
pred=$(sql s.db "SELECT prediction FROM cases WHERE ext_id = '$first'")
other=$( [ "$pred" = good ] && echo bad || echo good )
run "$DOCKET" decide s.db "$first" --reviewer ann --action override --label "$other" --reason ambiguous --token 2
expect_rc 0
[ "$(sql s.db "SELECT final_label FROM cases WHERE ext_id = '$first'")" = "$other" ] || fail "override label"

# escalate, resolve needs a supervisor
run "$DOCKET" next s.db --reviewer bob
second=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'held'")
run "$DOCKET" decide s.db "$second" --reviewer bob --action escalate --reason needs-expert
expect_rc 0
expect_out '"state":"escalated"'
run "$DOCKET" decide s.db "$second" --reviewer bob --action resolve --label good
expect_rc 1
expect_err "needs a supervisor"
run "$DOCKET" decide s.db "$second" --action resolve --label good
expect_rc 0
expect_out '"state":"done"'

# release gives back what a reviewer holds
run "$DOCKET" next s.db --reviewer ann
run "$DOCKET" next s.db --reviewer ann
run "$DOCKET" release s.db --reviewer ann
expect_rc 0
expect_out "released 2 cases held by ann"
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left"

# verify: intact, last line is the head
run "$DOCKET" verify s.db
expect_rc 0
head=$(echo "$out" | tail -n 1)
[ "$head" = "$(sql s.db "SELECT seq||':'||hash FROM decisions ORDER BY seq DESC LIMIT 1")" ] || fail "head line: $head"
run "$DOCKET" verify s.db --expect-head "$head"
expect_rc 0
run "$DOCKET" verify s.db --expect-head "garbage"
expect_rc 2

# policy: show, set (supervisor only), re-route undecided cases only
run "$DOCKET" policy s.db --model credit
expect_rc 0
expect_out "policy version 1"
expect_out "threshold        0.8"
run "$DOCKET" policy s.db --model credit --threshold 0.7 --as ann
expect_rc 1
expect_err "setting a policy needs a supervisor"
run "$DOCKET" policy s.db --model credit --threshold 1.5
expect_rc 2
run "$DOCKET" policy s.db --model credit --threshold 0.7 --label-threshold bad=0.9 --audit-rate 0.05
expect_rc 0
expect_out "re-routed"
expect_out "policy version 2"
# decided cases keep their policy version and state
[ "$(sql s.db "SELECT group_concat(CAST(policy_version AS TEXT)) FROM cases WHERE ext_id IN ('$first', '$second')")" = "1,1" ] || fail "decided cases re-routed"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state IN ('queued','auto') AND policy_version <> 2 AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = cases.id)")" = 0 ] || fail "undecided not re-routed"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'queued' AND prediction = 'bad' AND confidence >= 0.9 AND route_reason NOT IN ('gold check', 'audit sample')")" = 0 ] || fail "label threshold"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE route_reason = 'audit sample'")" -gt 0 ] || fail "no audit sample"
# counters equal a recount
[ "$(sql s.db "SELECT count(*) FROM (SELECT model_id, state, count(*) n FROM cases GROUP BY 1,2) c JOIN counters k USING (model_id, state) WHERE c.n <> k.n")" = 0 ] || fail "counters"
run "$DOCKET" policy s.db --model credit --json
expect_out '"version":2,"policy":{"threshold":0.7,"label_thresholds":{"bad":0.9}'
run "$DOCKET" policy s.db --model nosuch
expect_rc 1
expect_err "no model named 'nosuch'"

# reason codes: list and set
run "$DOCKET" policy s.db --reasons
expect_out "ambiguous"
run "$DOCKET" policy s.db --reasons=fraud,typo
expect_rc 0
expect_out "fraud"

# auto-add lets a new name in as a reviewer
run "$DOCKET" reviewer auto-add s.db on
expect_rc 0
# (on PostgreSQL a role the administrator let use the store at all)
on_sqlite || sql s.db "DO \$\$ BEGIN CREATE ROLE newbie LOGIN;
	EXCEPTION WHEN duplicate_object THEN NULL; END \$\$; SELECT grant_role('newbie', 'reviewer')" >/dev/null
run "$DOCKET" next s.db --reviewer newbie
expect_rc 0
[ "$(sql s.db "SELECT role FROM reviewers WHERE name = 'newbie'")" = reviewer ] || fail "auto-add"

# an empty queue is a normal answer
sql s.db "UPDATE cases SET state = 'auto' WHERE state = 'queued'"
run "$DOCKET" next s.db --reviewer bob
expect_rc 0
expect_out '{"empty":true,"reviewer":"bob"'

# --help for each command
for c in next decide release verify policy reviewer; do
	run "$DOCKET" $c --help
	expect_rc 0
	expect_out "Usage: docket $c"
done
