# The note: Esc cancels an edit and keeps the note kept before, and the
# status line says so; that note is the one saved. Quitting with a note
# being typed, from the "too small" screen too, asks once; the second q
# quits and saves nothing of it.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
keys n
wait_for "note (Enter keeps"
keys -l "first"
keys Enter
wait_for "note: first"
keys n
wait_for "note (Enter keeps"
keys -l " more"
keys Escape
wait_for "edit cancelled; note kept for the next decision: first"
out=$(screen)
case "$out" in *dropped*) fail "says dropped while a note is kept:
$out" ;; esac
expect_out "note: first"
keys a
wait_for "accept saved: c1 is good"
[ "$(sql s.db "SELECT coalesce(note, '') FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.ext_id = 'c1'")" = first ] ||
	fail "c1's note is not 'first'"

# a note being typed, then the terminal shrinks: q asks first
keys n
wait_for "note (Enter keeps"
keys -l "draft"
$T resize-window -t t -x 30 -y 10
wait_for "terminal too small"
keys q
wait_for "the note being typed would"
[ ! -s .screen-rc ] || fail "quit at once with a note being typed"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 1 ] || fail "a decision was made"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE note LIKE '%draft%'")" = 0 ] || fail "the draft was saved"
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left after quit"

# Ctrl-C cannot ask, but it says which note it dropped
# (a new screen in the same pane: restarting the tmux server races)
rm -f .screen-rc
$T resize-window -t t -x 100 -y 30
$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 DOCKET_NOW=$DOCKET_NOW \
	$DOCKET review s.db --reviewer ann; echo \$? > $PWD/.screen-rc; sleep 600"
wait_for "case c"
keys n
wait_for "note (Enter keeps"
keys -l "unsaid"
keys Enter
wait_for "note: unsaid"
keys C-c
wait_exit
[ "$screen_rc" = 1 ] || fail "Ctrl-C: exit $screen_rc, want 1"
case "$(screen -J)" in *"dropped: the note kept for the next decision"*) ;; *) fail "Ctrl-C did not name the note:
$(screen)" ;; esac
