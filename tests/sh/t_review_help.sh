# Help is drawn from the live key table: a key rebound in the config file
# shows in help and in the footer, and works; the old key no longer does.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db
mkdir -p .config/docket
cat > .config/docket/config <<'CFG'
# accept with y, not a
bind y accept
unbind a
CFG

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
out=$(screen)
expect_out "y accept"
keys '?'
wait_for "docket review: keys"
out=$(screen)
expect_out "y           accept the model's label and move on"
expect_out "1-9         pick label 1-9"
expect_out "e           send to a supervisor, with a reason"
expect_out "q           give back held cases and quit"
expect_out "any key closes help"
case "$out" in *"a           accept"*) fail "help shows the unbound key" ;; esac
keys x                      # closes help, decides nothing
wait_gone "docket review: keys"
keys a                      # unbound: nothing happens
sleep 0.2
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "unbound key decided"
keys y
wait_for "accept saved: c1 is good"

# a broken config stops before the screen, naming file and line
keys q
wait_exit
echo "bind y frobnicate" >> .config/docket/config
run "$DOCKET" review s.db --reviewer ann
expect_rc 1
expect_err ".config/docket/config:4: bind y: unknown action 'frobnicate'"

# an unknown theme warns on the status line and the screen still works
sed -i '$d' .config/docket/config
$T kill-session -t t
tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann --theme nosuch
wait_for "unknown theme 'nosuch'; using the default theme"
wait_for "case c2"
keys q
wait_exit

# a config that leaves quit with no key is refused before the screen,
# naming the action and the line
$T kill-session -t t
echo "bind q accept" >> .config/docket/config
run "$DOCKET" review s.db --reviewer ann
expect_rc 1
expect_err ".config/docket/config:4: 'bind q accept' leaves no key for quit: bind another key to quit"
