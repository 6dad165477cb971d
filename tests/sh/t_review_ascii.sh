# The review screen in a non-UTF-8 locale (LANG=C, LC_ALL=C): ASCII glyphs
# only (no box-drawing, block, arrow or bullet characters anywhere on the
# screen, in the pickers and help too), and it still works: an override
# and an accept, checked in the store.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

# only_ascii WHAT: the screen has no byte outside ASCII.
only_ascii() {
	screen > .cap
	if LC_ALL=C grep -n '[^ -~]' .cap > .bad; then
		fail "$1: non-ASCII on screen:
$(cat .bad)"
	fi
}

tmux_start 100 30 LANG=C LC_ALL=C "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
out=$(screen)
expect_out "credit@v7 - reviewer ann"     # '-' for the bullet
expect_out "-- Context ---"                # '-' rules
expect_out "| -- Prediction"               # '|' between the columns
expect_out "model says good  0.510 ####"   # '#' bars
expect_out "********  personal"            # '*' masks
only_ascii "case"

keys o                                     # the label picker's box
wait_for "the right label"
only_ascii "label picker"
keys Escape
wait_for "cancelled"
keys e                                     # the reason picker
wait_for "escalate: why?"
only_ascii "reason picker"
keys Escape
keys '?'
wait_for "docket review: keys"
only_ascii "help"
keys Escape
wait_gone "docket review: keys"

keys 2                                     # c1 predicted good: 2 (bad) overrides
wait_for "override saved: c1 > bad"        # '>' for the arrow
wait_for "case c2"
keys a
wait_for "accept saved: c2 is bad"
wait_for "case c3"
keys '['
wait_for "case c2  your accept  (1 of 2 back)"
only_ascii "history"

$T resize-window -t t -x 40 -y 12          # small: the scroll marker
wait_for "v more"
only_ascii "40x12"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"

got=$(sql s.db "SELECT c.ext_id || ':' || d.action || ':' || d.label
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
[ "$got" = "c1:override:bad c2:accept:bad" ] || fail "decisions: $got"
[ "$(sql s.db "SELECT final_label FROM cases WHERE ext_id = 'c1'")" = bad ] || fail "c1 label"
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left after quit"
run "$DOCKET" verify s.db
expect_rc 0
