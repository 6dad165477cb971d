# The mouse: a click on a key in the footer acts as that key (checked in
# the store), the wheel scrolls; "mouse off" in the config leaves the
# terminal's mouse alone (the screen never asks for mouse reports). Clicks
# are sent as the terminal sends them (X10 mouse bytes, as tmux's TERM
# says).
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

# click X Y: a left-button press and its release at column X, row Y
# (0-based), as a terminal sends them.
click() {
	x=$(printf %o $((33 + $1))) y=$(printf %o $((33 + $2)))
	keys -l "$(printf "\\033[M \\$x\\$y")"
	keys -l "$(printf "\\033[M#\\$x\\$y")"
}

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
[ "$($T display -p -t t '#{mouse_any_flag}')" = 1 ] || fail "the screen did not ask for the mouse"
# the footer's "a accept" begins at column 1 of the last row
foot=$(screen | tail -1)
case "$foot" in " a accept"*) ;; *) fail "footer: $foot" ;; esac
click 3 2        # a click on the case body does nothing
sleep 0.3
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "a click on the body decided"
click 3 29       # on "accept"
wait_for "accept saved: c1 is good"
[ "$(sql s.db "SELECT c.ext_id || ':' || d.action FROM decisions d JOIN cases c ON c.id = d.case_id")" = "c1:accept" ] ||
	fail "the click did not accept c1"
# the help key's label, at the right end of the footer
click 97 29
wait_for "docket review: keys"
keys Escape
wait_gone "docket review: keys"
keys q
wait_exit

# mouse off: the terminal's mouse is left alone
printf 'mouse off\n' > cfg
rm -f .screen-rc
$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 DOCKET_NOW=$DOCKET_NOW \
	DOCKET_CONFIG=$PWD/cfg $DOCKET review s.db --reviewer ann; echo \$? > $PWD/.screen-rc; sleep 600"
wait_for "case c2"
[ "$($T display -p -t t '#{mouse_any_flag}')" = 0 ] || fail "mouse off: the screen still asked for the mouse"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"
