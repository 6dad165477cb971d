# decide without --model on an id two models share: the case the reviewer
# holds under a live lease is the one decided; with none held, or both
# held, the id stays ambiguous and nothing is recorded.
. "$DOCKET_TESTS/sh/lib.sh"
printf 'id,prediction,confidence\nx1,yes,0.51\nx2,no,0.52\n' >a.csv
"$DOCKET" import s.db a.csv --model ma >/dev/null
"$DOCKET" import s.db a.csv --model mb --force >/dev/null
"$DOCKET" reviewer add s.db ann >/dev/null
"$DOCKET" reviewer add s.db bob >/dev/null

# none held: ambiguous, names the models
run "$DOCKET" decide s.db x1 --reviewer ann --action accept
expect_rc 1
expect_err "exists in models ma, mb: pick one with --model"

# ann holds mb's x1, bob holds ma's x1: each decides "x1" on their own
run "$DOCKET" next s.db --reviewer ann --model mb
expect_out '"id":"x1","model":"mb"'
run "$DOCKET" next s.db --reviewer bob --model ma
expect_out '"id":"x1","model":"ma"'
run "$DOCKET" decide s.db x1 --reviewer ann --action accept
expect_rc 0
run "$DOCKET" decide s.db x1 --reviewer bob --action override --label no
expect_rc 0
[ "$(sql s.db "SELECT d.reviewer || ':' || m.name FROM decisions d
	JOIN cases c ON c.id = d.case_id JOIN models m ON m.id = c.model_id ORDER BY d.seq" | paste -sd' ')" = "ann:mb bob:ma" ] \
	|| fail "decided: $(sql s.db "SELECT reviewer, case_id FROM decisions")"

# both x2 held by ann: still ambiguous, nothing recorded
"$DOCKET" next s.db --reviewer ann --model ma >/dev/null
"$DOCKET" next s.db --reviewer ann --model mb >/dev/null
before=$(sql s.db "SELECT count(*) FROM decisions")
run "$DOCKET" decide s.db x2 --reviewer ann --action accept
expect_rc 1
expect_err "you hold it in several"
[ "$(sql s.db "SELECT count(*) FROM decisions")" = "$before" ] || fail "recorded"
echo ok
