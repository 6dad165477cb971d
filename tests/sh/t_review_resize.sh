# The review screen follows the terminal's size: 40x12 still shows the case
# in one column, smaller gets "terminal too small", and back to 100x30
# restores the two-column layout; no decision is made by resizing.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
wait_for "── Context"
# two columns: context and prediction on one row
screen | grep -q "Context.*Prediction" || fail "not two columns at 100x30:
$(screen)"

$T resize-window -t t -x 40 -y 12
wait_for "model says good"
out=$(screen)
[ "$(printf '%s\n' "$out" | wc -l)" -le 12 ] || fail "more than 12 rows"
printf '%s\n' "$out" | while IFS= read -r line; do
	[ "$(printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m)" -le 40 ] ||
		fail "a line wider than 40 columns: $line"
done
expect_out "case c1"
expect_out "more"          # the rest is below, scrollable
printf '%s\n' "$out" | grep -q "Context.*Prediction" && fail "still two columns"

$T resize-window -t t -x 30 -y 8
wait_for "terminal too small"
expect_out_now=$(screen)
case "$expect_out_now" in *"need 40x12, have 30x8"*) ;; *) fail "size not named:
$expect_out_now" ;; esac
keys a                     # keys do nothing on the small screen
sleep 0.2
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "a key decided on the small screen"

$T resize-window -t t -x 100 -y 30
wait_for "Prediction"
screen | grep -q "Context.*Prediction" || fail "not two columns after resize back:
$(screen)"
keys a
wait_for "accept saved: c1 is good"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 1 ] || fail "expected one decision"
