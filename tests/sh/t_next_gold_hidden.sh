# A gold check reaches the reviewer like any audit sample: `docket next`
# shows neither the gold label nor that the case is gold.
. "$DOCKET_TESTS/sh/lib.sh"
printf 'id,prediction,p:yes,p:no,gold,note\n' >g.csv
printf 'g1,yes,0.99,0.01,no,secret-marker\n' >>g.csv
run "$DOCKET" import s.db g.csv --model m
expect_rc 0
[ "$(sql s.db "SELECT route_reason FROM cases WHERE ext_id = 'g1'")" = "gold check" ] || fail "not routed as gold"
run "$DOCKET" next s.db
expect_rc 0
expect_out '"id":"g1"'
expect_out '"reason":"spot check"'
case "$out" in *gold*) fail "next shows gold: $out" ;; esac
