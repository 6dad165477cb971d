# A dropped connection (SIGHUP) in the middle of a case, and SIGTERM and
# Ctrl-C: the terminal is given back, held cases return to the queue,
# every decision made is kept, and the audit chain verifies.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

# This test's screen only: the child of its own tmux pane (other review
# screens may run on the machine at the same time).
review_pid() {
	pgrep -n -P "$($T display-message -p -t t '#{pane_pid}')" -f "docket review" ||
		fail "no review process"
}

for sig in HUP TERM INT; do
	tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
	before=$(sql s.db "SELECT count(*) FROM decisions")
	wait_for "case c"
	keys a
	wait_for "accept saved"
	# mid-case: a case on screen and one prefetched are held
	i=0
	while [ "$(sql s.db "SELECT count(*) FROM leases")" -lt 2 ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	[ "$(sql s.db "SELECT count(*) FROM leases")" -ge 1 ] || fail "nothing held mid-case"
	if [ $sig = INT ]; then keys C-c; else kill -$sig "$(review_pid)"; fi
	wait_exit
	[ "$screen_rc" = 1 ] || fail "SIG$sig: exit $screen_rc, want 1"
	[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "SIG$sig: leases left"
	[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'held'")" = 0 ] ||
		fail "SIG$sig: cases still held"
	after=$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'accept'")
	[ "$after" -ge 1 ] || fail "SIG$sig: decision lost"
	[ "$(sql s.db "SELECT count(*) FROM decisions")" -gt "$before" ] || fail "SIG$sig: nothing logged"
	$T kill-session -t t
done
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'accept'")" = 3 ] || fail "want 3 accepts"
run "$DOCKET" verify s.db
expect_rc 0
