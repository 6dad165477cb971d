# The queue list (l): the cases waiting for this reviewer in claim order,
# the reviewer's own held cases first; / filters (label:); Enter claims
# the case picked and the screen shows it, checked in the store. docket
# review --case opens one case directly, and says who holds it when taken.
# The header's pace, and a key with no action saying so.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db
run "$DOCKET" reviewer add s.db bob
expect_rc 0
run "$DOCKET" next s.db --reviewer bob      # bob holds c1
expect_rc 0
[ "$(sql s.db "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id")" = c1 ] ||
	fail "bob does not hold c1"

# --case on a case someone holds: refused, naming them, nothing claimed
tmux_start 120 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann --case c1
wait_exit
[ "$screen_rc" = 1 ] || fail "--case c1 held by bob: exit $screen_rc, want 1"
wait_for "c1 is held by bob"
[ "$(sql s.db "SELECT count(*) FROM leases")" = 1 ] || fail "--case c1 left a lease"

rm -f .screen-rc
$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 DOCKET_NOW=$DOCKET_NOW \
	$DOCKET review s.db --reviewer ann; echo \$? > $PWD/.screen-rc; sleep 600"
wait_for "case c2"
wait_for "on case"
keys z
wait_for "z does nothing here (? for help)"

keys l
wait_for "Queue: waiting for you"
wait_for "c5"
out=$(screen)
case "$out" in *"c1 "*) fail "the list shows bob's c1:
$out" ;; esac
expect_out "held by you"
# claim order: c2 (mine) before c5
y2=$(screen | grep -n '^ c2 ' | cut -d: -f1)
y5=$(screen | grep -n '^ c5 ' | cut -d: -f1)
[ -n "$y2" ] && [ -n "$y5" ] && [ "$y2" -lt "$y5" ] || fail "not in claim order:
$out"

# filter: label:good shows c3 and c5 only (c2 and c4 are bad)
keys /
wait_for "filter /"
keys -l "label:good"
keys Enter
wait_gone "c2 "
wait_for "c5 "
out=$(screen)
case "$out" in *" c4 "*) fail "label:good shows c4:
$out" ;; esac
# to the last row and claim it: c5, not prefetched, claimed now
keys G
keys Enter
wait_for "c5 is yours now (from the queue)"
wait_for "case c5"
[ "$(sql s.db "SELECT r.name FROM leases l JOIN cases c ON c.id = l.case_id JOIN reviewers r ON r.id = l.reviewer_id WHERE c.ext_id = 'c5'")" = ann ] ||
	fail "ann does not hold c5 after Enter"
[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = 'c5'")" = held ] || fail "c5 is not held"
# deciding it records on c5
keys a
wait_for "accept saved: c5 is good"
[ "$(sql s.db "SELECT c.ext_id || ':' || d.action || ':' || d.reviewer FROM decisions d JOIN cases c ON c.id = d.case_id WHERE d.action = 'accept'")" = "c5:accept:ann" ] ||
	fail "the decision is not ann's accept on c5"
# the case shown before the jump is next again
wait_for "case c2"
keys a
wait_for "accept saved: c2 is bad"
# two decisions: the pace has a rate and a time to empty
wait_for "/h"
wait_for "to empty"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"
[ "$(sql s.db "SELECT count(*) FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'ann'")" = 0 ] ||
	fail "ann's leases left after quit"

# --case opens that case directly
rm -f .screen-rc
$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 DOCKET_NOW=$DOCKET_NOW \
	$DOCKET review s.db --reviewer ann --case c4; echo \$? > $PWD/.screen-rc; sleep 600"
wait_for "case c4"
[ "$(sql s.db "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'ann' ORDER BY l.token LIMIT 1")" = c4 ] ||
	fail "--case c4 did not claim c4 first"
keys a
wait_for "accept saved: c4 is bad"
keys q
wait_exit
[ "$(sql s.db "SELECT count(*) FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.ext_id = 'c4'")" = 1 ] ||
	fail "c4 not decided"
