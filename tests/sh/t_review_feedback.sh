# Escalating is not a black hole: ann escalates, the supervisor resolves it
# in `docket supervise` with a note, and ann's next `docket review` start
# says so with the outcome and the note; the start after that says nothing
# (the store keeps what she has seen). An old store (schema 1) gains the
# table on open.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
# each screen below gets a tmux server of its own: a new session on a
# server still shutting down fails ("server exited unexpectedly")
servers="$T"
next_server() {
	$T kill-server 2>/dev/null || true
	T="tmux -L docket-test-$$-$1 -f /dev/null"
	servers="$servers
$T"
}
trap 'printf "%s\n" "$servers" | while read -r t; do $t kill-server 2>/dev/null || true; done' EXIT INT TERM
make_review_store s.db
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
[ -n "$me" ] || fail "no supervisor"

# a store from before the feedback table: migrated forward on open (an
# SQLite schema 1 file: no PostgreSQL store predates the table)
if on_sqlite; then
	sql s.db "DROP TABLE reviewer_seen; PRAGMA user_version = 1" >/dev/null
	run "$DOCKET" queue s.db
	expect_rc 0
	"$DOCKET" init now.db >/dev/null
	[ "$(sql s.db "PRAGMA user_version")" = "$(sql now.db "PRAGMA user_version")" ] ||
		fail "not migrated to the current version"
	sql s.db "SELECT count(*) FROM reviewer_seen" >/dev/null || fail "no reviewer_seen"
fi

"$DOCKET" next s.db --reviewer ann >/dev/null
run "$DOCKET" decide s.db c1 --reviewer ann --action escalate --reason needs-expert --note "income?"
expect_rc 0
"$DOCKET" next s.db --reviewer ann >/dev/null
run "$DOCKET" decide s.db c2 --reviewer ann --action escalate --reason needs-expert
expect_rc 0

# ann's first start: nothing resolved yet
tmux_start 120 30 "$DOCKET" review s.db --reviewer ann
wait_for "case c3"
case "$(screen)" in *"of your escalations"*) fail "feedback before any resolve:
$(screen)" ;; esac
keys q
wait_exit
seen=$(sql s.db "SELECT seq FROM reviewer_seen WHERE reviewer = 'ann'")
[ "$seen" = "$(sql s.db "SELECT max(seq) FROM decisions")" ] || fail "seen '$seen'"
next_server 1

# the supervisor resolves c1 on the Escalations tab with a note
tmux_start 120 30 "$DOCKET" supervise s.db
wait_for "2 Escalations"
keys 2
wait_for "2 cases escalated"
keys r
wait_for "final label:"
keys 2
wait_for "note (Enter saves)"
keys -l "debt was paid"
keys Enter
wait_for "resolved as bad"
keys q
wait_exit
[ "$(sql s.db "SELECT label || '|' || note FROM decisions WHERE action = 'resolve'")" = "bad|debt was paid" ] ||
	fail "the resolve is not in the log"
next_server 2

# ann's next start says it, with the outcome and the note
tmux_start 200 30 "$DOCKET" review s.db --reviewer ann
wait_for "1 of your escalations was resolved: c1 as bad by $me (note: debt was paid)"
keys q
wait_exit
[ "$(sql s.db "SELECT seq FROM reviewer_seen WHERE reviewer = 'ann'")" = \
  "$(sql s.db "SELECT max(seq) FROM decisions")" ] || fail "seen not moved on"
next_server 3

# and only once
tmux_start 200 30 "$DOCKET" review s.db --reviewer ann
wait_for "case c"
case "$(screen)" in *"of your escalations"*) fail "feedback shown twice:
$(screen)" ;; esac
keys q
wait_exit
