# A lease lost to another reviewer: ann's screen holds c1 (and c2, c3
# ahead) when her leases run out and carol claims c1. Ann's next decision
# is refused once, naming carol; the screen moves on to a case ann holds,
# and that case's first decision is saved. The store shows who decided what.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db
run "$DOCKET" reviewer add s.db carol
expect_rc 0

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
# the prefetch claims c2 and c3 at once
i=0
while [ "$(sql s.db "SELECT count(*) FROM leases")" != 3 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ "$(sql s.db "SELECT count(*) FROM leases")" = 3 ] || fail "ann does not hold 3 cases"

# eleven minutes later for carol: ann's leases (ten minutes) have run out
run env DOCKET_NOW=2026-01-02T03:15:05Z "$DOCKET" next s.db --reviewer carol
expect_rc 0
expect_out '"id":"c1"'

keys a
wait_for "held by carol"
out=$(screen)
expect_out "not saved: case 'c1' is held by carol"
case "$out" in *"returned to the queue"*) fail "says c1 went back to the queue:
$out" ;; esac
wait_for "case c2"
keys a
wait_for "accept saved: c2 is bad"
wait_for "case c3"
keys a
wait_for "accept saved: c3 is good"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"

got=$(sql s.db "SELECT c.ext_id || ':' || d.reviewer || ':' || d.action
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
[ "$got" = "c2:ann:accept c3:ann:accept" ] || fail "decisions: $got"
[ "$(sql s.db "SELECT r.name FROM leases l JOIN reviewers r ON r.id = l.reviewer_id
  JOIN cases c ON c.id = l.case_id WHERE c.ext_id = 'c1'")" = carol ] || fail "c1 is not carol's"
run "$DOCKET" verify s.db
expect_rc 0
