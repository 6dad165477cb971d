# What `docket next` shows a script-driven reviewer: a gold check reads like
# any audit sample (neither the gold label nor that the case is gold), and
# derived figures carry no float noise (0.7 - 0.3 is 0.4, not 0.39999...).
. "$DOCKET_TESTS/sh/lib.sh"
printf 'id,prediction,p:yes,p:no,gold,note\n' >g.csv
printf 'g1,yes,0.99,0.01,no,secret-marker\n' >>g.csv
printf 'u1,yes,0.7,0.3,,plain\n' >>g.csv
run "$DOCKET" import s.db g.csv --model m
expect_rc 0
[ "$(sql s.db "SELECT route_reason FROM cases WHERE ext_id = 'g1'")" = "gold check" ] || fail "not routed as gold"
"$DOCKET" reviewer add s.db other >/dev/null
seen=""
for r in root other; do
	run "$DOCKET" next s.db --reviewer "$r"
	expect_rc 0
	case "$out" in
	*'"id":"g1"'*)
		seen="$seen g1"
		expect_out '"reason":"spot check"'
		case "$out" in *gold*) fail "next shows gold: $out" ;; esac ;;
	*'"id":"u1"'*)
		seen="$seen u1"
		expect_out '"margin":0.4,' ;;
	*) fail "unexpected: $out" ;;
	esac
done
case "$seen" in *g1*) ;; *) fail "g1 never claimed ($seen)" ;; esac
case "$seen" in *u1*) ;; *) fail "u1 never claimed ($seen)" ;; esac
