# decide --next: the decision line, then the next case exactly as `docket
# next` prints it (or its empty object); a refused decision claims nothing.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
export DOCKET_NOW=2026-01-02T03:04:05Z

# (the first 600 applications: below, the queue is decided one docket
# run per case; the whole sample's 2,051 took minutes on PostgreSQL)
head -n 601 "$S/credit.csv" >credit600.csv
run "$DOCKET" import s.db credit600.csv --model credit
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
run "$DOCKET" reviewer add s.db bob
expect_rc 0
run "$DOCKET" decide --help
expect_rc 0
expect_out "--next"

run "$DOCKET" next s.db --reviewer ann
expect_rc 0
first=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
tok=$(echo "$out" | sed 's/.*"token":\([0-9]*\).*/\1/')
# the case the next claim must give ann: first in order after $first
want=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'queued' ORDER BY priority DESC, urgency, id LIMIT 1")

# refused decisions claim nothing and record nothing
before=$(dump s.db)
run "$DOCKET" decide s.db "$first" --reviewer bob --action accept --next
expect_rc 1
expect_err "held by ann, not bob"
[ -z "$out" ] || fail "a refused decide --next printed: $out"
run "$DOCKET" decide s.db "$first" --reviewer ann --action accept --token 99 --next
expect_rc 1
expect_err "stale"
run "$DOCKET" decide s.db "$first" --reviewer ann --action override --label nope --next
expect_rc 2
[ "$(dump s.db)" = "$before" ] || fail "a refused decide --next changed the store"
run "$DOCKET" decide s.db "$first" --reviewer ann --action undo --next
expect_rc 2
expect_err "not with undo or --amend"
run "$DOCKET" decide s.db "$first" --reviewer ann --action accept --amend --next
expect_rc 2

# decide and move on: two lines, the decision then the next claim
run "$DOCKET" decide s.db "$first" --reviewer ann --action accept --token "$tok" --next
expect_rc 0
[ "$(echo "$out" | wc -l)" = 2 ] || fail "expected two lines: $out"
line1=$(echo "$out" | sed -n 1p)
line2=$(echo "$out" | sed -n 2p)
# (entries 1-4: the init entry, the import, ann and bob added)
case "$line1" in "{\"seq\":5,\"hash\":\""*"\",\"id\":\"$first\",\"action\":\"accept\",\"state\":\"done\"}") ;;
*) fail "decision line: $line1" ;; esac
case "$line2" in "{\"id\":\"$want\",\"model\":\"credit\""*'"reviewer":"ann","lease":{"token":'*',"expires":"2026-01-02T03:14:05Z"}}') ;;
*) fail "next line (want $want): $line2" ;; esac
# lease tokens only grow: on SQLite the next is 2; on PostgreSQL a refused
# decide --next above may have drawn some already (its claim runs before
# the decision, in the statement that is rolled back; a sequence is not)
tok2=$(echo "$line2" | sed 's/.*"token":\([0-9]*\).*/\1/')
[ "$tok2" -gt "$tok" ] || fail "the next claim's token $tok2 is not above $tok"
[ "$test_engine" = postgres ] || [ "$tok2" = 2 ] || fail "token $tok2, not 2"
echo "$line2" | python3 -c 'import json,sys; json.loads(sys.stdin.read())' || fail "not JSON: $line2"
[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = '$want'")" = held ] || fail "$want not held"
[ "$(sql s.db "SELECT r.name FROM leases l JOIN reviewers r ON r.id = l.reviewer_id")" = ann ] || fail "leases"
# the second line is what `docket next` prints for that claim: release it,
# claim it again the ordinary way (the next token) and compare all but the
# token
"$DOCKET" release s.db --reviewer ann >/dev/null
run "$DOCKET" next s.db --reviewer ann
expect_rc 0
[ "$(echo "$out" | sed "s/\"token\":$((tok2 + 1)),/\"token\":$tok2,/")" = "$line2" ] || fail "decide --next and next differ:
$line2
$out"

# the rest of the queue by decide --next (skips cool down: never back to
# ann), until the empty object; every case decided once
n=$(sql s.db "SELECT count(*) FROM cases WHERE state IN ('queued', 'held')")
j=$out
i=0
while :; do
	case "$j" in *'"empty":true'*) break ;; esac
	id=$(echo "$j" | sed 's/^{"id":"\([^"]*\)".*/\1/')
	tok=$(echo "$j" | sed 's/.*"token":\([0-9]*\).*/\1/')
	i=$((i + 1))
	[ $i -le "$n" ] || fail "more claims than cases"
	if [ $((i % 4)) = 0 ]; then set -- --action skip --reason other; else set -- --action accept; fi
	run "$DOCKET" decide s.db "$id" --reviewer ann "$@" --token "$tok" --next
	expect_rc 0
	j=$(echo "$out" | sed -n 2p)
done
[ $i = "$n" ] || fail "$i claims for $n cases"
case "$j" in '{"empty":true,"reviewer":"ann","model":null,'*) ;; *) fail "empty: $j" ;; esac
skipped=$(sql s.db "SELECT count(*) FROM cases WHERE state = 'queued'")
[ "$skipped" = $((n / 4)) ] || fail "$skipped skipped cases back in the queue, want $((n / 4))"
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left"
# bob gets the skipped ones at once
run "$DOCKET" next s.db --reviewer bob
expect_rc 0
expect_out '"id":'
run "$DOCKET" verify s.db
expect_rc 0
