# export after real reviews: double reviews that agree (both reviewers),
# that disagree and are resolved (the supervisor, and the reviewer who gave
# the same label), escalations resolved, and an undone resolve.
. "$DOCKET_TESTS/sh/lib.sh"
me=$(id -un)
export DOCKET_NOW=2026-02-01T09:00:00Z

head -5 "$DOCKET_ROOT/sample-data/credit.csv" >c.csv
run "$DOCKET" import s.db c.csv --model credit --threshold 1
expect_rc 0
run "$DOCKET" policy s.db --model credit --double-rate 1
expect_rc 0
"$DOCKET" reviewer add s.db ann >/dev/null
"$DOCKET" reviewer add s.db bob >/dev/null

claim() { # claim REVIEWER: claims every case the reviewer can get
	while "$DOCKET" next s.db --reviewer "$1" | grep -q '"id"'; do :; done
}
dec() { # dec REVIEWER ID ACTION [LABEL]
	if [ -n "${4:-}" ]; then
		"$DOCKET" decide s.db "$2" --reviewer "$1" --action "$3" --label "$4" \
			--reason ambiguous >/dev/null || fail "decide $*"
	else
		"$DOCKET" decide s.db "$2" --reviewer "$1" --action "$3" \
			--reason ambiguous >/dev/null || fail "decide $*"
	fi
}

claim ann
dec ann app-00001 override bad   # prediction good
dec ann app-00002 accept         # good
dec ann app-00003 escalate       # bad
dec ann app-00004 accept         # good
claim bob
dec bob app-00001 override bad   # agrees: done
dec bob app-00002 override bad   # disagrees: disputed
dec bob app-00004 accept         # agrees: done
[ "$(sql s.db "SELECT ext_id || ':' || state FROM cases ORDER BY ext_id" | paste -sd' ')" = \
  "app-00001:done app-00002:disputed app-00003:escalated app-00004:done" ] ||
	fail "states: $(sql s.db "SELECT ext_id || ':' || state FROM cases" | paste -sd' ')"

run "$DOCKET" export s.db --out before.csv
expect_out "exported 2 rows"

dec "$me" app-00002 resolve good
dec "$me" app-00003 resolve good

run "$DOCKET" export s.db --out out.csv
expect_out "exported 4 rows"
row() { grep "^$1," out.csv | cut -d, -f1-9; }
[ "$(row app-00001)" = "app-00001,good,0.666331,bad,1,override,ann;bob,ambiguous,2026-02-01T09:00:00Z" ] ||
	fail "agreeing double review: $(row app-00001)"
[ "$(row app-00004)" = "app-00004,good,0.74872,good,0,accept,ann;bob,ambiguous,2026-02-01T09:00:00Z" ] ||
	fail "agreeing accepts: $(row app-00004)"
[ "$(row app-00002)" = "app-00002,good,0.856573,good,0,resolve,ann;$me,ambiguous,2026-02-01T09:00:00Z" ] ||
	fail "resolved disagreement: $(row app-00002)"
[ "$(row app-00003)" = "app-00003,bad,0.613327,good,1,resolve,$me,ambiguous,2026-02-01T09:00:00Z" ] ||
	fail "resolved escalation: $(row app-00003)"

# Undo of the resolve: the escalation is open again and leaves the export.
dec "$me" app-00003 undo
run "$DOCKET" export s.db --out undone.csv
expect_out "exported 3 rows"
! grep -q "^app-00003," undone.csv || fail "undone resolve still exported"

run "$DOCKET" verify s.db
expect_rc 0
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export' AND case_id IS NULL AND reviewer = '$me'")" = 3 ] ||
	fail "export entries"
