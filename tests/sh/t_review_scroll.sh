# A long text: it scrolls inside its pane while the prediction stays in
# view, the status row says "more above / below", g and G go to the top
# and bottom, / finds a word and n steps to the next match, a key with no
# action says so; deciding after all that records on the right case.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
long=""
i=1
while [ $i -le 120 ]; do
	long="$long Line $i of the long review."
	[ $i = 90 ] && long="$long The needle is here."
	i=$((i + 1))
done
{
	echo "id,prediction,confidence,p:great,p:other,text,attr:needle"
	echo "t1,great,0.55,0.55,0.45,\"$long\",0.4"
	echo "t2,other,0.56,0.44,0.56,short text,0.1"
} > long.csv
run "$DOCKET" init s.db
expect_rc 0
run "$DOCKET" import s.db long.csv --model reviews@v1
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0

tmux_start 100 24 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case t1"
wait_for "more below"
pred_row() { screen | grep -n "model says great" | cut -d: -f1; }
p0=$(pred_row)
[ -n "$p0" ] || fail "no prediction on screen"
keys PgDn
wait_for "more above and below"
keys PgDn
wait_gone "Line 1 of"
[ "$(pred_row)" = "$p0" ] || fail "the prediction moved while the text scrolled:
$(screen)"
keys G
wait_for "Line 120"
wait_gone "more below"
[ "$(pred_row)" = "$p0" ] || fail "the prediction moved at the bottom"
keys g
wait_for "Line 1 of"
# the mouse wheel scrolls (X10 bytes as tmux's TERM says: button 65 is the
# wheel down, sent as 'a' + 0 ... so an unparsed wheel would accept)
i=0
while [ $i -lt 3 ]; do
	keys -l "$(printf '\033[Ma++')"
	i=$((i + 1))
done
wait_gone "Line 1 of"
[ "$(pred_row)" = "$p0" ] || fail "the prediction moved under the wheel"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "the wheel decided"
keys Home
wait_for "Line 1 of"
# search: the needle is far down; / brings it into view
keys /
wait_for "find in the text"
keys -l "needle"
keys Enter
wait_for "needle: n next, N previous, Esc ends"
wait_for "The needle is here"
keys n
wait_for "wrapped; needle"
keys Escape
wait_for "search ended"
keys z
wait_for "z does nothing here (? for help)"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "a decision was made"
keys a
wait_for "accept saved: t1 is great"
[ "$(sql s.db "SELECT c.ext_id || ':' || d.action FROM decisions d JOIN cases c ON c.id = d.case_id")" = "t1:accept" ] ||
	fail "the accept is not on t1"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"
