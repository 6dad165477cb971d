# supervise --theme takes every theme review does: each file in themes/
# loads (no warning on the status line, the colours differ from the
# default's where the file says so), and an unknown name warns.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"

run "$DOCKET" init s.db
expect_rc 0
# A session that stays, so killing each screen's session never stops the
# server under the next one.
$T new-session -d -s keep -x 20 -y 5 "sleep 600"

# show_theme NAME: run supervise --theme NAME; its coloured screen goes to
# ./NAME.pane.
show_theme() {
	tmux_start 100 24 TERM=xterm-256color "$DOCKET" supervise s.db --theme "$1"
	wait_for "1 Log"
	wait_settled
	screen -e >"$1.pane"
	keys q
	wait_exit
	[ "$screen_rc" = 0 ] || fail "supervise --theme $1 exited $screen_rc"
	$T kill-session -t t
}

show_theme nosuch
grep -q "unknown theme 'nosuch'; using the default theme" nosuch.pane ||
	fail "an unknown theme did not warn:
$(cat nosuch.pane)"
show_theme default
n=0
for f in "$DOCKET_ROOT"/themes/*.theme; do
	name=$(basename "$f" .theme)
	show_theme "$name"
	grep -q "theme" "$name.pane" && fail "--theme $name warned:
$(cat "$name.pane")"
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n themes in themes/"
cmp -s light.pane default.pane && fail "--theme light draws the default colours"
cmp -s high-contrast.pane default.pane && fail "--theme high-contrast draws the default colours"
cmp -s mono.pane default.pane && fail "--theme mono draws the default colours"
exit 0
